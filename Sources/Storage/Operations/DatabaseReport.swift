public import PostgresNIO

/// What `wayline db health`, `slow` and `index-usage` show (seed 003's
/// operations): sections of rows, every value as text, read from
/// PostgreSQL's statistics views.
public struct DatabaseReport: Sendable {
    public struct Section: Sendable {
        public let title: String
        public let columns: [String]
        public let rows: [[String]]
        /// Said instead of an empty table.
        public let empty: String
    }

    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Connections, long transactions, the buffer cache's hit ratio, dead
    /// rows (the bloat estimate), partitions ahead, and replicas' lag.
    public func health() async throws -> [Section] {
        [
            try await section("connections", empty: "none", """
                SELECT coalesce(state, 'background')::text AS state, count(*)::text AS connections
                FROM pg_stat_activity WHERE datname = current_database() GROUP BY 1 ORDER BY 1
                """),
            try await section("transactions open longer than a minute", empty: "none", """
                SELECT pid::text, usename::text AS role, coalesce(state, '')::text AS state,
                       date_trunc('second', now() - xact_start)::text AS open_for, left(regexp_replace(query, '\\s+', ' ', 'g'), 60) AS query
                FROM pg_stat_activity
                WHERE datname = current_database() AND xact_start < now() - interval '1 minute' AND pid <> pg_backend_pid()
                ORDER BY xact_start
                """),
            try await section("buffer cache", empty: "no reads yet", """
                SELECT (round(100.0 * blks_hit / nullif(blks_hit + blks_read, 0), 2) || ' %')::text AS hit_ratio,
                       blks_hit::text AS hits, blks_read::text AS reads
                FROM pg_stat_database WHERE datname = current_database() AND blks_hit + blks_read > 0
                """),
            try await section("dead rows (bloat estimate), top 10", empty: "no tables", """
                SELECT relname::text AS "table", n_live_tup::text AS live, n_dead_tup::text AS dead,
                       coalesce(round(100.0 * n_dead_tup / nullif(n_live_tup + n_dead_tup, 0), 1)::text || ' %', '-') AS dead_share,
                       pg_size_pretty(pg_total_relation_size(relid))::text AS size,
                       coalesce(greatest(last_vacuum, last_autovacuum)::text, 'never') AS last_vacuum
                FROM pg_stat_user_tables ORDER BY n_dead_tup DESC, relname LIMIT 10
                """),
            try await section("partitions ahead", empty: "no partitioned tables", """
                SELECT p.oid::regclass::text AS "table",
                       coalesce(max(to_date(right(c.relname, 7), 'YYYY_MM'))::text, 'none') AS last_month,
                       coalesce((extract(year FROM age(max(to_date(right(c.relname, 7), 'YYYY_MM')), date_trunc('month', now()))) * 12
                                 + extract(month FROM age(max(to_date(right(c.relname, 7), 'YYYY_MM')), date_trunc('month', now()))))::int::text, '-')
                         AS months_ahead
                FROM pg_partitioned_table pt
                JOIN pg_class p ON p.oid = pt.partrelid
                JOIN pg_namespace n ON n.oid = p.relnamespace AND n.nspname = 'public'
                LEFT JOIN pg_inherits i ON i.inhparent = p.oid
                LEFT JOIN pg_class c ON c.oid = i.inhrelid AND c.relname ~ '_[0-9]{4}_[0-9]{2}$'
                WHERE NOT p.relispartition
                GROUP BY p.oid ORDER BY 1
                """),
            try await section("replicas", empty: "no replica is attached", """
                SELECT coalesce(application_name, '')::text AS name, coalesce(client_addr::text, 'local') AS address, state::text,
                       coalesce(replay_lag::text, '0') AS replay_lag
                FROM pg_stat_replication ORDER BY 1
                """),
        ]
    }

    /// The statements that took the most time, from `pg_stat_statements`
    /// (created here if the server preloads it, which the embedded and test clusters do).
    public func slowStatements(limit: Int) async throws -> Section {
        _ = try? await client.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").collect()
        return try await section("slowest statements (total time)", empty: "no statements recorded yet", """
            SELECT calls::text, round(total_exec_time::numeric, 1)::text AS total_ms, round(mean_exec_time::numeric, 2)::text AS mean_ms,
                   rows::text, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) AS statement
            FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            ORDER BY total_exec_time DESC LIMIT \(limit)
            """)
    }

    /// Indexes never or rarely scanned since the statistics were reset,
    /// largest first (primary keys and unique indexes, which enforce rules,
    /// are left out).
    public func indexUsage(rarelyBelow scans: Int) async throws -> Section {
        try await section("indexes scanned fewer than \(scans) times", empty: "every index is in use", """
            SELECT s.relname::text AS "table", s.indexrelname::text AS index, s.idx_scan::text AS scans,
                   pg_size_pretty(pg_relation_size(s.indexrelid))::text AS size
            FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid
            WHERE NOT i.indisunique AND NOT i.indisprimary AND s.idx_scan < \(scans)
            ORDER BY pg_relation_size(s.indexrelid) DESC, 2
            """)
    }

    /// `VACUUM` (with `ANALYZE` if asked) of one table or of the database.
    /// The table is looked up in the catalog first, so only the catalog's
    /// own quoting of its name reaches the statement.
    public func vacuum(table: String?, analyze: Bool) async throws {
        var target = ""
        if let table {
            // `name` or `schema.name`, matched as text against the catalog (to_regclass would parse it as SQL).
            let parts = table.split(separator: ".", maxSplits: 1).map(String.init)
            let (schema, name) = parts.count == 2 ? (parts[0], parts[1]) : ("public", table)
            let found = try await client.query("""
                SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = \(schema) AND c.relname = \(name) AND c.relkind IN ('r', 'p', 'm')
                """).collect().first?.decode(String.self)
            guard let found else { throw UnknownTable(name: table) }
            target = " " + found
        }
        _ = try await client.query(PostgresQuery(unsafeSQL: "VACUUM" + (analyze ? " (ANALYZE)" : "") + target)).collect()
    }

    private func section(_ title: String, empty: String, _ query: PostgresQuery) async throws -> Section {
        let rows = try await client.query(query).collect()
        let columns = rows.first.map { $0.map(\.columnName) } ?? []
        let values = try rows.map { row in try row.map { try $0.decode(String?.self) ?? "" } }
        return Section(title: title, columns: columns, rows: values, empty: empty)
    }
}

/// `db vacuum TABLE` named a table the database does not have.
public struct UnknownTable: Error, CustomStringConvertible {
    public let name: String
    public var description: String { "no table named '\(name)'" }
}
