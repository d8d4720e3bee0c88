import API
import Auth
import Foundation
import GeoCore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Storage
import Testing
import TestSupport

/// Export, erasure, audit rows and retention (docs/access-control.md), and the
/// database's own enforcement of who reads what.
@Suite(.timeLimit(.minutes(5))) struct PrivacyTests {
    typealias Access = AccessControlTests

    /// A read made for a user runs under the user's identity in PostgreSQL:
    /// asked (as an application bug would) for another user's rows, the
    /// policies return none, though the service's role sees them.
    @Test func rowLevelSecurityFiltersAUsersReads() async throws {
        let (me, other) = (UUID(), UUID())
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            try await PostgresClient.withRunning(TestDatabase.pooled(TestDatabase.serviceSettings(settings)), logger: TestDatabase.logger) { client in
                #expect(try await !DatabaseRole.bypassesRowLevelSecurity(client))
                let repository = LocationRepository(client: client)
                let fix = { (user: UUID, type: LocationType) in
                    LocationUpdate(userID: user, type: type, coordinate: try Coordinate(latitude: 1, longitude: 2), recordedAt: Date())
                }
                _ = try await repository.upsert([try fix(me, .home), try fix(other, .home), try fix(other, .work)])
                #expect(try await repository.find(userID: other, as: .user(me)).isEmpty)
                #expect(try await repository.find(userID: other, type: .home, as: .user(me)) == nil)
                #expect(try await repository.find(userID: me, as: .user(me)).map(\.update.type) == [.home])
                #expect(try await repository.find(userID: other, as: .service).count == 2)
            }
        }
    }

    @Test func exportAndAuditRows() async throws {
        let owner = UUID()
        let user = try await TestAuth.user(owner)
        let service = try await TestAuth.service(tenant: "dispatch")
        try await TestApp.unauthorized { http, settings async throws in
            for type in ["home", "work", "current"] {
                #expect(try await Access.status(http, .put, "/v1/locations/\(owner)/\(type)", token: user, body: #"{"lat": 1, "lng": 2}"#) == .ok)
            }
            let export = try await Access.response(http, .get, "/v1/users/\(owner)/export", token: user, headers: [.init("X-Request-Id")!: "req-export-1"])
            #expect(export.status == .ok)
            let body = try TestApp.json(export.body)
            #expect(body["user_id"] as? String == owner.uuidString.lowercased())
            #expect((body["locations"] as? [[String: Any]])?.compactMap { $0["type"] as? String } == ["current", "home", "work"])
            // A service reading where the user lives is audited; the user reading it is not.
            _ = try await Access.response(http, .get, "/v1/locations/\(owner)/home", token: user)
            _ = try await Access.response(http, .get, "/v1/locations/\(owner)/home", token: service, headers: [.init("X-Request-Id")!: "req-home-1"])
            _ = try await Access.response(http, .get, "/v1/locations/\(owner)/current", token: service)
            let rows = try await TestApp.sql(settings) { client in
                var rows: [String] = []
                for try await (actorType, actor, action, resource, correlation) in try await client.query("""
                    SELECT actor_type, actor_identifier, action, resource_id, coalesce(correlation_id, '') FROM system_audit_logs ORDER BY created_at
                    """).decode((String, String, String, String, String).self) {
                    rows.append([actorType, actor, action, resource, correlation].joined(separator: " "))
                }
                return rows
            }
            let id = owner.uuidString.lowercased()
            #expect(rows == ["user \(id) user.export \(id) req-export-1", "service tests@dispatch location.read_home \(id) req-home-1"])
        }
    }

    /// Erasure on one instance: the other's live index drops the user within
    /// a second, and the user's cache entries go in every tenant.
    @Test func erasureReachesEveryInstanceAndTenant() async throws {
        let owner = UUID()
        let id = owner.uuidString.lowercased()
        let user = try await TestAuth.user(owner)
        let (acme, shared) = (try await TestAuth.service(tenant: "acme"), try await TestAuth.service())
        try await TestApp.twoUnauthorized { first, second, settings in
            #expect(try await Access.status(first, .put, "/v1/locations/\(owner)/current", token: shared, body: #"{"lat": 45.5, "lng": 7.5}"#) == .ok)
            #expect(try await Access.status(first, .put, "/v1/locations/\(owner)/home", token: shared, body: #"{"lat": 45.6, "lng": 7.6}"#) == .ok)
            for token in [acme, shared] {
                #expect(try await Access.status(first, .put, "/v1/cache/profile", token: token, body: #"{"value": 1, "tags": ["user:\#(id)"]}"#) == .ok)
                #expect(try await Access.status(second, .get, "/v1/cache/profile", token: token) == .ok)
            }
            #expect(try await Access.status(first, .put, "/v1/cache/unrelated", token: acme, body: #"{"value": 2, "tags": ["user:someone-else"]}"#) == .ok)
            let nearby = { () async throws -> Bool in
                let answer = try await Access.response(second, .get, "/v1/nearby?lat=45.5&lng=7.5&radius_m=100", token: shared)
                return String(buffer: answer.body).contains(id)
            }
            #expect(try await CacheAPITests.eventually(nearby))

            let erased = try await Access.response(first, .delete, "/v1/users/\(owner)", token: user)
            #expect(erased.status == .ok)
            let summary = try TestApp.json(erased.body)
            #expect(summary["locations_deleted"] as? Int == 2 && summary["cache_entries_invalidated"] as? Int == 2)
            let started = ContinuousClock.now
            while try await nearby(), ContinuousClock.now - started < .seconds(1) { try await Task.sleep(for: .milliseconds(20)) }
            #expect(try await !nearby(), "the second instance still lists the erased user after 1 s")
            for token in [acme, shared] {
                #expect(try await Access.status(second, .get, "/v1/cache/profile", token: token) == .notFound)
            }
            #expect(try await Access.status(second, .get, "/v1/cache/unrelated", token: acme) == .ok)
            #expect(try await Access.status(first, .get, "/v1/locations/\(owner)", token: user) == .ok)
            let audited = try await TestApp.sql(settings) { try await $0.value("SELECT count(*)::int FROM system_audit_logs WHERE action = 'user.erase'", as: Int.self) }
            #expect(audited == 1)
        }
    }

    @Test func retentionDeletesStaleCurrentPositionsInBatches() async throws {
        try await TestDatabase.withMigratedDatabase { client in
            let repository = LocationRepository(client: client)
            let users = (0..<25).map { _ in UUID() }
            _ = try await repository.upsert(try users.map {
                LocationUpdate(userID: $0, type: .current, coordinate: try Coordinate(latitude: 1, longitude: 1), recordedAt: Date())
            })
            _ = try await repository.upsert([LocationUpdate(userID: users[0], type: .home, coordinate: try Coordinate(latitude: 1, longitude: 1), recordedAt: Date())])
            // Twenty positions a month old (the trigger would stamp the update itself).
            try await client.run("ALTER TABLE locations DISABLE TRIGGER trg_locations_updated_at")
            try await client.run("UPDATE locations SET updated_at = now() - interval '31 days' WHERE user_id = ANY(\(Array(users[0..<20])))")
            let deleted = try await repository.purgeStaleCurrent(before: Date().addingTimeInterval(-30 * 86_400), batchSize: 7)
            #expect(deleted == 20)
            #expect(try await client.value("SELECT count(*)::int FROM locations WHERE type = 'current'", as: Int.self) == 5)
            #expect(try await client.value("SELECT count(*)::int FROM locations WHERE type = 'home'", as: Int.self) == 1)
        }
    }
}
