import API
import Foundation
import HummingbirdTesting
import PostgresNIO
import Storage
import Testing
import TestSupport

/// Instances in the platform's service registry: registered and healthy while
/// they serve, `stopped` once shut down, each under its own name; and their
/// figures in `system_metrics`.
@Suite(.timeLimit(.minutes(5))) struct RegistrationTests {
    @Test func instancesRegisterBeatAndStop() async throws {
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            try await PostgresClient.withRunning(TestDatabase.pooled(settings), logger: TestDatabase.logger) { observer in
                let registry = ServiceRegistryRepository(client: observer)
                try await Self.serve(settings, name: "wayline-test-a") {
                    try await Self.serve(settings, name: "wayline-test-b") {
                        let statuses = try await Self.waitFor(registry) { $0["wayline-test-a"] == "healthy" && $0["wayline-test-b"] == "healthy" }
                        #expect(statuses["wayline-test-a"] == "healthy" && statuses["wayline-test-b"] == "healthy", "\(statuses)")
                        // Each writes its figures to system_metrics (every second here), side by side in the view.
                        var names: Set<String> = []
                        for _ in 0..<50 where !names.isSuperset(of: ["wayline-test-a/http.requests_per_second", "wayline-test-b/live_index.drivers"]) {
                            try await Task.sleep(for: .milliseconds(100))
                            names = Set(try await observer.query("SELECT service_name || '/' || metric_name FROM recent_metrics_by_service")
                                .collect().map { try $0.decode(String.self) })
                        }
                        #expect(names.isSuperset(of: [
                            "wayline-test-a/http.requests_per_second", "wayline-test-a/http.p99_ms", "wayline-test-a/live_index.drivers",
                            "wayline-test-b/live_index.drivers",
                        ]), "\(names)")
                    }
                    let statuses = try await Self.waitFor(registry) { $0["wayline-test-b"] == "stopped" }
                    #expect(statuses["wayline-test-b"] == "stopped" && statuses["wayline-test-a"] == "healthy", "\(statuses)")
                }
                let statuses = try await Self.waitFor(registry) { $0["wayline-test-a"] == "stopped" }
                #expect(statuses["wayline-test-a"] == "stopped", "\(statuses)")
                // The heartbeat carries figures.
                let figures = try await observer.query("SELECT metrics->>'database_up' FROM service_registry WHERE service_name = 'wayline-test-a'")
                    .collect().first?.decode(String.self)
                #expect(figures == "true")
            }
        }
    }

    private static func serve(_ settings: DatabaseSettings, name: String, _ body: @escaping @Sendable () async throws -> Void) async throws {
        var server = ServerSettings()
        server.serviceName = name
        server.metricsInterval = .seconds(1)
        let client = PostgresClient(configuration: TestDatabase.pooled(TestDatabase.serviceSettings(settings)), backgroundLogger: TestDatabase.logger)
        let owner = PostgresClient(configuration: TestDatabase.pooled(settings), backgroundLogger: TestDatabase.logger)
        let app = ApplicationBuilder.build(
            settings: server, auth: try await TestAuth.settings(), client: client, owner: owner,
            migrations: try TestDatabase.migrations(), metrics: TestMetrics.export.render, logger: TestDatabase.logger
        )
        try await app.test(.router) { client in
            try await TestApp.ready(client)
            try await body()
        }
    }

    /// `service_health_overview`'s effective statuses by name, once `done` holds (or after 10 s).
    private static func waitFor(_ registry: ServiceRegistryRepository, _ done: ([String: String]) -> Bool) async throws -> [String: String] {
        var statuses: [String: String] = [:]
        for _ in 0..<100 {
            statuses = Dictionary(try await registry.overview().map { ($0.name, $0.status) }, uniquingKeysWith: { a, _ in a })
            if done(statuses) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return statuses
    }
}
