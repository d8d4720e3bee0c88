import Foundation
import PostgresNIO
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(5))) struct RouteCacheSchemaTests {
    /// A route from Monaco's port to the casino, stored like the service stores it.
    static let insertRoute: PostgresQuery = """
        INSERT INTO routes (origin, destination, path, distance_meters, duration_seconds, encoded_polyline, created_at, expires_at)
        VALUES ('SRID=4326;POINT(7.4213 43.7366)', 'SRID=4326;POINT(7.4280 43.7395)',
                'SRID=4326;LINESTRING(7.4213 43.7366, 7.4250 43.7380, 7.4280 43.7395)', 640, 95, '_ibmGiqbl@',
                now() - interval '10 minutes', now() + interval '1 hour')
        RETURNING id
        """

    @Test func hitsWithinToleranceAndAgeMissesOtherwise() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            let id = try await client.value(Self.insertRoute, as: UUID.self)
            // About 22 m north of each end: within the default 50 m.
            let hit = try await client.rows("SELECT id, hit_count::int FROM get_cached_route(43.7368, 7.4213, 43.7397, 7.4280)")
                .map { try $0.decode((UUID, Int).self) }
            #expect(hit.count == 1 && hit[0] == (id, 1))
            // About 110 m away: a miss.
            #expect(try await client.rows("SELECT id FROM get_cached_route(43.7376, 7.4213, 43.7395, 7.4280)").isEmpty)
            // Within tolerance but older than max_age (5 minutes): a miss.
            #expect(try await client.rows("SELECT id FROM get_cached_route(43.7366, 7.4213, 43.7395, 7.4280, 5)").isEmpty)
            // Wider tolerance turns the far request into a hit.
            #expect(try await client.rows("SELECT id FROM get_cached_route(43.7376, 7.4213, 43.7395, 7.4280, 60, 150)").count == 1)

            try await client.run("UPDATE routes SET expires_at = now() - interval '1 second'")
            #expect(try await client.rows("SELECT id FROM get_cached_route(43.7366, 7.4213, 43.7395, 7.4280)").isEmpty, "expired routes are never served")

            let stats = try await client.rows("SELECT route_count::int, live_route_count::int, hits::int, misses::int FROM route_cache_stats")[0]
            #expect(try stats.decode((Int, Int, Int, Int).self) == (1, 0, 2, 3))
            #expect(try await client.value("SELECT cleanup_expired_cache()", as: Int.self) == 0)
            #expect(try await client.value("SELECT count(*)::int FROM routes", as: Int.self) == 0, "cleanup also drops expired routes")
            await #expect(throws: PSQLError.self) { try await client.run("SELECT * FROM get_cached_route(95, 0, 0, 0)") }
        }
    }
}

@Suite(.timeLimit(.minutes(5))) struct KeyValueCacheSchemaTests {
    @Test func setGetExpireAndCountHitsAndMisses() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            try await client.run("SELECT set_cache('driver:42:eta', '{\"eta_s\": 240}', 300, 'eta', ARRAY['driver:42', 'zone:7'])")
            #expect(try await client.value("SELECT get_cache('driver:42:eta')->>'eta_s'", as: String.self) == "240")
            #expect(try await client.value("SELECT get_cache('driver:42:eta') IS NOT NULL", as: Bool.self))
            #expect(try await client.value("SELECT get_cache('nobody') IS NULL", as: Bool.self))

            try await client.run("UPDATE cache_entries SET expires_at = now() - interval '1 second'")
            #expect(try await client.value("SELECT get_cache('driver:42:eta') IS NULL", as: Bool.self), "expired entries are never served")

            let stats = try await client.rows("SELECT cache_type, entry_count::int, hits::int, misses::int FROM cache_stats ORDER BY cache_type")
                .map { try $0.decode((String, Int, Int, Int).self) }
            #expect(stats.count == 2)
            #expect(stats[0] == ("eta", 1, 2, 1))
            #expect(stats[1] == ("unknown", 0, 0, 1))
            #expect(try await client.value("SELECT cleanup_expired_cache()", as: Int.self) == 1)

            await #expect(throws: PSQLError.self) { try await client.run("SELECT set_cache('k', '1', 0)") }
            await #expect(throws: PSQLError.self) { try await client.run("SELECT set_cache(repeat('k', 578), '1')") }
        }
    }

    @Test func setReplacesAndTagInvalidationDropsEveryCarrier() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            try await client.run("""
                SELECT set_cache('k' || n, to_jsonb(n), 600, 'general', ARRAY['zone:' || (n % 3), 'all'])
                FROM generate_series(1, 30) n
                """)
            try await client.run("SELECT set_cache('k1', '\"replaced\"', 600, 'general', ARRAY['other'])")
            #expect(try await client.value("SELECT get_cache('k1') #>> '{}'", as: String.self) == "replaced")
            // zone:1 was on k1, k4, … k28 (10 keys); k1 no longer carries it.
            #expect(try await client.value("SELECT invalidate_cache_by_tag('zone:1')", as: Int.self) == 9)
            #expect(try await client.value("SELECT invalidate_cache_by_tag('zone:1')", as: Int.self) == 0)
            let live = "SELECT count(*)::int FROM cache_entries WHERE cache_entry_is_live(tags, generation, expires_at)"
            #expect(try await client.value(PostgresQuery(unsafeSQL: live), as: Int.self) == 21)
            // The rows themselves go in cleanup batches.
            #expect(try await client.value("SELECT cleanup_cache_batch(1000)", as: Int.self) == 9)
            #expect(try await client.value("SELECT count(*)::int FROM cache_entries", as: Int.self) == 21)
        }
    }

    @Test func cleanupWorksInBatches() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            try await client.run("SELECT set_cache('old' || n, '1', 60) FROM generate_series(1, 25) n")
            try await client.run("SELECT set_cache('new' || n, '1', 600) FROM generate_series(1, 5) n")
            try await client.run("UPDATE cache_entries SET expires_at = now() - interval '1 minute' WHERE key LIKE 'old%'")
            #expect(try await client.value("SELECT cleanup_expired_cache(4)", as: Int.self) == 25)
            #expect(try await client.value("SELECT count(*)::int FROM cache_entries", as: Int.self) == 5)
        }
    }
}
