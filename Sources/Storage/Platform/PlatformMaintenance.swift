public import PostgresNIO

/// The seed's housekeeping functions (seed 002), one statement each, for
/// the jobs `JobRunner` runs once per period across instances.
public enum PlatformMaintenance {
    /// `ensure_all_partitions`: monthly partitions `monthsAhead` ahead for every partitioned table.
    public static func ensurePartitions(_ client: PostgresClient, monthsAhead: Int = 3) async throws -> Int {
        try await count(client, "SELECT ensure_all_partitions(\(monthsAhead)::int)")
    }

    public static func cleanupWhatsAppSessions(_ client: PostgresClient) async throws -> Int {
        try await count(client, "SELECT cleanup_expired_whatsapp_sessions()")
    }

    public static func cleanupPerformanceData(_ client: PostgresClient) async throws -> Int {
        try await count(client, "SELECT cleanup_expired_performance_data()")
    }

    /// Routes past their `expires_at`, a batch at a time (no long lock).
    public static func deleteExpiredRoutes(_ client: PostgresClient, batchSize: Int = 5_000) async throws -> Int {
        var total = 0
        while true {
            let deleted = try await count(client, """
                WITH gone AS (
                  DELETE FROM routes WHERE id IN (SELECT id FROM routes WHERE expires_at < now() LIMIT \(batchSize)) RETURNING 1
                ) SELECT count(*)::int FROM gone
                """)
            total += deleted
            if deleted < batchSize { return total }
        }
    }

    /// Detaches the monthly partitions (`{table}_YYYY_MM`) whose month ended
    /// more than `days` ago from their parents: seed 002's archiving. The
    /// detached tables stay, to be dumped and dropped by whoever archives;
    /// the parents no longer scan them. Needs the tables' owner.
    public static func detachPartitions(_ client: PostgresClient, olderThanDays days: Int) async throws -> Int {
        let rows = try await client.query("""
            SELECT format('ALTER TABLE %s DETACH PARTITION %s', i.inhparent::regclass, i.inhrelid::regclass)
            FROM pg_inherits i
            JOIN pg_class child ON child.oid = i.inhrelid
            JOIN pg_namespace n ON n.oid = child.relnamespace
            WHERE n.nspname = 'public' AND child.relname ~ '_[0-9]{4}_[0-9]{2}$'
              AND to_date(right(child.relname, 7), 'YYYY_MM') + interval '1 month' <= now() - make_interval(days => \(days)::int)
            ORDER BY 1
            """).collect()
        for row in rows {
            // The statement is built by PostgreSQL from catalog names (regclass quotes them).
            _ = try await client.query(PostgresQuery(unsafeSQL: try row.decode(String.self))).collect()
        }
        return rows.count
    }

    private static func count(_ client: PostgresClient, _ query: PostgresQuery) async throws -> Int {
        for try await value in try await client.query(query).decode(Int?.self) { return value ?? 0 }
        return 0
    }
}
