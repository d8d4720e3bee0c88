/// Every metric the service emits, with its help text: the one list of what
/// `/metrics` holds. Libraries emit through swift-metrics by these names;
/// a name missing here has no help text, which `promtool check metrics`
/// (run by the tests) reports.
public enum MetricCatalog {
    public static let help: [String: String] = [
        "wayline_http_requests_total": "HTTP requests answered, by route template, method and status.",
        "wayline_http_request_duration_seconds": "Time from a request's head to its response, by route template and method.",
        "wayline_auth_failures_total": "Requests refused for their credentials, by reason.",
        "wayline_rate_limited_total": "Requests refused by a rate limit, by who was limited (token or address).",
        "wayline_position_writes_total": "Position rows committed by this instance's writer.",
        "wayline_writer_batch_rows": "Rows per statement of the position writer.",
        "wayline_writer_commit_duration_seconds": "Time a position batch's statement took to commit.",
        "wayline_writer_shed_total": "Position writes refused because the writer's queue was full.",
        "wayline_writer_abandoned_total": "Position batches abandoned because their statement did not answer in time.",
        "wayline_writer_queued_rows": "Position rows waiting for a statement.",
        "wayline_geofence_webhooks_total": "Geofence webhook POSTs, by outcome (delivered, failed: retried or dead-lettered).",
        "wayline_live_index_drivers": "Drivers in this instance's live index.",
        "wayline_live_index_lag_seconds": "Age of the live index's last synchronisation with the database.",
        "wayline_cache_lookups_total": "Cache reads, by tenant and where they were answered (memory, database, miss).",
        "wayline_cache_memory_entries": "Entries in this instance's memory level of the cache.",
        "wayline_cache_memory_bytes": "Bytes held by this instance's memory level of the cache.",
        "wayline_cache_evictions_total": "Entries evicted from the memory level to stay within its limits.",
        "wayline_cache_notification_lag_seconds": "Time from sending a cache write until its change notification reaches this instance (its own writes).",
        "wayline_cache_coherent": "1 while this instance hears other instances' cache changes (its memory level serves), else 0.",
        "wayline_route_lookups_total": "Route legs asked for, by where they were found (memory, database, computed).",
        "wayline_router_query_duration_seconds": "Time the router took for one route or table query.",
        "wayline_table_cells": "Cells (sources times destinations) per table request.",
        "wayline_database_up": "1 while the database answers this instance's probe, else 0.",
        "wayline_job_runs_total": "Runs of periodic jobs, by job and outcome.",
        "wayline_job_duration_seconds": "Time a periodic job's run took, by job.",
    ]

    /// Buckets of value histograms, by name (others take swift-prometheus's defaults).
    public static let valueBuckets: [String: [Double]] = [
        "wayline_writer_batch_rows": [1, 5, 10, 50, 100, 250, 500, 1_000, 2_000, 4_000],
        "wayline_table_cells": [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000],
    ]

    /// Duration buckets, from a tenth of a millisecond (a nearby or cache hit
    /// from memory) to ten seconds (past the request deadline).
    public static let durationBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2_500), .seconds(5), .seconds(10),
    ]
}
