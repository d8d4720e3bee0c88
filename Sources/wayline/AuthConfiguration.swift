import API
import Auth
import Foundation
import Logging

/// Access control from the environment (docs/access-control.md).
enum AuthConfiguration {
    /// The settings `serve` runs with. `embeddedDataDirectory` is the
    /// embedded cluster's home when no `DATABASE_URL` is given: with no key
    /// configured, a secret is made there on first start. With a
    /// `DATABASE_URL` and no key, this refuses: there is no silent open mode.
    static func settings(_ environment: Environment, embeddedDataDirectory: String?, logger: Logger) async throws -> AuthSettings {
        var policy = AccessPolicy(routesPublic: try environment.flag("WAYLINE_ROUTES_PUBLIC", default: false))
        if let roles = environment.value("WAYLINE_NEARBY_ROLES") {
            policy.nearbyRoles.formUnion(try roles.split(separator: ",").map { name in
                guard let role = Role(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                    throw ConfigurationError("WAYLINE_NEARBY_ROLES names roles among anon, authenticated, service_role; got '\(name)'")
                }
                return role
            })
        }
        let userLimit = try limit(environment, "WAYLINE_RATE_LIMIT")
        let serviceLimit = try limit(environment, "WAYLINE_SERVICE_RATE_LIMIT")
        guard try environment.flag("WAYLINE_AUTH", default: true) else {
            return AuthSettings(verifier: nil, policy: policy, userLimit: userLimit, serviceLimit: serviceLimit)
        }
        let verifier = try await TokenVerifier(
            secret: try secret(environment, embeddedDataDirectory: embeddedDataDirectory, logger: logger),
            jwksJSON: try environment.value("WAYLINE_JWKS_FILE").map { path in
                do {
                    return try String(contentsOfFile: path, encoding: .utf8)
                } catch {
                    throw ConfigurationError("WAYLINE_JWKS_FILE cannot be read: \(path)")
                }
            },
            audience: environment.value("WAYLINE_JWT_AUDIENCE")
        )
        return AuthSettings(verifier: verifier, policy: policy, userLimit: userLimit, serviceLimit: serviceLimit)
    }

    /// `WAYLINE_JWT_SECRET`, or the embedded default's own secret.
    static func secret(_ environment: Environment, embeddedDataDirectory: String?, logger: Logger?) throws -> String? {
        if let secret = environment.value("WAYLINE_JWT_SECRET") { return secret }
        guard let directory = embeddedDataDirectory, environment.value("WAYLINE_JWKS_FILE") == nil else { return nil }
        let existed = FileManager.default.fileExists(atPath: SigningSecret.path(dataDirectory: directory))
        let secret = try SigningSecret.loadOrCreate(dataDirectory: directory)
        logger?.notice(
            "access control is on; mint a token with: .build/release/wayline token --role service_role",
            metadata: ["auth.secret_file": "\(SigningSecret.path(dataDirectory: directory))", "auth.secret_created": "\(!existed)"]
        )
        return secret
    }

    /// `<prefix>_RPS` and `<prefix>_BURST` (default: the rate, at least 1); nil when no rate is set.
    private static func limit(_ environment: Environment, _ prefix: String) throws -> RateLimiter.Limit? {
        guard let rate = try environment.positiveNumber("\(prefix)_RPS") else { return nil }
        return RateLimiter.Limit(rate: rate, burst: try environment.positiveNumber("\(prefix)_BURST") ?? max(1, rate))
    }
}
