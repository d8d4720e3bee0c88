import Foundation
import Logging
import PostgresNIO
import Storage
import Testing
import TestSupport

/// Seed 000's logs as Wayline fills them: statements at least as slow as the
/// threshold in `query_performance_log` (faster ones not), one cache
/// operation in n in `cache_performance_log`, and a bounded wait in memory.
@Suite(.timeLimit(.minutes(5))) struct PerformanceLogTests {
    @Test func slowStatementsAreLoggedAndFastOnesAreNot() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            var settings = PerformanceLog.Settings()
            settings.slowStatement = .milliseconds(50)
            let log = PerformanceLog(client: client, settings: settings, logger: TestDatabase.logger)
            try await log.timed("test.slow", table: "locations") { _ = try await client.query("SELECT pg_sleep(0.1)").collect() }
            try await log.timed("test.fast", table: "locations") { _ = try await client.query("SELECT 1").collect() }
            await log.flush()
            let rows = try await client.query("""
                SELECT query_signature, query_hash = md5(query_signature), execution_time_ms::float8, table_name FROM query_performance_log
                """).collect().map { try $0.decode((String, Bool, Double, String).self) }
            #expect(rows.count == 1, "\(rows)")
            #expect(rows.first?.0 == "test.slow" && rows.first?.1 == true && rows.first?.3 == "locations")
            #expect((rows.first?.2 ?? 0) >= 100, "\(rows)")
        }
    }

    @Test func oneCacheOperationInNIsLogged() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            var settings = PerformanceLog.Settings()
            settings.cacheSampleEvery = 3
            let log = PerformanceLog(client: client, settings: settings, logger: TestDatabase.logger)
            let sampled = (0..<9).filter { _ in log.samplesCacheOperation() }
            #expect(sampled.count == 3)
            log.cacheOperation(.set, key: "order-1", since: .now, bytes: 12, ttlSeconds: 60)
            log.cacheOperation(.miss, key: "order-2", since: .now)
            await log.flush()
            let rows = try await client.query("""
                SELECT cache_key, operation, cache_size_bytes, ttl_seconds FROM cache_performance_log ORDER BY cache_key
                """).collect().map { try $0.decode((String, String, Int32?, Int32?).self) }
            #expect(rows.map(\.0) == ["order-1", "order-2"] && rows.map(\.1) == ["SET", "MISS"])
            #expect(rows.first?.2 == 12 && rows.first?.3 == 60 && rows.last?.2 == nil)
            // Written once: a second flush has nothing to add.
            await log.flush()
            #expect(try await Self.logged(client) == 2)
        }
    }

    @Test func atMostCapacityEntriesWait() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            var settings = PerformanceLog.Settings()
            settings.capacity = 2
            settings.cacheSampleEvery = 1
            let log = PerformanceLog(client: client, settings: settings, logger: TestDatabase.logger)
            for number in 0..<5 { log.cacheOperation(.hit, key: "k\(number)", since: .now) }
            await log.flush()
            let logged = try await Self.logged(client)
            #expect(logged == 2)
        }
    }

    @Test func aLogWithoutADatabaseKeepsNothing() async throws {
        #expect(!PerformanceLog.off.samplesCacheOperation())
        #expect(await PerformanceLog.off.timed("test", table: "t") { 7 } == 7)
    }

    private static func logged(_ client: PostgresClient) async throws -> Int {
        try await client.query("SELECT count(*)::int FROM cache_performance_log").collect().first?.decode(Int.self) ?? -1
    }
}
