import API
import Auth
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Storage
import Testing
import TestSupport

/// Who may do what (docs/access-control.md), through the whole application
/// with real tokens: each endpoint × no token, `anon`, a user on its own and
/// on another's data, and a service.
@Suite(.timeLimit(.minutes(5))) struct AccessControlTests {
    typealias Client = any TestClientProtocol

    static func status(_ http: Client, _ method: HTTPRequest.Method, _ uri: String, token: String?, body: String? = nil) async throws -> HTTPResponse.Status {
        try await response(http, method, uri, token: token, body: body).status
    }

    static func response(_ http: Client, _ method: HTTPRequest.Method, _ uri: String, token: String?, body: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await http.executeRequest(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    @Test func locationsFollowTheMatrix() async throws {
        let (owner, other) = (UUID(), UUID())
        let service = try await TestAuth.service()
        let user = try await TestAuth.user(owner)
        let anon = try await TestAuth.token(.anon)
        try await TestApp.unauthorized { http, _ async throws in
            let fix = #"{"lat": 1, "lng": 2}"#
            for path in ["/v1/locations/\(owner)/current", "/v1/locations/\(owner)", "/v1/users/\(owner)/export"] {
                for token in [nil, anon] {
                    let answer = try await Self.response(http, .get, path, token: token)
                    #expect(answer.status == .unauthorized, "\(path)")
                    #expect(answer.headers[.wwwAuthenticate]?.hasPrefix("Bearer error=\"invalid_token\"") == true)
                    #expect(try TestApp.errorField(answer.body) == "authorization")
                }
            }
            #expect(try await Self.status(http, .put, "/v1/locations/\(owner)/current", token: nil, body: fix) == .unauthorized)
            #expect(try await Self.status(http, .delete, "/v1/locations/\(owner)/current", token: anon) == .unauthorized)
            // The user on its own data: everything; on another's: 403, and nothing is written.
            #expect(try await Self.status(http, .put, "/v1/locations/\(owner)/home", token: user, body: fix) == .ok)
            #expect(try await Self.status(http, .get, "/v1/locations/\(owner)/home", token: user) == .ok)
            #expect(try await Self.status(http, .get, "/v1/locations/\(owner)", token: user) == .ok)
            let denied = try await Self.response(http, .put, "/v1/locations/\(other)/home", token: user, body: fix)
            #expect(denied.status == .forbidden)
            #expect(try TestApp.errorField(denied.body) == "user_id")
            #expect(try await Self.status(http, .get, "/v1/locations/\(other)", token: user) == .forbidden)
            #expect(try await Self.status(http, .delete, "/v1/locations/\(other)", token: user) == .forbidden)
            #expect(try await Self.status(http, .get, "/v1/users/\(other)/export", token: user) == .forbidden)
            // Attributes: the user changes its own; another's is 403 whether or not it exists; no token is 401.
            let busy = #"{"status": "busy"}"#
            #expect(try await Self.status(http, .patch, "/v1/locations/\(owner)/home/attributes", token: user, body: busy) == .ok)
            #expect(try await Self.status(http, .patch, "/v1/locations/\(other)/home/attributes", token: user, body: busy) == .forbidden)
            #expect(try await Self.status(http, .patch, "/v1/locations/\(owner)/home/attributes", token: nil, body: busy) == .unauthorized)
            #expect(try await Self.status(http, .delete, "/v1/users/\(other)", token: user) == .forbidden)
            #expect(try await Self.status(http, .get, "/v1/locations/\(other)/home", token: service) == .notFound)
            // A service reaches any user.
            #expect(try await Self.status(http, .put, "/v1/locations/\(other)/current", token: service, body: fix) == .ok)
            #expect(try await Self.status(http, .get, "/v1/locations/\(owner)/home", token: service) == .ok)
            #expect(try await Self.status(http, .delete, "/v1/locations/\(owner)/home", token: user) == .noContent)
        }
    }

    @Test func aUserBatchNamingOthersIsRefusedWhole() async throws {
        let (owner, other) = (UUID().uuidString.lowercased(), UUID().uuidString.lowercased())
        let user = try await TestAuth.user(UUID(uuidString: owner)!)
        let service = try await TestAuth.service()
        try await TestApp.unauthorized { http, _ async throws in
            let items = [owner, other, owner, other].enumerated().map { #"{"user_id": "\#($1)", "type": "\#(["current", "home", "work", "pickup"][$0])", "lat": 1, "lng": 1}"# }
            let answer = try await Self.response(http, .post, "/v1/locations/batch", token: user, body: #"{"updates": [\#(items.joined(separator: ","))]}"#)
            #expect(answer.status == .forbidden)
            let details = (try TestApp.json(answer.body)["error"] as? [String: Any])?["details"] as? [[String: String]] ?? []
            #expect(details.map { $0["field"] } == ["updates[1].user_id", "updates[3].user_id"])
            #expect(try await Self.status(http, .get, "/v1/locations/\(owner)", token: service) == .ok)
            let stored = try TestApp.json(try await Self.response(http, .get, "/v1/locations/\(owner)", token: service).body)["locations"] as? [Any]
            #expect(stored?.isEmpty == true)
            #expect(try await Self.status(http, .post, "/v1/locations/batch", token: nil, body: #"{"updates": [\#(items[0])]}"#) == .unauthorized)
            #expect(try await Self.status(http, .post, "/v1/locations/batch", token: user, body: #"{"updates": [\#(items[0]), \#(items[2])]}"#) == .ok)
        }
    }

    @Test func nearbyIsForServicesUnlessConfigured() async throws {
        let user = try await TestAuth.user(UUID())
        let service = try await TestAuth.service()
        let uri = "/v1/nearby?lat=1&lng=1"
        try await TestApp.unauthorized { http, _ async throws in
            #expect(try await Self.status(http, .get, uri, token: nil) == .unauthorized)
            #expect(try await Self.status(http, .get, uri, token: try await TestAuth.token(.anon)) == .unauthorized)
            #expect(try await Self.status(http, .get, uri, token: user) == .forbidden)
            #expect(try await Self.status(http, .get, uri, token: service) == .ok)
        }
        let widened = try await TestAuth.settings(AccessPolicy(nearbyRoles: [.authenticated]))
        try await TestApp.unauthorized(auth: widened) { http, _ async throws in
            #expect(try await Self.status(http, .get, uri, token: user) == .ok)
            #expect(try await Self.status(http, .get, uri, token: nil) == .unauthorized)
        }
    }

    @Test func routesNeedATokenUnlessPublicAndABadTokenIsRefusedEverywhere() async throws {
        let uri = "/route/v1/driving/7.42,43.73;7.43,43.74"
        let user = try await TestAuth.user(UUID())
        let expired = try await TestAuth.token(.serviceRole, lifetime: 60, now: Date().addingTimeInterval(-3_600))
        try await TestApp.unauthorized { http, _ async throws in
            #expect(try await Self.status(http, .get, uri, token: nil) == .unauthorized)
            // Past access control, there is no network yet.
            #expect(try await Self.status(http, .get, uri, token: user) == .serviceUnavailable)
            #expect(try await Self.status(http, .get, "/health", token: nil) == .ok)
            #expect(try await Self.status(http, .get, "/ready", token: "garbage") == .ok)
            let refused = try await Self.response(http, .get, "/v1/cache/k", token: expired)
            #expect(refused.status == .unauthorized)
            let body = String(buffer: refused.body)
            #expect(body.contains(#""rule":"expired""#))
            #expect(!body.contains(expired))
            let malformed = try await http.executeRequest(uri: "/v1/cache/k", method: .get, headers: [.authorization: "Basic dXNlcjpwYXNz"], body: nil)
            #expect(malformed.status == .unauthorized)
            #expect(String(buffer: malformed.body).contains(#""rule":"malformed""#))
        }
        try await TestApp.unauthorized(auth: try await TestAuth.settings(AccessPolicy(routesPublic: true))) { http, _ async throws in
            #expect(try await Self.status(http, .get, uri, token: nil) == .serviceUnavailable)
            #expect(try await Self.status(http, .get, uri, token: expired) == .unauthorized)
        }
    }

    @Test func cacheTenantsAreIsolated() async throws {
        let acme = try await TestAuth.service(tenant: "acme")
        let globex = try await TestAuth.service(tenant: "globex")
        let shared = try await TestAuth.service()
        let user = try await TestAuth.user(UUID())
        try await TestApp.unauthorized { http, _ async throws in
            #expect(try await Self.status(http, .get, "/v1/cache/k", token: nil) == .unauthorized)
            #expect(try await Self.status(http, .get, "/v1/cache/k", token: user) == .forbidden)
            #expect(try await Self.status(http, .get, "/v1/cache/stats", token: user) == .forbidden)
            #expect(try await Self.status(http, .put, "/v1/cache/k", token: acme, body: #"{"value": "acme's", "type": "eta", "tags": ["zone:1"]}"#) == .ok)
            // Another tenant and the default one see nothing of it, and cannot touch it.
            for other in [globex, shared] {
                #expect(try await Self.status(http, .get, "/v1/cache/k", token: other) == .notFound)
                #expect(try await Self.status(http, .delete, "/v1/cache/k", token: other) == .notFound)
                let invalidated = try await Self.response(http, .post, "/v1/cache/invalidate", token: other, body: #"{"tags": ["zone:1"]}"#)
                #expect(try TestApp.json(invalidated.body)["invalidated"] as? Int == 0)
            }
            #expect(try await Self.status(http, .put, "/v1/cache/k", token: globex, body: #"{"value": "globex's", "tags": ["zone:1"]}"#) == .ok)
            let entry = try TestApp.json(try await Self.response(http, .get, "/v1/cache/k", token: acme).body)
            #expect(entry["value"] as? String == "acme's")
            #expect(entry["key"] as? String == "k" && entry["type"] as? String == "eta" && entry["tags"] as? [String] == ["zone:1"])
            // Stats: each tenant its own types (misses on keys never set count as its "unknown").
            let types = { (token: String) in
                ((try TestApp.json(try await Self.response(http, .get, "/v1/cache/stats", token: token).body)["types"] as? [[String: Any]]) ?? [])
                    .compactMap { $0["type"] as? String }
            }
            #expect(try await types(acme) == ["eta"])
            #expect(try await types(globex) == ["general", "unknown"])
            #expect(try await types(shared) == ["unknown"])
            // An invalidation drops its own tenant's entries only.
            let dropped = try await Self.response(http, .post, "/v1/cache/invalidate", token: globex, body: #"{"tags": ["zone:1"]}"#)
            #expect(try TestApp.json(dropped.body)["invalidated"] as? Int == 1)
            #expect(try await Self.status(http, .get, "/v1/cache/k", token: globex) == .notFound)
            #expect(try await Self.status(http, .get, "/v1/cache/k", token: acme) == .ok)
        }
    }

    @Test func overTheLimitIsA429WithRetryAfter() async throws {
        let auth = try await TestAuth.settings(userLimit: RateLimiter.Limit(rate: 0.5, burst: 2))
        let owner = UUID()
        let user = try await TestAuth.user(owner)
        try await TestApp.unauthorized(auth: auth) { http, _ async throws in
            for _ in 0..<2 { #expect(try await Self.status(http, .get, "/v1/locations/\(owner)", token: user) == .ok) }
            let limited = try await Self.response(http, .get, "/v1/locations/\(owner)", token: user)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] == "2")
            #expect(try TestApp.errorField(limited.body) == "authorization")
            // Failed authentications count against the client's address.
            for _ in 0..<2 { #expect(try await Self.status(http, .get, "/v1/cache/k", token: "bad") == .unauthorized) }
            #expect(try await Self.status(http, .get, "/v1/cache/k", token: "bad") == .tooManyRequests)
            // Services are not limited unless configured.
            let service = try await TestAuth.service()
            for _ in 0..<5 { #expect(try await Self.status(http, .get, "/v1/locations/\(owner)", token: service) == .ok) }
        }
    }
}
