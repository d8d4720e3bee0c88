import Foundation
import PostgresNIO
import Synchronization
import Testing
import TestSupport

/// Migration 20260401200000: generations against set/invalidate races (the
/// API tests race them), notifications for other instances, batched cleanup.
@Suite(.timeLimit(.minutes(5))) struct CacheCoherenceSchemaTests {
    /// Runs `body` while a connection listens on the cache channel; returns
    /// the payloads heard once `expected` have arrived.
    static func notifications(
        _ client: PostgresClient, expected: Int, during body: @escaping @Sendable () async throws -> Void
    ) async throws -> [String] {
        try await client.withConnection { connection in
            try await connection.listen(on: "wayline_cache") { notifications in
                try await body()
                var heard: [String] = []
                for try await notification in notifications {
                    heard.append(notification.payload)
                    if heard.count == expected { break }
                }
                return heard
            }
        }
    }

    /// Two invalidations of one tag overlap, and the one that drew the lower
    /// version commits last: the tag keeps the higher. Otherwise an entry
    /// written before the second invalidation began would live again (seen
    /// under load in CacheAPITests' linearizability test).
    @Test func aTagVersionNeverFalls() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            try await client.run("INSERT INTO cache_tag_versions (tag, version, invalidated_at) VALUES ('held', 0, now())")
            try await client.withConnection { holder in
                try await holder.query("BEGIN")
                try await holder.query("SELECT 1 FROM cache_tag_versions WHERE tag = 'held' FOR UPDATE")
                // The first invalidation draws its version, then waits on the held row ('held' sorts before 'shared').
                async let first: Void = client.run("SELECT invalidate_cache_tags('{held,shared}')")
                let waiting = try await Self.eventually {
                    // This database only: other suites' invalidations wait on locks of their own.
                    try await client.value("""
                        SELECT count(*)::int FROM pg_stat_activity
                        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%invalidate_cache_tags%'
                        """, as: Int.self) == 1
                }
                #expect(waiting)
                try await client.run("SELECT set_cache('written', '1', 60, 'general', '{shared}')")
                // The second begins after the write ended, and ends first.
                try await client.run("SELECT invalidate_cache_tags('{shared}')")
                try await holder.query("COMMIT")
                try await first
            }
            #expect(try await client.value("SELECT count(*)::int FROM cache_entries e WHERE cache_entry_is_live(e.tags, e.generation, e.expires_at)", as: Int.self) == 0)
        }
    }

    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    @Test func writesAndDeletesNotifyTheirKey() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            let heard = try await Self.notifications(client, expected: 2) {
                try await client.run("SELECT set_cache('user/42 é', '1')")
                try await client.run("SELECT delete_cache('nothing here')")
                try await client.run("SELECT delete_cache('user/42 é')")
            }
            #expect(heard == ["kuser/42 é", "kuser/42 é"])
        }
    }

    /// Long tag lists are split so no payload comes near PostgreSQL's 8000-byte limit.
    @Test func invalidationNotifiesEveryTagInBoundedPayloads() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            let tags = (0..<300).map { "tag-\($0)-" + String(repeating: "x", count: 100) }
            try await client.run("SELECT set_cache('k' || n, '1', 60, 'general', ARRAY['tag-' || n || '-' || repeat('x', 100)]) FROM generate_series(0, 9) n")
            let count = Mutex(0)
            let heard = try await Self.notifications(client, expected: 5) {
                let deleted = try await client.value("SELECT invalidate_cache_tags(\(tags + ["tag-0-" + String(repeating: "x", count: 100)]))", as: Int.self)
                count.withLock { $0 = deleted }
            }
            #expect(count.withLock { $0 } == 10)
            #expect(heard.allSatisfy { $0.hasPrefix("t[") && $0.utf8.count < 7_200 })
            let received = try heard.flatMap { try JSONDecoder().decode([String].self, from: Data($0.utf8.dropFirst())) }
            #expect(received.sorted() == tags.sorted(), "every tag once")
        }
    }

    /// An invalidation answers how many live entries it killed: not the
    /// expired ones, nor those an earlier invalidation of another of their
    /// tags killed already, but those written since.
    @Test func invalidationCountsOnlyTheLiveEntriesItKills() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            func invalidate(_ tags: [String]) async throws -> Int {
                try await client.value("SELECT invalidate_cache_tags(\(tags))", as: Int.self)
            }
            try await client.run("""
                SELECT set_cache(key, '1', 600, 'general', tags) FROM (VALUES
                  ('a', ARRAY['red']), ('ab', ARRAY['red', 'blue']), ('b', ARRAY['blue']),
                  ('c', ARRAY['green']), ('d', ARRAY['yellow']), ('expired', ARRAY['red'])) AS e(key, tags)
                """)
            try await client.run("UPDATE cache_entries SET expires_at = now() - interval '1 second' WHERE key = 'expired'")
            #expect(try await invalidate(["blue"]) == 2)
            #expect(try await invalidate(["red"]) == 1, "'ab' died with blue")
            #expect(try await invalidate(["red", "blue"]) == 0)
            try await client.run("SELECT set_cache('ab2', '1', 600, 'general', ARRAY['blue', 'red'])")
            #expect(try await invalidate(["red", "green"]) == 2, "'ab2' was written after both invalidations")
            #expect(try await client.value("SELECT string_agg(key, ',') FROM cache_entries WHERE cache_entry_is_live(tags, generation, expires_at)", as: String.self) == "d")
            // The view agrees: one live entry of seven, the rest dead (expired or invalidated).
            let stats = try await client.value(
                "SELECT entry_count || '/' || live_count || '/' || expired_count FROM cache_stats WHERE cache_type = 'general'", as: String.self)
            #expect(stats == "7/1/6")
        }
    }

    @Test func cleanupRemovesDeadEntriesOneBatchPerCallAndPrunesOldTagVersions() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            try await client.run("SELECT set_cache('old' || n, '1', 60) FROM generate_series(1, 25) n")
            try await client.run("SELECT set_cache('tagged' || n, '1', 600, 'general', ARRAY['gone']) FROM generate_series(1, 12) n")
            try await client.run("SELECT set_cache('new', '1', 600, 'general', ARRAY['kept'])")
            try await client.run("UPDATE cache_entries SET expires_at = now() - interval '1 minute' WHERE key LIKE 'old%'")
            // Invalidation kills at once (12 live entries) and leaves the rows to cleanup.
            #expect(try await client.value("SELECT invalidate_cache_tags(ARRAY['gone', 'ancient'])", as: Int.self) == 12)
            #expect(try await client.value("SELECT count(*)::int FROM cache_entries WHERE key LIKE 'tagged%'", as: Int.self) == 12)
            #expect(try await client.value("SELECT count(*)::int FROM cache_entries WHERE cache_entry_is_live(tags, generation, expires_at)", as: Int.self) == 1)
            try await client.run("UPDATE cache_tag_versions SET invalidated_at = now() - interval '367 days' WHERE tag = 'ancient'")
            var batches: [Int] = []
            while true {
                let removed = try await client.value("SELECT cleanup_cache_batch(10)", as: Int.self)
                batches.append(removed)
                if removed < 10 { break }
            }
            #expect(batches.reduce(0, +) == 37 && batches.dropLast().allSatisfy { $0 == 10 })
            #expect(try await client.value("SELECT string_agg(key, ',') FROM cache_entries", as: String.self) == "new")
            #expect(try await client.value("SELECT string_agg(tag, ',') FROM cache_tag_versions", as: String.self) == "gone")
            #expect(try await client.value("SELECT live_count::int FROM cache_stats WHERE cache_type = 'general'", as: Int.self) == 1)
        }
    }
}
