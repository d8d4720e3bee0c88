import Foundation
import PostgresNIO
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(5))) struct ServiceRegistrySchemaTests {
    @Test func registrationHeartbeatsAndHealthOverview() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            let first = try await client.value("""
                SELECT register_service('wayline', 'routing', '1.0.0', 'http://127.0.0.1:8080', '/health', '["routes"]')
                """, as: UUID.self)
            let again = try await client.value("SELECT register_service('wayline', 'routing', '1.1.0')", as: UUID.self)
            #expect(first == again)
            #expect(try await client.value("SELECT service_heartbeat('wayline', 'healthy', '{\"rps\": 10}')", as: Bool.self))
            #expect(try await client.value("SELECT service_heartbeat('nobody')", as: Bool.self) == false)

            try await client.run("SELECT register_service('stale', 'cache', '0.1')")
            try await client.run("SELECT service_heartbeat('stale')")
            try await client.run("UPDATE service_registry SET last_heartbeat_at = now() - interval '5 minutes' WHERE service_name = 'stale'")

            let overview = try await client.rows("""
                SELECT service_name, version, reported_status, effective_status FROM service_health_overview ORDER BY service_name
                """).map { try $0.decode((String, String, String, String).self) }
            #expect(overview.count == 2)
            #expect(overview[0] == ("stale", "0.1", "healthy", "unhealthy"))
            #expect(overview[1] == ("wayline", "1.1.0", "healthy", "healthy"))
        }
    }
}

@Suite(.timeLimit(.minutes(5))) struct FeatureFlagSchemaTests {
    @Test func allNoneAndDisabledFlags() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            try await client.run("""
                INSERT INTO feature_flags (key, name, enabled, rollout_strategy) VALUES
                  ('everyone', 'Everyone', true, 'all'), ('nobody', 'Nobody', true, 'none'), ('off', 'Off', false, 'all')
                """)
            let user = UUID()
            #expect(try await client.value("SELECT is_feature_enabled('everyone', \(user))", as: Bool.self))
            #expect(try await client.value("SELECT is_feature_enabled('everyone')", as: Bool.self))
            #expect(try await client.value("SELECT is_feature_enabled('nobody', \(user))", as: Bool.self) == false)
            #expect(try await client.value("SELECT is_feature_enabled('off', \(user))", as: Bool.self) == false)
            #expect(try await client.value("SELECT is_feature_enabled('missing', \(user))", as: Bool.self) == false)
            let reasons = try await client.rows("SELECT reason FROM feature_flag_evaluations ORDER BY evaluated_at, reason")
                .map { try $0.decode(String.self) }
            #expect(Set(reasons) == ["strategy_all", "strategy_none", "disabled", "flag_not_found"])
        }
    }

    @Test func userListsAndEnvironments() async throws {
        let listed = UUID()
        try await TestDatabase.withMigratedDatabase { client in
            try await client.run("""
                INSERT INTO feature_flags (key, name, enabled, rollout_strategy, target_users, environment) VALUES
                  ('beta', 'Beta', true, 'user_list', ARRAY[\(listed)]::uuid[], 'all'),
                  ('beta', 'Beta in staging', true, 'all', '{}', 'staging')
                """)
            #expect(try await client.value("SELECT is_feature_enabled('beta', \(listed))", as: Bool.self))
            #expect(try await client.value("SELECT is_feature_enabled('beta', \(UUID()))", as: Bool.self) == false)
            #expect(try await client.value("SELECT is_feature_enabled('beta', \(UUID()), 'staging')", as: Bool.self))
        }
    }

    @Test func percentageRolloutIsConsistentAndCloseToTheShare() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            try await client.run("""
                INSERT INTO feature_flags (key, name, enabled, rollout_strategy, rollout_percentage)
                VALUES ('new_checkout', 'New checkout', true, 'percentage', 25)
                """)
            // 10,000 users in one statement; each evaluated twice must get the same answer.
            let row = try await client.rows("""
                WITH users AS (SELECT gen_random_uuid() AS id FROM generate_series(1, 10000)),
                     answers AS (SELECT is_feature_enabled('new_checkout', id) AS a, is_feature_enabled('new_checkout', id) AS b FROM users)
                SELECT count(*) FILTER (WHERE a)::int, bool_and(a = b) FROM answers
                """)[0]
            let (enabled, consistent) = try row.decode((Int, Bool).self)
            #expect(consistent)
            // Binomial(10000, 0.25): standard deviation 43, so ±200 is over 4.5 sigma.
            #expect(abs(enabled - 2500) < 200, "\(enabled) of 10000 users enabled")
            #expect(try await client.value("SELECT is_feature_enabled('new_checkout')", as: Bool.self) == false)
            let overview = try await client.rows("""
                SELECT evaluations_24h::int, enabled_evaluations_24h::int FROM feature_flag_overview WHERE key = 'new_checkout'
                """)[0]
            let (evaluations, enabledEvaluations) = try overview.decode((Int, Int).self)
            #expect(evaluations == 20001 && enabledEvaluations == enabled * 2)
        }
    }

    @Test func conditionsCombineEnvironmentAttributesAndTimeWindow() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            try await client.run("""
                INSERT INTO feature_flags (key, name, enabled, rollout_strategy, conditions) VALUES
                  ('rw_pilot', 'Rwanda pilot', true, 'condition',
                   '{"environments": ["production"], "attributes": {"country": "RW"}, "after": "2020-01-01T00:00:00Z"}'),
                  ('future', 'Not yet', true, 'condition', '{"after": "2999-01-01T00:00:00Z"}')
                """)
            let user = UUID()
            #expect(try await client.value("SELECT is_feature_enabled('rw_pilot', \(user), 'production', '{\"country\": \"RW\"}')", as: Bool.self))
            #expect(try await client.value("SELECT is_feature_enabled('rw_pilot', \(user), 'production', '{\"country\": \"KE\"}')", as: Bool.self) == false)
            #expect(try await client.value("SELECT is_feature_enabled('rw_pilot', \(user), 'staging', '{\"country\": \"RW\"}')", as: Bool.self) == false)
            #expect(try await client.value("SELECT is_feature_enabled('future', \(user))", as: Bool.self) == false)
        }
    }
}
