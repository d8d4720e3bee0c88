/// Why the private PostgreSQL cluster could not be set up, started or stopped.
public enum EmbeddedPostgresError: Error, CustomStringConvertible {
    case binariesNotFound
    case systemUserMissing(String)
    case commandFailed(command: String, output: String)

    public var description: String {
        switch self {
        case .binariesNotFound:
            "no PostgreSQL server binaries found (looked in WAYLINE_PG_BINDIR, /usr/lib/postgresql/*/bin and PATH); "
                + "install postgresql-15-postgis-3 or set DATABASE_URL"
        case .systemUserMissing(let user):
            "running as root, the cluster must run as an unprivileged user, and '\(user)' does not exist "
                + "(set WAYLINE_PG_USER)"
        case .commandFailed(let command, let output):
            "\(command) failed: \(output.split(separator: "\n").suffix(5).joined(separator: " | "))"
        }
    }
}
