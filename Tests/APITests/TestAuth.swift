import API
import Auth
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// Tokens for API tests, signed with a secret of the tests' own as the
/// service's auth server would sign them.
enum TestAuth {
    static let secret = "wayline-tests-shared-secret-0123456789abcdef"

    static func settings(_ policy: AccessPolicy = AccessPolicy(), userLimit: RateLimiter.Limit? = nil) async throws -> AuthSettings {
        AuthSettings(verifier: try await TokenVerifier(secret: secret, jwksJSON: nil, audience: nil), policy: policy, userLimit: userLimit)
    }

    static func token(_ role: Role, sub: String? = nil, tenant: String? = nil, lifetime: TimeInterval = 3_600, now: Date = Date()) async throws -> String {
        try await TokenMinter(secret: secret).token(role: role, subject: sub, tenant: tenant, lifetime: lifetime, now: now)
    }

    static func service(tenant: String? = nil) async throws -> String {
        try await token(.serviceRole, sub: "tests", tenant: tenant)
    }

    static func user(_ id: UUID) async throws -> String {
        try await token(.authenticated, sub: id.uuidString.lowercased())
    }

    static func bearer(_ token: String) -> HTTPFields {
        [.authorization: "Bearer \(token)"]
    }
}

/// A test client that sends `token` with every request that has no
/// `Authorization` of its own: the API's tests speak as a service unless
/// they say otherwise.
struct AuthorizedClient: TestClientProtocol {
    let base: any TestClientProtocol
    let token: String

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        var headers = headers
        if headers[.authorization] == nil { headers[.authorization] = "Bearer \(token)" }
        return try await base.executeRequest(uri: uri, method: method, headers: headers, body: body)
    }

    var port: Int? { base.port }
}
