import Foundation
import PostgresNIO
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(5))) struct ObservabilitySchemaTests {
    @Test func recordedMetricsAggregateInTheLastHourView() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            for value in [10.0, 20, 30, 40] {
                try await client.run("SELECT record_metric('routing', 'latency', 'route_ms', \(value), 'ms', '{\"region\":\"rw\"}')")
            }
            try await client.run("SELECT record_metric('routing', 'throughput', 'routes', 5)")
            // An old sample must not count in the last hour.
            try await client.run("""
                INSERT INTO system_metrics (service_name, metric_type, metric_name, value, created_at)
                VALUES ('routing', 'latency', 'route_ms', 1000, now() - interval '2 hours')
                """)
            let row = try await client.rows("""
                SELECT sample_count::int, avg_value, min_value, max_value, unit FROM recent_metrics_by_service
                WHERE service_name = 'routing' AND metric_name = 'route_ms'
                """)[0]
            let (count, average, minimum, maximum, unit) = try row.decode((Int, Double, Double, Double, String).self)
            #expect(count == 4 && average == 25 && minimum == 10 && maximum == 40 && unit == "ms")
            await #expect(throws: PSQLError.self) { try await client.run("SELECT record_metric('s', 't', 'n', 'NaN')") }
        }
    }

    @Test func auditEventsKeepActorResourceAndCorrelation() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            let id = try await client.value("""
                SELECT log_audit_event('user', 'u-1', 'transaction_created', 'transaction', 't-9', '{"amount": 5}', 'corr-1')
                """, as: UUID.self)
            let row = try await client.rows("""
                SELECT actor_type, actor_identifier, action, resource_id, correlation_id, (metadata->>'amount')::int
                FROM system_audit_logs WHERE id = \(id)
                """)[0]
            let values = try row.decode((String, String, String, String, String, Int).self)
            #expect(values == ("user", "u-1", "transaction_created", "t-9", "corr-1", 5))
            await #expect(throws: PSQLError.self) { try await client.run("SELECT log_audit_event('robot', 'x', 'y')") }
        }
    }
}
