import Foundation
import PostgresNIO
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(5))) struct PartitionTests {
    @Test(arguments: ["system_metrics", "system_audit_logs", "transactions", "event_store"])
    func currentAndNextThreeMonthsExistWithADefault(table: String) async throws {
        try await TestDatabase.withMigratedDatabase { client in
            let partitions = try await client.rows("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = \(table)::regclass ORDER BY 1
                """).map { try $0.decode(String.self) }
            let expected = try await client.rows("""
                SELECT \(table) || '_' || to_char(date_trunc('month', now()) + make_interval(months => m), 'YYYY_MM')
                FROM generate_series(0, 3) m
                """).map { try $0.decode(String.self) }
            #expect(partitions == expected + ["\(table)_default"])
        }
    }

    @Test func rowsLandInTheirMonthAndFarDatesInTheDefault() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            try await client.run("""
                INSERT INTO system_metrics (service_name, metric_type, metric_name, value, created_at) VALUES
                  ('s', 't', 'next_month', 1, date_trunc('month', now()) + interval '1 month 3 days'),
                  ('s', 't', 'far_future', 1, now() + interval '3 years')
                """)
            let placement = try await client.rows("SELECT metric_name, tableoid::regclass::text FROM system_metrics ORDER BY 1")
                .map { try $0.decode((String, String).self) }
            let nextMonth = try await client.value("""
                SELECT 'system_metrics_' || to_char(date_trunc('month', now()) + interval '1 month', 'YYYY_MM')
                """, as: String.self)
            #expect(placement[0] == ("far_future", "system_metrics_default"))
            #expect(placement[1] == ("next_month", nextMonth))
        }
    }

    @Test func creatingAMonthMovesItsRowsOutOfTheDefault() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            let id = try await client.value("SELECT create_transaction(\(UUID()), 'fee', 1, 'RWF')", as: UUID.self)
            try await client.run("UPDATE transactions SET created_at = now() + interval '2 years' WHERE id = \(id)")
            #expect(try await client.value("SELECT tableoid::regclass::text FROM transactions WHERE id = \(id)", as: String.self) == "transactions_default")

            let created = try await client.value("""
                SELECT create_monthly_partitions('transactions', 0, (now() + interval '2 years')::date)
                """, as: Int.self)
            #expect(created == 1)
            let partition = try await client.value("SELECT tableoid::regclass::text FROM transactions WHERE id = \(id)", as: String.self)
            #expect(partition.hasPrefix("transactions_20"))
            // The new partition has RLS and its parent's policies.
            let policies = try await client.rows("SELECT policyname FROM pg_policies WHERE tablename = \(partition) ORDER BY 1")
                .map { try $0.decode(String.self) }
            #expect(policies == ["service_role_full_access", "users_read_own"])
            #expect(try await client.value("SELECT relrowsecurity FROM pg_class WHERE relname = \(partition)", as: Bool.self))
        }
    }

    @Test func maintenanceIsIdempotent() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            let again = try await client.value("SELECT ensure_all_partitions(3)", as: Int.self)
            let oneMonthMore = try await client.value("SELECT ensure_all_partitions(4)", as: Int.self)
            #expect(again == 0)
            #expect(oneMonthMore == 4, "one more month for each of the four partitioned tables")
            await #expect(throws: PSQLError.self) { try await client.run("SELECT create_monthly_partitions('locations', 1)") }
        }
    }
}
