/// The service's version: in the registry, `wayline --version` and the API document's `info.version`.
public enum WaylineVersion {
    public static let current = "1.0.0"
}
