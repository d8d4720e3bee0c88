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
        let victimID = Mutex<Int?>(nil)
        let victim = Task {
            try await client.withConnectionClosedOnFailure { connection in
                victimID.withLock { $0 = connection.id }
                _ = try await connection.query("SELECT pg_sleep(30)", logger: TestDatabase.logger).collect()
            }
        }
        let pid = try await Self.backend(running: "SELECT pg_sleep(30)", admin)
        // Held until after the termination, so the waiter cannot be served by a new connection.
        let busy = Task {
            try await client.withConnectionClosedOnFailure { connection in
                _ = try await connection.query("SELECT pg_sleep(0.5)", logger: TestDatabase.logger).collect()
            }
        }
        _ = try await Self.backend(running: "SELECT pg_sleep(0.5)", admin)
        let waiter = Task { try await client.withConnectionClosedOnFailure { $0.id } }
        // The waiter is queued once its lease request reaches the pool.
        try await Task.sleep(for: .milliseconds(50))
        #expect(try await admin.value("SELECT pg_terminate_backend(\(pid))", as: Bool.self))
        await #expect(throws: PSQLError.self) { try await victim.value }
        try await busy.value
        return (try #require(victimID.withLock { $0 }), try await waiter.value)
    }

    /// The pid of the backend running `statement`, once it does.
    private static func backend(running statement: String, _ admin: PostgresClient) async throws -> Int32 {
        while true {
            let pid = try await admin.rows("""
                SELECT pid FROM pg_stat_activity
                WHERE datname = current_database() AND state = 'active' AND query = \(statement)
                """).first?.decode(Int32.self)
            if let pid { return pid }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
