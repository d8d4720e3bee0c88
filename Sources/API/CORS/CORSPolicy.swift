/// Which browser origins may call the service (`WAYLINE_CORS_ORIGINS`), off
/// by default: `*` lets any page call the OSRM services (route, table,
/// nearest, trip), as osrm-routed does; a list of origins lets those pages
/// call every endpoint, their answers varying by `Origin`.
public struct CORSPolicy: Sendable, Equatable {
    /// Nil: any origin, OSRM services only.
    let origins: Set<String>?

    /// From the variable's value; nil (off) when empty. Origins are
    /// `scheme://host[:port]`, as browsers send them.
    public init?(_ setting: String) throws(CORSSettingError) {
        let parts = setting.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if parts.isEmpty { return nil }
        if parts == ["*"] {
            origins = nil
            return
        }
        for origin in parts where !Self.isOrigin(origin) { throw CORSSettingError(origin: origin) }
        origins = Set(parts)
    }

    private static func isOrigin(_ text: String) -> Bool {
        let scheme = text.hasPrefix("https://") ? "https://" : text.hasPrefix("http://") ? "http://" : nil
        guard let scheme else { return false }
        let rest = text.dropFirst(scheme.count)
        return !rest.isEmpty && !rest.contains("/") && !rest.contains("*") && !rest.contains(" ")
    }

    /// `Access-Control-Allow-Origin` for a request from `origin` to `path`; nil when not allowed.
    func allowedOrigin(_ origin: String?, path: String) -> String? {
        guard let origins else { return Self.isOSRM(path) ? "*" : nil }
        return origin.flatMap { origins.contains($0) ? $0 : nil }
    }

    /// Whether the answer depends on the request's `Origin` (a list does; `*` does not).
    var variesByOrigin: Bool { origins != nil }

    static func isOSRM(_ path: String) -> Bool {
        ["/route/v1/", "/table/v1/", "/nearest/v1/", "/trip/v1/"].contains { path.hasPrefix($0) }
    }
}

/// A `WAYLINE_CORS_ORIGINS` entry that is not an origin.
public struct CORSSettingError: Error, Equatable {
    public let origin: String
}
