import Foundation
import PostgresNIO
import ServiceLifecycle
import Storage
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(5))) struct DatabaseHealthTests {
    /// A pool whose only connection is busy for longer than the probe's bound
    /// has not lost its database: the probe confirms on a connection of its
    /// own and the monitor stays up. Without the confirmation it reports the
    /// database down (checked: this test fails when `confirmingWith` is nil).
    @Test func aSaturatedPoolIsNotALostDatabase() async throws {
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            var one = TestDatabase.pooled(settings)
            one.options.maximumConnections = 1
            try await PostgresClient.withRunning(one, logger: TestDatabase.logger) { client in
                let health = DatabaseHealth(client: client, confirmingWith: settings, logger: TestDatabase.logger)
                try await Self.whileRunning(health) {
                    let hog = Task { try await client.query("SELECT pg_sleep(4)").collect() }
                    // Probes of half a second each find no connection in the pool.
                    try await Task.sleep(for: .milliseconds(3_200))
                    #expect(health.isUp)
                    #expect(health.downReason == nil)
                    _ = try await hog.value
                }
            }
        }
    }

    /// With the database really gone the confirmation fails too: down, with the reason.
    @Test func aLostDatabaseIsReportedDown() async throws {
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            var nowhere = settings
            nowhere.endpoint = .tcp(host: "127.0.0.1", port: 1)  // nothing listens there
            var pooled = TestDatabase.pooled(nowhere)
            pooled.options.maximumConnections = 1
            try await PostgresClient.withRunning(pooled, logger: TestDatabase.logger) { client in
                let health = DatabaseHealth(client: client, confirmingWith: nowhere, logger: TestDatabase.logger)
                try await Self.whileRunning(health) {
                    try await Task.sleep(for: .milliseconds(1_500))
                    #expect(!health.isUp)
                    #expect(health.downReason?.hasPrefix("database unreachable") == true)
                }
            }
        }
    }

    private static func whileRunning(_ health: DatabaseHealth, _ body: () async throws -> Void) async throws {
        let loop = Task { try await health.run() }
        defer { loop.cancel() }
        try await body()
    }
}
