/// Bounds of one instance's in-memory cache level.
public struct L1Limits: Sendable {
    public var maximumEntries: Int
    public var maximumBytes: Int
    /// Longest an entry is served from memory without asking PostgreSQL again,
    /// whatever its TTL: the backstop for a notification that never arrived.
    public var backstopSeconds: Double

    public init(maximumEntries: Int = 100_000, maximumBytes: Int = 256 << 20, backstopSeconds: Double = 60) {
        self.maximumEntries = maximumEntries
        self.maximumBytes = maximumBytes
        self.backstopSeconds = backstopSeconds
    }
}
