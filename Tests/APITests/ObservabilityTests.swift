import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// What operators see of a running `wayline serve`: `/metrics` read by
/// prometheus_client's parser and `promtool check metrics`, request ids on
/// responses and in JSON log lines, route templates instead of paths.
@Suite(.timeLimit(.minutes(5))) struct ObservabilityTests {
    @Test func metricsParseAndLintCleanAndRequestsCarryTheirIDs() async throws {
        let (seen, log) = try await observe(metricsPort: false)
        #expect(seen["metrics_status"] as? Int == 200)
        #expect((seen["metrics_content_type"] as? String)?.hasPrefix("text/plain; version=0.0.4") == true)
        let promtool = seen["promtool"] as? [String: Any]
        #expect(promtool?["status"] as? Int == 0 && promtool?["output"] as? String == "", "\(promtool ?? [:])")

        let families = seen["families"] as? [String: [String: Any]] ?? [:]
        let requests = (families["wayline_http_requests"]?["samples"] as? [[String: Any]] ?? []).compactMap { $0["labels"] as? [String: String] }
        let routes = Set(requests.compactMap { $0["route"] })
        #expect(routes.isSuperset(of: ["/health", "/v1/locations/{user_id}/{type}", "/v1/nearby", "NotFound", "unrouted"]), "\(routes)")
        // Never a raw path: no label value holds the ids the requests carried.
        #expect(!requests.contains { $0.values.contains { $0.contains("5b0c3c0e") } })
        #expect(requests.contains { $0["route"] == "/health" && $0["method"] == "GET" && $0["status"] == "200" })
        #expect(families["wayline_http_request_duration_seconds"]?["type"] as? String == "histogram")
        let failures = (families["wayline_auth_failures"]?["samples"] as? [[String: Any]] ?? [])
        func refused(_ reason: String) -> Double {
            failures.first { ($0["labels"] as? [String: String])?["reason"] == reason }?["value"] as? Double ?? 0
        }
        // The forged token (no algorithm), and the request without one to an endpoint that needs one.
        #expect(refused("unsupported_algorithm") == 1 && refused("missing") == 1, "\(failures)")
        // The cache write's notification came back through PostgreSQL and was timed.
        let lag = families["wayline_cache_notification_lag_seconds"]?["samples"] as? [[String: Any]] ?? []
        #expect(seen["cache_put_status"] as? Int == 200)
        #expect(lag.first { $0["name"] as? String == "wayline_cache_notification_lag_seconds_count" }?["value"] as? Double == 1, "\(lag)")
        for family in ["wayline_live_index_drivers", "wayline_database_up", "wayline_cache_memory_entries"] {
            #expect(families[family] != nil, "\(family) missing")
        }
        #expect(families.values.allSatisfy { !($0["help"] as? String ?? "").isEmpty })

        #expect(seen["sane_id"] as? String == "caller-id-0001")
        for key in ["insane_id", "long_id", "no_id"] {
            let id = seen[key] as? String ?? ""
            #expect(id.count == 32 && id.allSatisfy(\.isHexDigit), "\(key): \(id)")
        }
        let lookup = seen["lookup"] as? [String: Any]
        #expect(lookup?["id"] as? String == "lookup-0002")

        // One JSON object a line; the access line of the lookup names its template, status and subject.
        let lines = log.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(!lines.isEmpty && lines.allSatisfy { $0 != nil }, "not all JSON: \(log.prefix(2_000))")
        let access = lines.compactMap { $0 }.first { $0["request.id"] as? String == "lookup-0002" && $0["message"] as? String == "request" }
        #expect(access?["http.route"] as? String == "/v1/locations/{user_id}/{type}", "\(access ?? [:])")
        #expect(access?["http.status"] as? String == "\(lookup?["status"] as? Int ?? 0)")
        #expect(access?["auth.subject"] as? String == "tests")
        #expect(access?["http.method"] as? String == "GET" && access?["level"] as? String == "info")
    }

    @Test func metricsPortServesThemApartFromTheService() async throws {
        let (seen, _) = try await observe(metricsPort: true)
        #expect(seen["metrics_status"] as? Int == 200)
        #expect(seen["service_port_metrics_status"] as? Int == 404)
        let families = seen["families"] as? [String: [String: Any]] ?? [:]
        #expect(families["wayline_http_requests"] != nil)
    }

    /// Runs `wayline serve` (JSON logs), drives it with observe.py, stops it;
    /// returns what the script saw and what the service logged.
    private func observe(metricsPort: Bool) async throws -> (seen: [String: Any], log: String) {
        let (output, log) = try await TestDatabase.withMigratedDatabaseSettings { settings in
            let port = try LoopbackSocket.freePort()
            let metrics = metricsPort ? try LoopbackSocket.freePort() : port
            let logFile = FileManager.default.temporaryDirectory.appendingPathComponent("wayline-observe-\(UUID()).log")
            _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
            defer { try? FileManager.default.removeItem(at: logFile) }
            let server = WaylineProcess.make(["serve"], environment: [
                "DATABASE_URL": try TestDatabase.url(database: settings.database), "WAYLINE_JWT_SECRET": TestAuth.secret,
                "WAYLINE_PORT": "\(port)", "WAYLINE_LOG_FORMAT": "json",
                "WAYLINE_METRICS_PORT": metricsPort ? "\(metrics)" : nil,
            ])
            server.standardError = try FileHandle(forWritingTo: logFile)
            try server.run()
            defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
            try await Self.waitUntilReady(port: port)

            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Clients/observe.py").path
            let run = try await OSRMClientTests.python([script, "http://127.0.0.1:\(port)", try await TestAuth.service(), "http://127.0.0.1:\(metrics)"])
            try #require(run.status == 0, "\(run.errors)")
            kill(server.processIdentifier, SIGTERM)
            try await WaylineProcess.waitForExit(server, within: .seconds(30))
            return (run.output, try String(contentsOf: logFile, encoding: .utf8))
        }
        return (try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]), log)
    }

    static func waitUntilReady(port: Int) async throws {
        for _ in 0..<600 {
            if let socket = try? LoopbackSocket(port: port) {
                try socket.send("GET /ready HTTP/1.1\r\nHost: wayline\r\nConnection: close\r\n\r\n")
                if socket.receiveAll().hasPrefix("HTTP/1.1 200") { return }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("wayline serve was not ready on port \(port) within 60 s")
    }
}
