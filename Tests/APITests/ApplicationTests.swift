import API
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import Storage
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(5))) struct ApplicationTests {
    /// A graceful shutdown stops the services last first: the pools must be
    /// first, so that each closes after every service that queries it. The
    /// owner's pool once stood after the job runner, closed under a running
    /// job, and the job's query was never answered: the shutdown hung.
    @Test func thePoolsStopAfterEveryServiceThatUsesThem() async throws {
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            let client = PostgresClient(configuration: TestDatabase.pooled(TestDatabase.serviceSettings(settings)), backgroundLogger: TestDatabase.logger)
            let owner = PostgresClient(configuration: TestDatabase.pooled(settings), backgroundLogger: TestDatabase.logger)
            let app = ApplicationBuilder.build(
                settings: ServerSettings(), auth: try await TestAuth.settings(), client: client, owner: owner, migrations: try TestDatabase.migrations(),
                metrics: TestMetrics.export.render, logger: TestDatabase.logger
            )
            let pools = app.services.map { $0 as? PostgresClient }
            #expect(pools.prefix(2).map { $0 === client || $0 === owner } == [true, true], "\(app.services.map { type(of: $0) })")
            #expect(pools.dropFirst(2).allSatisfy { $0 == nil })
            // Started and stopped at once, while the job runner's first round runs: the shutdown ends.
            try await app.test(.router) { router in try await TestApp.ready(router) }
        }
    }

    @Test func migratesOnStartThenServesHealthAndReadiness() async throws {
        let migrations = try TestDatabase.migrations()
        try await TestDatabase.withEmptyDatabase { _, settings in
            let client = PostgresClient(configuration: TestDatabase.pooled(settings), backgroundLogger: TestDatabase.logger)
            let app = ApplicationBuilder.build(
                settings: ServerSettings(), auth: try await TestAuth.settings(), client: client, migrations: migrations,
                metrics: TestMetrics.export.render, logger: TestDatabase.logger
            )
            let service = try await TestAuth.service()
            try await app.test(.router) { router in
                let http = AuthorizedClient(base: router, token: service)
                try await http.execute(uri: "/health", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
                }
                try await http.execute(uri: "/health", method: .head) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentLength] == "15")
                    #expect(response.body.readableBytes == 0)
                }
                // The server answers at once; the migrations run beside it, and
                // until they are done every other request is a 503.
                try await http.execute(uri: "/v1/nearby?lat=0&lng=0", method: .get) { response in
                    #expect(response.status == .serviceUnavailable && response.headers[.retryAfter] == "1")
                }
                try await TestApp.ready(router)
                try await http.execute(uri: "/ready", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body) == #"{"status":"ready"}"#)
                }
                // Errors keep one member order, docs/api.md's.
                try await http.execute(uri: "/no/such/route", method: .get) { response in
                    #expect(response.status == .notFound)
                    #expect(String(buffer: response.body) == #"{"error":{"code":"not_found","message":"not found"}}"#)
                }
                // A path that exists, with a method it does not take: 405 and what it takes.
                try await http.execute(uri: "/v1/nearby?lat=1&lng=1", method: .put) { response in
                    #expect(response.status == .methodNotAllowed)
                    #expect(response.headers[.allow] == "GET, HEAD")
                    #expect(String(buffer: response.body) == #"{"error":{"code":"method_not_allowed","#
                        + #""message":"PUT is not allowed here; allowed: GET, HEAD","field":"method"}}"#)
                }
                // The literal path wins over `v1/locations/:user_id` ("batch" is no user id).
                try await http.execute(uri: "/v1/locations/batch", method: .get) { response in
                    #expect(response.status == .methodNotAllowed)
                    #expect(response.headers[.allow] == "POST")
                }
                try await http.execute(uri: "/route/v1/driving/7.41,43.73;7.42,43.74", method: .post) { response in
                    #expect(response.status == .methodNotAllowed)
                    #expect(response.headers[.allow] == "GET, HEAD")
                }
                try await http.execute(uri: "/health", method: .delete) { response in
                    #expect(response.status == .methodNotAllowed)
                }
                try await http.execute(uri: "/v1/nearby?lat=91&lng=0", method: .get) { response in
                    #expect(response.status == .badRequest)
                    #expect(String(buffer: response.body) == #"{"error":{"code":"invalid_request","message":"lat must be between -90 and 90","field":"lat","#
                        + #""details":[{"field":"lat","rule":"must be between -90 and 90"}]}}"#)
                }
            }
            let applied = try await PostgresClient.withRunning(TestDatabase.pooled(settings), logger: TestDatabase.logger) {
                try await $0.value("SELECT count(*)::int FROM schema_migrations", as: Int.self)
            }
            #expect(applied == migrations.count)
        }
    }
}

@Suite(.timeLimit(.minutes(5))) struct HealthControllerTests {
    /// `/ready` of an instance whose schema gate is open (started), its
    /// database monitor running; asked until `until` holds of the body or 5 s pass.
    private func readiness(
        client: PostgresClient, migrations: [Migration], until: @escaping @Sendable (String) -> Bool
    ) async throws -> (HTTPResponse.Status, String) {
        let router = Router()
        let health = DatabaseHealth(client: client, logger: TestDatabase.logger)
        let state = ServiceState()
        state.schema.open()
        let fences = LiveGeofences(client: client, logger: TestDatabase.logger)
        HealthController(
            health: health, state: state, runner: MigrationRunner(migrations: migrations, client: client, logger: TestDatabase.logger), fences: fences
        ).addRoutes(to: router)
        let app = Application(router: router, services: [health, fences])
        return try await app.test(.router) { http in
            var answer = (HTTPResponse.Status.ok, "")
            for _ in 0..<50 {
                answer = try await http.execute(uri: "/ready", method: .get) { ($0.status, String(buffer: $0.body)) }
                if until(answer.1) { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            return answer
        }
    }

    @Test func notReadyWhileMigrationsArePending() async throws {
        let migrations = try TestDatabase.migrations()
        try await TestDatabase.withEmptyDatabase { client, _ in
            let (status, body) = try await readiness(client: client, migrations: migrations) { $0.contains("pending") }
            #expect(status == .serviceUnavailable)
            #expect(body.contains("\(migrations.count) pending"))
        }
    }

    @Test func notReadyWhenTheDatabaseIsUnreachable() async throws {
        let settings = DatabaseSettings(endpoint: .unixSocket(path: "/nonexistent/.s.PGSQL.5432"), username: "x", database: "x", tls: .disable)
        try await PostgresClient.withRunning(TestDatabase.pooled(settings), logger: TestDatabase.logger) { client in
            let (status, body) = try await readiness(client: client, migrations: []) { $0.contains("unreachable") }
            #expect(status == .serviceUnavailable)
            #expect(body.hasPrefix(#"{"status":"unavailable","reason":"database unreachable: "#), "\(body)")
        }
    }
}
