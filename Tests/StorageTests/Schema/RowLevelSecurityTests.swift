import Foundation
import PostgresNIO
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(5))) struct RowLevelSecurityTests {
    @Test func authenticatedUsersSeeOnlyTheirOwnRows() async throws {
        let alice = UUID()
        let bob = UUID()
        try await TestDatabase.withMigratedDatabase { client in
            for user in [alice, bob] {
                let id = try await client.value("SELECT create_transaction(\(user), 'payment', 10, 'RWF')", as: UUID.self)
                try await client.run("SELECT update_transaction_status(\(id), 'completed')")
                try await client.run("INSERT INTO locations (user_id, type, coordinates) VALUES (\(user), 'home', 'SRID=4326;POINT(30 -2)')")
                try await client.run("INSERT INTO payment_methods (user_id, type) VALUES (\(user), 'wallet')")
            }
            let seen = try await client.asRole("authenticated", userID: alice) { connection in
                var counts: [String: Int] = [:]
                for table in ["transactions", "transaction_events", "locations", "payment_methods"] {
                    let rows = try await connection.query(
                        PostgresQuery(unsafeSQL: "SELECT DISTINCT user_id FROM \(table == "transaction_events" ? "transaction_events JOIN transaction_keys USING (transaction_id)" : table)"),
                        logger: TestDatabase.logger
                    ).collect()
                    counts[table] = rows.count
                    #expect(try rows.allSatisfy { try $0.decode(UUID.self) == alice }, "\(table)")
                }
                return counts
            }
            #expect(seen == ["transactions": 1, "transaction_events": 1, "locations": 1, "payment_methods": 1])

            // Naming a partition directly does not get around the policies.
            let direct = try await client.asRole("authenticated", userID: bob) { connection in
                let partition = try await connection.query("SELECT tableoid::regclass::text FROM transactions LIMIT 1", logger: TestDatabase.logger)
                    .collect()[0].decode(String.self)
                return try await connection.query(PostgresQuery(unsafeSQL: "SELECT user_id FROM \(partition)"), logger: TestDatabase.logger)
                    .collect().map { try $0.decode(UUID.self) }
            }
            #expect(direct == [bob])
        }
    }

    @Test func noUserSeesNothingServiceRoleSeesAllAnonIsDenied() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            for _ in 0..<3 { try await client.run("SELECT create_transaction(\(UUID()), 'credit', 5, 'RWF')") }
            let anonymous = try await client.asRole("authenticated") { connection in
                try await connection.query("SELECT count(*)::int FROM transactions", logger: TestDatabase.logger).collect()[0].decode(Int.self)
            }
            #expect(anonymous == 0)
            let service = try await client.asRole("service_role") { connection in
                try await connection.query("SELECT count(*)::int FROM transactions", logger: TestDatabase.logger).collect()[0].decode(Int.self)
            }
            #expect(service == 3)
            await #expect(throws: PSQLError.self) {
                try await client.asRole("anon") { connection in
                    _ = try await connection.query("SELECT count(*) FROM transactions", logger: TestDatabase.logger).collect()
                }
            }
        }
    }

    @Test func authUIDReadsTheSupportedSettings() async throws {
        let user = UUID()
        try await TestDatabase.withMigratedDatabase { client in
            let fromClaim = try await client.asRole("authenticated", userID: user) { connection in
                try await connection.query("SELECT auth.uid()", logger: TestDatabase.logger).collect()[0].decode(UUID.self)
            }
            #expect(fromClaim == user)
            let fromClaims = try await client.withConnection { connection in
                _ = try await connection.query("BEGIN", logger: TestDatabase.logger)
                _ = try await connection.query(
                    "SELECT set_config('request.jwt.claims', \("{\"sub\": \"\(user.uuidString)\"}"), true)", logger: TestDatabase.logger
                )
                let id = try await connection.query("SELECT auth.uid()", logger: TestDatabase.logger).collect()[0].decode(UUID.self)
                _ = try await connection.query("SELECT set_config('request.jwt.claims', 'not json', true)", logger: TestDatabase.logger)
                let invalid = try await connection.query("SELECT auth.uid() IS NULL", logger: TestDatabase.logger).collect()[0].decode(Bool.self)
                _ = try await connection.query("ROLLBACK", logger: TestDatabase.logger)
                return (id, invalid)
            }
            #expect(fromClaims.0 == user)
            #expect(fromClaims.1)
        }
    }
}
