import API
import Auth
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Routing
import Storage
import TestSupport
import Webhooks

/// Whole-application instances against a real PostGIS, for API tests.
enum TestApp {
    typealias Body = @Sendable (any TestClientProtocol, DatabaseSettings) async throws -> Void

    /// One instance on a fresh migrated database; `live` serves it on a
    /// loopback port (the client's `port`), as `serve` does, rather than
    /// handing requests to its responder.
    static func with(cache: CacheSettings = CacheSettings(), live: Bool = false, _ test: @escaping Body) async throws {
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            try await run(settings, cache: cache, live: live) { try await test($0, settings) }
        }
    }

    /// One instance on an existing database (one holding an imported road network, say).
    static func on(
        _ settings: DatabaseSettings, routes: RouteSettings = RouteSettings(), locations: LocationSettings = LocationSettings(),
        server: ServerSettings = ServerSettings(), _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        try await run(settings, cache: CacheSettings(), routes: routes, locations: locations, server: server, test)
    }

    /// Two instances sharing one database, as two processes behind a load balancer would.
    static func withTwo(
        cache: CacheSettings = CacheSettings(),
        _ test: @escaping @Sendable (any TestClientProtocol, any TestClientProtocol, DatabaseSettings) async throws -> Void
    ) async throws {
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            try await run(settings, cache: cache) { first in
                try await run(settings, cache: cache) { second in try await test(first, second, settings) }
            }
        }
    }

    /// One instance on a fresh migrated database, its client sending no
    /// token of its own: for tests of access control.
    static func unauthorized(
        auth: AuthSettings? = nil, _ test: @escaping @Sendable (any TestClientProtocol, DatabaseSettings) async throws -> Void
    ) async throws {
        let defaultAuth = try await TestAuth.settings()
        let auth = auth ?? defaultAuth
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            try await run(settings, cache: CacheSettings(), auth: auth, asService: false) { try await test($0, settings) }
        }
    }

    /// Two instances as `withTwo`, their clients sending no token of their own.
    static func twoUnauthorized(
        _ test: @escaping @Sendable (any TestClientProtocol, any TestClientProtocol, DatabaseSettings) async throws -> Void
    ) async throws {
        let auth = try await TestAuth.settings()
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            try await run(settings, cache: CacheSettings(), auth: auth, asService: false) { first in
                try await run(settings, cache: CacheSettings(), auth: auth, asService: false) { second in try await test(first, second, settings) }
            }
        }
    }

    /// An instance as `serve` runs one: requests go through the service's
    /// login role (RLS applies), migrations through the owner's. Its client
    /// speaks as a service unless `asService` is false.
    /// One key for every instance of the run: instances share the secrets they seal.
    static let secretsKey = WebhookSecretBox.newKey()

    private static func run(
        _ settings: DatabaseSettings, cache: CacheSettings, routes: RouteSettings = RouteSettings(), locations: LocationSettings = LocationSettings(),
        server: ServerSettings = ServerSettings(), auth: AuthSettings? = nil,
        asService: Bool = true, live: Bool = false, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let defaultAuth = try await TestAuth.settings()
        let auth = auth ?? defaultAuth
        let token = asService ? try await TestAuth.service() : nil
        // The tests' webhook receivers listen on loopback, which production refuses unless allowed.
        var server = server
        if server.webhooks.allowedNetworks.isEmpty { server.webhooks = TestApp.loopbackWebhooks }
        if server.webhookSecrets == nil { server.webhookSecrets = try! WebhookSecretBox(base64: TestApp.secretsKey) }
        let client = PostgresClient(configuration: TestDatabase.pooled(TestDatabase.serviceSettings(settings)), backgroundLogger: TestDatabase.logger)
        let owner = PostgresClient(configuration: TestDatabase.pooled(settings), backgroundLogger: TestDatabase.logger)
        let app = ApplicationBuilder.build(
            settings: server, auth: auth, locationSettings: locations, cacheSettings: cache, routeSettings: routes, client: client, owner: owner,
            database: TestDatabase.serviceSettings(settings), migrations: try TestDatabase.migrations(), metrics: TestMetrics.export.render, logger: TestDatabase.logger
        )
        try await app.test(live ? .live : .router) { client in
            try await ready(client)
            try await body(token.map { AuthorizedClient(base: client, token: $0) } ?? client)
        }
    }

    /// `request`'s answer, asked again (up to five times, a fifth of a second
    /// apart) while it is a 503 or 504: what a client does with the service's
    /// retryable answers (the database slow or the instance saturated,
    /// which two cores shared by four suites in debug builds bring about now
    /// and then). For tests of what a route is, among thousands of requests.
    static func retryingUnavailable<Body>(
        _ request: () async throws -> (HTTPResponse.Status, Body)
    ) async throws -> (HTTPResponse.Status, Body) {
        var answer = try await request()
        for _ in 0..<5 where [.serviceUnavailable, .gatewayTimeout].contains(answer.0) {
            try await Task.sleep(for: .milliseconds(200))
            answer = try await request()
        }
        return answer
    }

    static let loopbackWebhooks = WebhookPolicy(allowedNetworks: ["127.0.0.0/8", "::1/128"].compactMap(IPNetwork.init))

    /// Waits until the instance has migrated and serves (`/ready` 200), as a
    /// balancer would: up to a minute, for tests running side by side share
    /// two cores and one database server.
    static func ready(_ client: any TestClientProtocol) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        while clock.now - start < .seconds(60) {
            if try await client.execute(uri: "/ready", method: .get, testCallback: { $0.status }) == .ok { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw NotReady()
    }

    struct NotReady: Error, CustomStringConvertible {
        var description: String { "the test application did not become ready (/ready 200) within 60 s" }
    }

    /// Waits until nearby answers from the live index (its follower's first load has run).
    static func waitForIndex(_ client: any TestClientProtocol) async throws {
        for _ in 0..<150 {
            let source = try await client.execute(uri: "/v1/nearby?lat=0&lng=0", method: .get) { try json($0.body)["source"] as? String }
            if source == "index" { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CancellationError()
    }

    static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any] ?? [:]
    }

    /// The `field` of an error answer.
    static func errorField(_ buffer: ByteBuffer) throws -> String? {
        (try json(buffer)["error"] as? [String: Any])?["field"] as? String
    }

    /// Runs `body` with a client of its own on the test's database.
    static func sql<Result: Sendable>(_ settings: DatabaseSettings, _ body: (PostgresClient) async throws -> Result) async throws -> Result {
        try await PostgresClient.withRunning(TestDatabase.pooled(settings), logger: TestDatabase.logger, body)
    }
}
