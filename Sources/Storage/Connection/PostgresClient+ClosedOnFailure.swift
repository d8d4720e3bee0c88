public import Logging
public import PostgresNIO

/// Leasing a connection for work of several statements, without handing a
/// dying connection to the next caller.
///
/// PostgresNIO (1.33.2) gives a released connection straight to whoever waits
/// for one, and learns that a connection has closed only from its close
/// callback. A connection's queries and listeners fail as soon as the server
/// ends its session (a FATAL error), which can be well before the socket
/// closes; released in between, it goes to a waiter as if alive, and a query
/// that reaches it once closed is dropped without an error: the waiter waits
/// for ever. A test hung so: the road network's load waited on the cache
/// listener's connection, terminated a moment before.
///
/// So a connection whose work failed is closed, and goes back only once the
/// pool has seen the close. Failures here are rare (a lost listener, a failed
/// migration or import), so the connection it costs does not matter, and
/// closing the session also rolls back its transaction and releases its
/// locks: nothing has to be sent to a connection that may be dead.
extension PostgresClient {
    /// `withConnection`, except that the connection is closed when `body` fails.
    public func withConnectionClosedOnFailure<Result>(
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withConnection { connection in
            do {
                return try await body(connection)
            } catch {
                await connection.closeBeforeRelease()
                throw error
            }
        }
    }

    /// Runs `body` inside BEGIN … COMMIT; on failure the connection's close
    /// rolls back.
    public func withTransactionClosedOnFailure<Result>(
        logger: Logger, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withConnectionClosedOnFailure(between: "BEGIN", and: "COMMIT", logger: logger, body)
    }

    /// Runs `body` on a connection holding the session-level advisory lock
    /// `key`, so that processes doing the same work (two instances migrating,
    /// two imports) take turns; on failure the connection's close releases it.
    public func withSessionLock<Result>(
        _ key: Int64, logger: Logger, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withConnectionClosedOnFailure(
            between: "SELECT pg_advisory_lock(\(key))", and: "SELECT pg_advisory_unlock(\(key))", logger: logger, body
        )
    }

    /// Runs `enter`, `body` and `exit` on one connection; when any of them
    /// fails, the close undoes what `exit` would have.
    private func withConnectionClosedOnFailure<Result>(
        between enter: PostgresQuery, and exit: PostgresQuery, logger: Logger,
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withConnectionClosedOnFailure { connection in
            try await connection.query(enter, logger: logger)
            let result = try await body(connection)
            try await connection.query(exit, logger: logger)
            return result
        }
    }
}

extension PostgresConnection {
    /// The pool's close callback was registered before anyone could lease the
    /// connection, so it has run once the close future is complete and the
    /// event loop has finished the turn that completed it.
    fileprivate func closeBeforeRelease() async {
        let closing: EventLoopFuture<Void> = close()
        try? await closing.get()
        try? await closeFuture.get()
        _ = try? await eventLoop.submit {}.get()
    }
}
