public import Logging
public import PostgresNIO

extension PostgresClient {
    /// Runs `body` with a client whose connection pool is running, and shuts the
    /// pool down afterwards. For commands and tests that need the database for a
    /// bounded piece of work; a server instead runs the client as a `Service`.
    public static func withRunning<Result: Sendable>(
        _ configuration: PostgresClient.Configuration,
        logger: Logger,
        _ body: (PostgresClient) async throws -> Result
    ) async throws -> Result {
        // The pool's own log says little a one-shot command can use (failures
        // reach `body` as errors), and warns when `body` leases before `run`
        // has started, which is harmless here: errors only.
        var background = logger
        background.logLevel = max(logger.logLevel, .error)
        let client = PostgresClient(configuration: configuration, backgroundLogger: background)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}
