public import Foundation
import GeoCore
import JWTKit

/// Verifies bearer tokens against the configured keys and turns them into an
/// `Identity`. Signatures are jwt-kit's; this type chooses the key and checks
/// the claims, so that every refusal names its reason.
///
/// Key choice is strict, so that no token can pick its own verification:
/// a token naming a `kid` of the JWKS must carry that key's algorithm
/// (RS256 or ES256); any other token must be HS256 and is checked with the
/// shared secret. `alg: none`, an HS256 token naming a public key (algorithm
/// confusion) and a `kid` nobody knows are refused before any key is used.
public struct TokenVerifier: Sendable {
    /// Clock skew tolerated on `exp`, `nbf` and `iat`, as PostgREST allows.
    public static let leeway: TimeInterval = 30

    private let secret: JWTKeyCollection?
    private let jwks: JWTKeyCollection?
    /// The algorithm each JWKS key verifies.
    private let jwksAlgorithms: [String: String]
    private let audience: String?

    /// - Parameters:
    ///   - secret: the HS256 shared secret, if any.
    ///   - jwksJSON: a JWKS with RS256 or ES256 public keys, each with a `kid`, if any.
    ///   - audience: when set, tokens must name it in `aud`.
    public init(secret: String?, jwksJSON: String?, audience: String?) async throws(KeyConfigurationError) {
        guard secret != nil || jwksJSON != nil else { throw .noKey }
        if let secret {
            guard secret.utf8.count >= 32 else { throw .secretTooShort }
            self.secret = await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        } else {
            self.secret = nil
        }
        if let jwksJSON {
            let set: JWKS
            do {
                set = try JSONDecoder().decode(JWKS.self, from: Data(jwksJSON.utf8))
            } catch {
                throw .invalidJWKS("not a JWKS document (a JSON object with a keys array)")
            }
            guard !set.keys.isEmpty else { throw .invalidJWKS("it holds no keys") }
            let collection = JWTKeyCollection()
            var algorithms: [String: String] = [:]
            for key in set.keys {
                guard let kid = key.keyIdentifier?.string, !kid.isEmpty else { throw .invalidJWKS("every key needs a kid") }
                guard key.privateExponent == nil, key.keyType != .ecdsa || key.curve?.rawValue == "P-256" || key.curve == nil else {
                    throw .invalidJWKS("key \(kid) must be an RSA or P-256 public key")
                }
                let algorithm: String
                switch (key.keyType, key.algorithm?.rawValue) {
                case (.rsa, nil), (.rsa, "RS256"): algorithm = "RS256"
                case (.ecdsa, nil), (.ecdsa, "ES256"): algorithm = "ES256"
                default: throw .invalidJWKS("key \(kid) must be RS256 or ES256")
                }
                do {
                    try await collection.add(jwk: key)
                } catch {
                    throw .invalidJWKS("key \(kid) is not a valid public key")
                }
                algorithms[kid] = algorithm
            }
            self.jwks = collection
            self.jwksAlgorithms = algorithms
        } else {
            self.jwks = nil
            self.jwksAlgorithms = [:]
        }
        self.audience = audience
    }

    /// The identity `token` proves at `now`, or why it proves none.
    public func verify(_ token: Substring, now: Date = Date()) async throws(AuthFailure) -> Identity {
        let header = try TokenHeader(token: token)
        let keys: JWTKeyCollection
        if let kid = header.kid, let expected = jwksAlgorithms[kid], let jwks {
            guard header.alg == expected else { throw .unsupportedAlgorithm }
            keys = jwks
        } else if header.alg == "HS256", let secret {
            keys = secret
        } else if header.alg == "RS256" || header.alg == "ES256" || header.alg == "HS256" {
            throw .unknownKey
        } else {
            throw .unsupportedAlgorithm
        }
        let claims: TokenClaims
        do {
            claims = try await keys.verify(Array(token.utf8), as: TokenClaims.self)
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw .badSignature
        } catch {
            throw .malformed
        }
        return try identity(claims, now: now)
    }

    private func identity(_ claims: TokenClaims, now: Date) throws(AuthFailure) -> Identity {
        guard let expiry = claims.exp?.value else { throw .missingExpiry }
        guard now.timeIntervalSince(expiry) < Self.leeway else { throw .expired }
        for start in [claims.nbf?.value, claims.iat?.value].compactMap({ $0 }) where start.timeIntervalSince(now) > Self.leeway {
            throw .notYetValid
        }
        if let audience, !(claims.aud?.value.contains(audience) ?? false) { throw .wrongAudience }
        guard let role = claims.role.flatMap(Role.init(rawValue:)) else { throw .unknownRole }
        let subject = claims.sub?.value ?? ""
        var userID: UUID?
        if role == .authenticated {
            guard let id = UUID(uuidString: subject) else { throw .invalidSubject }
            userID = id
        }
        var tenant: String?
        if role == .serviceRole, let name = claims.tenant {
            guard TenantName.isValid(name) else { throw .invalidTenant }
            tenant = name
        }
        return Identity(role: role, userID: userID, subject: subject, tenant: tenant, expiresAt: expiry.addingTimeInterval(Self.leeway))
    }
}

/// Why the configured keys cannot be used; `serve` and `token` stop on it.
public enum KeyConfigurationError: Error, Equatable, CustomStringConvertible {
    case noKey
    case secretTooShort
    case invalidJWKS(String)

    public var description: String {
        switch self {
        case .noKey: "no token key: set WAYLINE_JWT_SECRET or WAYLINE_JWKS_FILE (or WAYLINE_AUTH=off for a local experiment)"
        case .secretTooShort: "WAYLINE_JWT_SECRET must be at least 32 bytes (HS256 needs a key as long as its hash)"
        case .invalidJWKS(let reason): "WAYLINE_JWKS_FILE cannot be used: \(reason)"
        }
    }
}

/// Tenant names: what may appear in a `tenant` claim.
public enum TenantName {
    public static func isValid(_ name: String) -> Bool {
        NameSyntax.isValid(name, maximumBytes: 64)
    }
}
