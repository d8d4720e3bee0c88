import PostgresNIO
import Testing
import TestSupport

/// The migrated database holds every table, function and view the platform
/// schema (seed 002, seed 000 and the additions) promises.
@Suite(.timeLimit(.minutes(5))) struct SchemaInventoryTests {
    static let tables = [
        "system_metrics", "system_audit_logs", "whatsapp_sessions", "whatsapp_message_queue",
        "transactions", "transaction_keys", "payment_methods", "transaction_events",
        "service_registry", "feature_flags", "feature_flag_evaluations",
        "event_store", "event_streams", "message_queue", "background_jobs",
        "locations", "routes", "route_cache_lookups", "cache_entries", "cache_lookup_counters",
        "performance_metrics", "query_performance_log", "cache_performance_log", "schema_migrations",
        "location_tombstones", "cache_tag_versions", "road_network_imports",
    ]
    static let functions = [
        "record_metric", "log_audit_event", "update_whatsapp_session_activity", "cleanup_expired_whatsapp_sessions",
        "enqueue_whatsapp_message", "create_transaction", "update_transaction_status", "generate_transaction_reference",
        "record_transaction_event", "register_service", "service_heartbeat", "is_feature_enabled", "feature_flag_bucket",
        "append_event", "get_aggregate_events", "enqueue_message", "schedule_job", "complete_job",
        "find_nearby_locations", "get_cached_route", "set_cache", "get_cache", "cleanup_expired_cache",
        "invalidate_cache_by_tag", "set_updated_at", "copy_rls_policies", "create_monthly_partitions",
        "ensure_all_partitions", "claim_messages", "complete_message", "fail_message", "claim_whatsapp_messages",
        "complete_whatsapp_message", "fail_whatsapp_message", "claim_jobs", "fail_job", "expire_timed_out_jobs",
        "retry_backoff", "cleanup_expired_performance_data", "validate_coordinate",
        "cache_entry_is_live", "delete_cache", "invalidate_cache_tags", "cleanup_cache_batch",
    ]
    static let views = [
        "recent_metrics_by_service", "whatsapp_session_stats", "whatsapp_queue_stats", "transaction_summary",
        "user_recent_transactions", "service_health_overview", "feature_flag_overview", "event_store_stats",
        "message_queue_stats", "background_job_stats", "cache_stats", "route_cache_stats",
    ]

    @Test func everyTableFunctionAndViewExists() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            let tables = try await client.rows("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
                .map { try $0.decode(String.self) }
            let functions = try await client.rows("""
                SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
                """).map { try $0.decode(String.self) }
            let views = try await client.rows("SELECT viewname FROM pg_views WHERE schemaname = 'public'")
                .map { try $0.decode(String.self) }
            for table in Self.tables { #expect(tables.contains(table), "table \(table)") }
            for function in Self.functions { #expect(functions.contains(function), "function \(function)") }
            for view in Self.views { #expect(views.contains(view), "view \(view)") }
            #expect(try await client.value("SELECT auth.uid() IS NULL", as: Bool.self))
            let extensions = try await client.rows("SELECT extname FROM pg_extension").map { try $0.decode(String.self) }
            #expect(extensions.contains("postgis") && extensions.contains("pgrouting"))
        }
    }

    @Test func rowLevelSecurityIsOnForEveryTableAndPartition() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            let unprotected = try await client.rows("""
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relrowsecurity
                  AND c.relname <> 'spatial_ref_sys'
                """).map { try $0.decode(String.self) }
            #expect(unprotected == [])
            let partitions = try await client.value("""
                SELECT count(*)::int FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relrowsecurity
                """, as: Int.self)
            // Four partitioned tables, each with four months and a default partition.
            #expect(partitions >= 20)
        }
    }
}
