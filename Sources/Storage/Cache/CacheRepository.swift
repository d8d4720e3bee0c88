public import Foundation
public import Logging
public import PostgresNIO

/// SQL for `cache_entries`. Writes go through the migration's functions, which
/// also notify the other instances; reads are plain selects (hit counts are
/// counted in memory and added in batches by `recordLookups`).
public struct CacheRepository: Sendable {
    /// The LISTEN/NOTIFY channel the cache functions notify on.
    public static let channel = "wayline_cache"

    private let client: PostgresClient
    private let performance: PerformanceLog

    /// - Parameter performance: where statements slower than its threshold are logged.
    public init(client: PostgresClient, performance: PerformanceLog = .off) {
        self.client = client
        self.performance = performance
    }

    /// Stores `valueJSON` (JSON text; PostgreSQL parses it as jsonb) and
    /// returns when it expires.
    public func set(key: String, valueJSON: String, ttlSeconds: Int, type: String, tags: [String]) async throws -> Date {
        try await scalar("cache.set", "SELECT set_cache(\(key), \(valueJSON)::jsonb, \(ttlSeconds)::int, \(type), \(tags)::text[])")
    }

    public func get(key: String) async throws -> CacheRead {
        try await performance.timed("cache.get", table: "cache_entries") {
            for try await (value, type, tags, expiresAt, live) in try await client.execute(Lookup(key: key)) {
                return live ? .hit(CacheRow(key: key, valueJSON: value, type: type, tags: tags, expiresAt: expiresAt)) : .miss(type: type)
            }
            return .miss(type: nil)
        }
    }

    /// The read of every L1 miss, prepared once per connection: the server
    /// neither parses nor plans it again on each call.
    struct Lookup: PostgresPreparedStatement {
        static let sql = """
            SELECT e.value::text, e.cache_type, e.tags, e.expires_at, cache_entry_is_live(e.tags, e.generation, e.expires_at)
            FROM cache_entries e WHERE e.key = $1
            """
        typealias Row = (String, String, [String], Date, Bool)

        let key: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(key)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row {
            try row.decode(Row.self)
        }
    }

    /// True when there was an entry to delete.
    public func delete(key: String) async throws -> Bool {
        try await scalar("cache.delete", "SELECT delete_cache(\(key))")
    }

    /// Kills every entry carrying any of `tags` in one statement; returns how
    /// many live entries that was (the rows go in later cleanup batches).
    public func invalidate(tags: [String]) async throws -> Int {
        try await scalar("cache.invalidate", "SELECT invalidate_cache_tags(\(tags)::text[])")
    }

    /// The stored tags that are one of `tags` in some tenant: the tag itself
    /// (default tenant) or it after a tenant's prefix (`CacheTenant`). A scan
    /// of the carriers' tags, for erasures, which are rare.
    public func storedTags(matching tags: [String]) async throws -> [String] {
        try await scalar("cache.stored_tags", """
            SELECT coalesce(array_agg(DISTINCT t), '{}') FROM cache_entries e CROSS JOIN LATERAL unnest(e.tags) AS t(t)
            WHERE EXISTS (SELECT 1 FROM unnest(\(tags)::text[]) AS w(tag)
                          WHERE t.t = w.tag OR right(t.t, length(w.tag) + 1) = chr(31) || w.tag)
            """)
    }

    /// Adds counted lookups: hits per key (hit_count, last_accessed_at) and
    /// hits and misses per type (`cache_lookup_counters`). Keys are updated in
    /// key order so two instances flushing at once cannot deadlock.
    public func recordLookups(keyHits: [String: Int], typeHits: [String: Int], typeMisses: [String: Int]) async throws {
        try await performance.timed("cache.record_lookups", table: "cache_entries") {
            let keys = keyHits.keys.sorted()
            let types = Set(typeHits.keys).union(typeMisses.keys).sorted()
            guard !keys.isEmpty || !types.isEmpty else { return }
            try await client.query("""
                WITH keyed AS (
                  UPDATE cache_entries e SET hit_count = e.hit_count + h.n, last_accessed_at = now()
                  FROM unnest(\(keys)::text[], \(keys.map { Int64(keyHits[$0, default: 0]) })::int8[]) AS h(key, n)
                  WHERE e.key = h.key
                )
                INSERT INTO cache_lookup_counters AS c (cache_type, hits, misses)
                SELECT * FROM unnest(\(types)::text[], \(types.map { Int64(typeHits[$0, default: 0]) })::int8[],
                                     \(types.map { Int64(typeMisses[$0, default: 0]) })::int8[])
                ON CONFLICT (cache_type) DO UPDATE SET hits = c.hits + EXCLUDED.hits, misses = c.misses + EXCLUDED.misses
                """)
        }
    }

    /// Deletes up to `batchSize` dead entries (expired or invalidated) in one
    /// short transaction; returns how many.
    public func deleteDead(batchSize: Int) async throws -> Int {
        try await scalar("cache.cleanup", "SELECT cleanup_cache_batch(\(batchSize)::int)")
    }

    /// The other instances' changes, as the cache functions notify them.
    public func changes(logger: Logger) -> ChannelListener {
        ChannelListener(client: client, channel: Self.channel, logger: logger)
    }

    /// The `cache_stats` view, one line per type.
    public func stats() async throws -> [CacheTypeStats] {
        let rows = try await client.query("""
            SELECT cache_type, entry_count::int8, live_count::int8, expired_count::int8, total_bytes::int8, hits, misses
            FROM cache_stats ORDER BY cache_type
            """)
        var stats: [CacheTypeStats] = []
        for try await (type, entries, live, expired, bytes, hits, misses) in rows.decode((String, Int, Int, Int, Int, Int, Int).self) {
            stats.append(CacheTypeStats(type: type, entries: entries, liveEntries: live, expiredEntries: expired, bytes: bytes, hits: hits, misses: misses))
        }
        return stats
    }

    /// The one value a function call returns.
    private func scalar<Value: PostgresDecodable & Sendable>(_ signature: String, _ query: PostgresQuery) async throws -> Value {
        try await performance.timed(signature, table: "cache_entries") {
            for try await value in try await client.query(query).decode(Value.self) { return value }
            throw MissingResult(query: query.sql)
        }
    }
}

/// A statement that always returns one row returned none.
struct MissingResult: Error, CustomStringConvertible {
    let query: String

    var description: String { "no row from: \(query)" }
}
