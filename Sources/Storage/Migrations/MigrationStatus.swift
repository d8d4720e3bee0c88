/// Which migrations a database has applied and which are still pending.
public struct MigrationStatus: Sendable, Equatable {
    public struct Applied: Sendable, Equatable {
        public let name: String
        public let checksum: String
    }

    public var applied: [Applied]
    public var pending: [String]
    /// Applied files whose contents have changed since.
    public var changed: [String]
    /// Applied migrations this build does not know.
    public var unknown: [String]

    /// Fully migrated with exactly the files of this build.
    public var isCurrent: Bool { pending.isEmpty && changed.isEmpty && unknown.isEmpty }
}
