import PostgresNIO
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(5))) struct PerformanceMonitoringTests {
    @Test func cleanupRemovesOnlyExpiredRowsFromAllThreeTables() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            try await client.run("""
                INSERT INTO performance_metrics (metric_name, metric_type, metric_value, expires_at)
                SELECT 'api_ms', 'api_response', n, CASE WHEN n % 2 = 0 THEN now() - interval '1 day' ELSE now() + interval '1 day' END
                FROM generate_series(1, 10) n
                """)
            try await client.run("""
                INSERT INTO query_performance_log (query_hash, query_signature, execution_time_ms, expires_at) VALUES
                  ('h1', 'SELECT 1', 1500, now() - interval '1 day'), ('h2', 'SELECT 2', 3, now() + interval '1 day')
                """)
            try await client.run("""
                INSERT INTO cache_performance_log (cache_key, operation, expires_at) VALUES
                  ('k', 'HIT', now() - interval '1 day'), ('k', 'MISS', now() + interval '1 day')
                """)
            #expect(try await client.value("SELECT slow_query FROM query_performance_log WHERE query_hash = 'h1'", as: Bool.self))
            #expect(try await client.value("SELECT cleanup_expired_performance_data(2)", as: Int.self) == 7)
            let remaining = try await client.value("""
                SELECT (SELECT count(*) FROM performance_metrics) + (SELECT count(*) FROM query_performance_log)
                     + (SELECT count(*) FROM cache_performance_log)
                """, as: Int.self)
            #expect(remaining == 7)
            await #expect(throws: PSQLError.self) {
                try await client.run("INSERT INTO cache_performance_log (cache_key, operation) VALUES ('k', 'PEEK')")
            }
        }
    }
}
