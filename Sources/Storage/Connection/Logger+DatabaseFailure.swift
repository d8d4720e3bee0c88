public import Logging

extension Logger {
    /// Logs a failed database operation as a warning, with the server's own
    /// message, unless the task is being cancelled: shutting down cuts
    /// polls, jobs and listeners short, and that is not a failure to report.
    public func warnDatabaseFailure(_ message: @autoclosure () -> Logger.Message, _ error: any Error) {
        guard !Task.isCancelled else { return }
        warning(message(), metadata: ["error": "\(DatabaseErrorMessage.describe(error))"])
    }
}
