import Foundation
import PostgresNIO
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(5))) struct TransactionSchemaTests {
    @Test func concurrentCallsWithOneIdempotencyKeyCreateOneTransaction() async throws {
        let user = UUID()
        try await TestDatabase.withMigratedDatabase { client in
            let ids = try await withThrowingTaskGroup(of: UUID.self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        try await client.value(
                            "SELECT create_transaction(\(user), 'payment', 1000.00, 'RWF', 'order-42', '{\"order\": 42}')",
                            as: UUID.self
                        )
                    }
                }
                return try await group.reduce(into: Set<UUID>()) { $0.insert($1) }
            }
            #expect(ids.count == 1)
            #expect(try await client.value("SELECT count(*)::int FROM transactions", as: Int.self) == 1)
            #expect(try await client.value("SELECT count(*)::int FROM transaction_events", as: Int.self) == 1)
            // Another user may use the same key for their own transaction.
            let other = try await client.value("SELECT create_transaction(\(UUID()), 'payment', 1000.00, 'RWF', 'order-42')", as: UUID.self)
            #expect(!ids.contains(other))
            // Reusing the key with another amount is a client bug, not a retry.
            await #expect(throws: PSQLError.self) {
                try await client.run("SELECT create_transaction(\(user), 'payment', 999.00, 'RWF', 'order-42')")
            }
        }
    }

    @Test func referencesAreUniqueAndWellFormed() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            for _ in 0..<50 {
                try await client.run("SELECT create_transaction(\(UUID()), 'credit', 10, 'usd')")
            }
            #expect(try await client.value("SELECT count(DISTINCT reference)::int FROM transactions", as: Int.self) == 50)
            #expect(try await client.value("SELECT bool_and(reference ~ '^TXN-[0-9]{8}-[0-9A-F]{12}$') FROM transactions", as: Bool.self))
            #expect(try await client.value("SELECT bool_and(currency = 'USD') FROM transactions", as: Bool.self))
            await #expect(throws: PSQLError.self) { try await client.run("SELECT create_transaction(\(UUID()), 'credit', -5, 'USD')") }
            await #expect(throws: PSQLError.self) { try await client.run("SELECT create_transaction(\(UUID()), 'gift', 5, 'USD')") }
        }
    }

    @Test func statusChangesFollowTheLifecycleAndAreAudited() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            let id = try await client.value("SELECT create_transaction(\(UUID()), 'payment', 50, 'RWF')", as: UUID.self)
            try await client.run("SELECT update_transaction_status(\(id), 'processing')")
            try await client.run("SELECT update_transaction_status(\(id), 'completed')")
            #expect(try await client.value("SELECT completed_at IS NOT NULL FROM transactions WHERE id = \(id)", as: Bool.self))
            await #expect(throws: PSQLError.self) { try await client.run("SELECT update_transaction_status(\(id), 'pending')") }
            try await client.run("SELECT update_transaction_status(\(id), 'reversed', 'customer dispute')")
            let events = try await client.rows("""
                SELECT event_type, coalesce(old_status, ''), new_status FROM transaction_events
                WHERE transaction_id = \(id) ORDER BY created_at
                """).map { try $0.decode((String, String, String).self) }
            #expect(events.map(\.2) == ["pending", "processing", "completed", "reversed"])
            #expect(events[0].0 == "created" && events[1].1 == "pending")
            await #expect(throws: PSQLError.self) { try await client.run("SELECT update_transaction_status(\(UUID()), 'completed')") }
        }
    }

    @Test func summaryViewsAggregateByStatusTypeAndUser() async throws {
        let user = UUID()
        try await TestDatabase.withMigratedDatabase { client in
            let paid = try await client.value("SELECT create_transaction(\(user), 'payment', 300, 'RWF')", as: UUID.self)
            try await client.run("SELECT update_transaction_status(\(paid), 'completed')")
            let topUp = try await client.value("SELECT create_transaction(\(user), 'credit', 1000, 'RWF')", as: UUID.self)
            try await client.run("SELECT update_transaction_status(\(topUp), 'completed')")
            try await client.run("SELECT create_transaction(\(user), 'payment', 70, 'RWF')")

            let summary = try await client.rows("""
                SELECT status, type, transaction_count::int, total_amount::float8 FROM transaction_summary ORDER BY status, type
                """).map { try $0.decode((String, String, Int, Double).self) }
            #expect(summary.count == 3)
            #expect(summary[0] == ("completed", "credit", 1, 1000))
            #expect(summary[2] == ("pending", "payment", 1, 70))

            let recent = try await client.rows("""
                SELECT transaction_count::int, completed_count::int, total_in::float8, total_out::float8
                FROM user_recent_transactions WHERE user_id = \(user)
                """)[0]
            let values = try recent.decode((Int, Int, Double, Double).self)
            #expect(values == (3, 2, 1000, 300))
        }
    }

    @Test func onlyOneDefaultPaymentMethodPerUser() async throws {
        let user = UUID()
        try await TestDatabase.withMigratedDatabase { client in
            try await client.run("INSERT INTO payment_methods (user_id, type, is_default) VALUES (\(user), 'mobile_money', true)")
            await #expect(throws: PSQLError.self) {
                try await client.run("INSERT INTO payment_methods (user_id, type, is_default) VALUES (\(user), 'card', true)")
            }
            try await client.run("INSERT INTO payment_methods (user_id, type, last_four) VALUES (\(user), 'card', '4242')")
            #expect(try await client.value("SELECT count(*)::int FROM payment_methods WHERE user_id = \(user)", as: Int.self) == 2)
        }
    }
}
