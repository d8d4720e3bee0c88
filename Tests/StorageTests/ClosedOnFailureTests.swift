import PostgresNIO
import Storage
import Synchronization
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(5))) struct ClosedOnFailureTests {
    /// A connection whose session the server ends under
    /// `withConnectionClosedOnFailure` must not reach a caller waiting for the
    /// pool: a query on it could wait for ever. Handed straight back (plain
    /// `withConnection`), it reaches the waiter every time here.
    @Test func aConnectionThatDiedIsNotHandedToTheNextWaiter() async throws {
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            var two = TestDatabase.pooled(settings)
            two.options.maximumConnections = 2
            try await PostgresClient.withRunning(two, logger: TestDatabase.logger) { client in
                try await PostgresClient.withRunning(TestDatabase.pooled(settings), logger: TestDatabase.logger) { admin in
                    for _ in 0..<3 {
                        let (victim, served) = try await Self.waiterAfterTermination(client: client, admin: admin)
                        #expect(served != victim)
                    }
                }
            }
        }
    }

    /// With both of the pool's connections leased and a third caller waiting,
    /// terminates the backend of the first; returns its connection's id and
    /// the one the waiting caller was given.
    private static func waiterAfterTermination(client: PostgresClient, admin: PostgresClient) async throws -> (Int, Int) {
        // Each lease reports its connection's id and backend pid once it holds it.
        let (leases, leased) = AsyncStream.makeStream(of: (id: Int, pid: Int32).self)
        var held = leases.makeAsyncIterator()
        let (releases, release) = AsyncStream.makeStream(of: Void.self)
        let victim = Task {
            try await client.withConnectionClosedOnFailure { connection in
                leased.yield((connection.id, try await Self.pid(of: connection)))
                _ = try await connection.query("SELECT pg_sleep(30)", logger: TestDatabase.logger).collect()
            }
        }
        let (victimID, pid) = try #require(await held.next())
        // Held until after the termination, so the waiter cannot be served by a new connection.
        let busy = Task {
            try await client.withConnectionClosedOnFailure { connection in
                leased.yield((connection.id, try await Self.pid(of: connection)))
                for await _ in releases {}
            }
        }
        _ = try #require(await held.next())
        let waiter = Task { try await client.withConnectionClosedOnFailure { $0.id } }
        // The waiter is queued once its lease request reaches the pool.
        try await Task.sleep(for: .milliseconds(50))
        #expect(try await admin.value("SELECT pg_terminate_backend(\(pid))", as: Bool.self))
        await #expect(throws: PSQLError.self) { try await victim.value }
        release.finish()
        try await busy.value
        return (victimID, try await waiter.value)
    }

    private static func pid(of connection: PostgresConnection) async throws -> Int32 {
        try #require(try await connection.query("SELECT pg_backend_pid()", logger: TestDatabase.logger).collect().first).decode(Int32.self)
    }
}
