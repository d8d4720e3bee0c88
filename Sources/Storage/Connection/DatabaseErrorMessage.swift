import PostgresNIO

/// One readable line for a database error, for logs and the command line.
///
/// `PSQLError.description` deliberately hides server details; operators need
/// them (the server's message and SQLSTATE, or the network failure), so they
/// are picked out here. Clients of the HTTP API never see this text.
public enum DatabaseErrorMessage {
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return String(describing: error) }
        if let info = error.serverInfo, let message = info[.message] {
            let state = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            let detail = info[.detail].map { ": \($0)" } ?? ""
            return message + detail + state
        }
        if let underlying = error.underlying {
            return "\(error.code): \(underlying)"
        }
        return "\(error.code)"
    }
}
