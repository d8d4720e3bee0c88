public import Logging
public import PostgresNIO

/// Checks that the database answers, failing fast with the reason instead of
/// waiting on a pool that keeps retrying an unreachable server or wrong
/// credentials.
public enum DatabaseProbe {
    /// Opens one connection, runs `SELECT 1` and closes it.
    /// - Throws: `DatabaseUnavailable` with the server's or the network's reason.
    public static func connect(_ settings: DatabaseSettings, timeout: Duration = .seconds(5), logger: Logger) async throws(DatabaseUnavailable) {
        try await within(timeout, location: settings.location) {
            let connection = try await PostgresConnection.connect(
                configuration: try settings.connectionConfiguration(), id: 0, logger: logger
            )
            do {
                _ = try await connection.query("SELECT 1", logger: logger).collect()
                try await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        }
    }

    /// Runs `SELECT 1` through the pool, for readiness checks of a running server.
    public static func check(_ client: PostgresClient, timeout: Duration = .seconds(2)) async throws(DatabaseUnavailable) {
        try await within(timeout, location: "the pool") {
            _ = try await client.query("SELECT 1").collect()
        }
    }

    private static func within(
        _ timeout: Duration,
        location: String,
        _ work: @escaping @Sendable () async throws -> Void
    ) async throws(DatabaseUnavailable) {
        // Abandoned rather than cancelled at the bound: a task group would
        // wait for a statement that ignores cancellation, and a probe stuck
        // that way once left the instance reporting a dead database as up.
        do {
            try await abandoning(after: timeout, work)
        } catch is WorkAbandoned {
            throw DatabaseUnavailable(location: location, reason: "no answer within \(timeout)")
        } catch {
            throw DatabaseUnavailable(location: location, reason: DatabaseErrorMessage.describe(error))
        }
    }
}

/// The database could not be reached or refused the connection.
public struct DatabaseUnavailable: Error, CustomStringConvertible {
    public let location: String
    public let reason: String

    public var description: String { "cannot use the database at \(location): \(reason)" }
}
