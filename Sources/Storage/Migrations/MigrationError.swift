/// Why migrations cannot be applied. Each case names the file concerned.
public enum MigrationError: Error, Equatable, CustomStringConvertible {
    case directoryUnreadable(String)
    case badFileName(String)
    /// An applied file's contents differ from what was applied. Applied
    /// migrations are history: change the schema with a new file instead.
    case checksumMismatch(String)
    /// The database records a migration this build does not have.
    case unknownApplied(String)
    case failed(name: String, statement: Int, reason: String)

    public var description: String {
        switch self {
        case .directoryUnreadable(let path):
            "cannot read the migrations directory \(path)"
        case .badFileName(let name):
            "migration file \(name) must be named YYYYMMDDHHMMSS_description.sql"
        case .checksumMismatch(let name):
            "migration \(name) was changed after it was applied; add a new migration instead of editing it"
        case .unknownApplied(let name):
            "the database has migration \(name) applied, which this build does not have (is the binary older than the database?)"
        case .failed(let name, let statement, let reason):
            "migration \(name) failed at statement \(statement): \(reason)"
        }
    }
}
