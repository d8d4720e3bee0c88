@testable import Auth
import Foundation
import JWTKit
import Testing
import _CryptoExtras

/// Every refusal docs/access-control.md lists, with real tokens signed by jwt-kit, and the
/// algorithm-confusion and `alg: none` attacks built by hand.
@Suite(.timeLimit(.minutes(5))) struct TokenVerifierTests {
    static let secret = "a-shared-secret-of-at-least-32-bytes!!"
    static let user = UUID()
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// Keys an auth server would hold: the shared secret, an RSA key and a P-256 key.
    struct Issuer {
        let hmac: JWTKeyCollection
        let rsa: JWTKeyCollection
        let ec: JWTKeyCollection
        let rsaPublicPEM: String
        let jwks: String

        static func make() async throws -> Issuer {
            let rsaKey = try Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
            let ecKey = ES256PrivateKey()
            let (modulus, exponent) = try rsaKey.publicKey.getKeyPrimitives()
            let point = try #require(ecKey.publicKey.parameters)
            let jwks = """
                {"keys": [
                  {"kty": "RSA", "kid": "rsa-1", "alg": "RS256", "use": "sig", "n": "\(base64URL(modulus))", "e": "\(base64URL(exponent))"},
                  {"kty": "EC", "kid": "ec-1", "crv": "P-256", "x": "\(point.x)", "y": "\(point.y)"}
                ]}
                """
            return Issuer(
                hmac: await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256),
                rsa: await JWTKeyCollection().add(rsa: rsaKey, digestAlgorithm: .sha256, kid: "rsa-1"),
                ec: await JWTKeyCollection().add(ecdsa: ecKey, kid: "ec-1"),
                rsaPublicPEM: rsaKey.publicKey.pemRepresentation, jwks: jwks
            )
        }
    }

    static func claims(
        role: String? = "authenticated", sub: String? = user.uuidString, exp: Date? = now.addingTimeInterval(600),
        nbf: Date? = nil, iat: Date? = nil, aud: [String]? = nil, tenant: String? = nil
    ) -> TokenClaims {
        TokenClaims(
            sub: sub.map { SubjectClaim(value: $0) }, role: role, exp: exp.map { ExpirationClaim(value: $0) },
            nbf: nbf.map { NotBeforeClaim(value: $0) }, iat: iat.map { IssuedAtClaim(value: $0) },
            aud: aud.map { AudienceClaim(value: $0) }, tenant: tenant
        )
    }

    static func base64URL(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    func verifier(_ issuer: Issuer? = nil, secret: String? = Self.secret, audience: String? = nil) async throws -> TokenVerifier {
        try await TokenVerifier(secret: secret, jwksJSON: issuer?.jwks, audience: audience)
    }

    func refusal(_ verifier: TokenVerifier, _ token: String) async -> AuthFailure? {
        do {
            _ = try await verifier.verify(token[...], now: Self.now)
            return nil
        } catch {
            return error
        }
    }

    @Test func acceptsEachKindOfKeyAndReadsTheClaims() async throws {
        let issuer = try await Issuer.make()
        let verifier = try await verifier(issuer)
        let user = try await verifier.verify(try await issuer.hmac.sign(Self.claims())[...], now: Self.now)
        #expect(user.role == .authenticated)
        #expect(user.userID == Self.user)
        let rsa = try await verifier.verify(try await issuer.rsa.sign(Self.claims(role: "service_role", sub: "dispatch", tenant: "acme"), kid: "rsa-1")[...], now: Self.now)
        #expect(rsa == Identity(role: .serviceRole, userID: nil, subject: "dispatch", tenant: "acme", expiresAt: Self.now.addingTimeInterval(600 + TokenVerifier.leeway)))
        let ec = try await verifier.verify(try await issuer.ec.sign(Self.claims(role: "anon", sub: nil), kid: "ec-1")[...], now: Self.now)
        #expect(ec.role == .anon)
    }

    @Test func refusesEveryBadTokenWithItsReason() async throws {
        let issuer = try await Issuer.make()
        let verifier = try await verifier(issuer, audience: "wayline")
        let good = Self.claims(aud: ["wayline"])
        #expect(await refusal(verifier, try await issuer.hmac.sign(good)) == nil)
        #expect(await refusal(verifier, "not a token") == .malformed)
        #expect(await refusal(verifier, "a.b.c") == .malformed)
        #expect(await refusal(verifier, try await issuer.hmac.sign(Self.claims(exp: Self.now.addingTimeInterval(-60), aud: ["wayline"]))) == .expired)
        #expect(await refusal(verifier, try await issuer.hmac.sign(Self.claims(exp: nil, aud: ["wayline"]))) == .missingExpiry)
        #expect(await refusal(verifier, try await issuer.hmac.sign(Self.claims(nbf: Self.now.addingTimeInterval(120), aud: ["wayline"]))) == .notYetValid)
        #expect(await refusal(verifier, try await issuer.hmac.sign(Self.claims(iat: Self.now.addingTimeInterval(120), aud: ["wayline"]))) == .notYetValid)
        #expect(await refusal(verifier, try await issuer.hmac.sign(Self.claims(aud: ["someone-else"]))) == .wrongAudience)
        #expect(await refusal(verifier, try await issuer.hmac.sign(Self.claims())) == .wrongAudience)
        #expect(await refusal(verifier, try await issuer.hmac.sign(Self.claims(role: "admin", aud: ["wayline"]))) == .unknownRole)
        #expect(await refusal(verifier, try await issuer.hmac.sign(Self.claims(sub: nil, aud: ["wayline"]))) == .invalidSubject)
        #expect(await refusal(verifier, try await issuer.hmac.sign(Self.claims(sub: "42", aud: ["wayline"]))) == .invalidSubject)
        #expect(await refusal(verifier, try await issuer.hmac.sign(Self.claims(role: "service_role", aud: ["wayline"], tenant: "a/b"))) == .invalidTenant)
        // Signed with another secret, or tampered with after signing.
        let other = await JWTKeyCollection().add(hmac: HMACKey(from: "another-secret-of-at-least-32-bytes!!!"), digestAlgorithm: .sha256)
        #expect(await refusal(verifier, try await other.sign(good)) == .badSignature)
        let parts = try await issuer.hmac.sign(good).split(separator: ".")
        let forged = Self.base64URL(Data(#"{"role":"service_role","exp":9999999999,"aud":"wayline"}"#.utf8))
        #expect(await refusal(verifier, "\(parts[0]).\(forged).\(parts[2])") == .badSignature)
    }

    @Test func refusesAlgNoneConfusionAndUnknownKeys() async throws {
        let issuer = try await Issuer.make()
        let verifier = try await verifier(issuer)
        let payload = Self.base64URL(try JSONEncoder().encode(Self.claims(role: "service_role")))
        for header in [#"{"alg":"none","typ":"JWT"}"#, #"{"alg":"None"}"#, #"{"alg":"HS512"}"#, #"{"typ":"JWT"}"#] {
            #expect(await refusal(verifier, "\(Self.base64URL(Data(header.utf8))).\(payload).") == .unsupportedAlgorithm, "\(header)")
        }
        // Algorithm confusion: HS256 keyed with the RSA public key, naming that key.
        let confused = await JWTKeyCollection().add(hmac: HMACKey(from: issuer.rsaPublicPEM), digestAlgorithm: .sha256, kid: "rsa-1")
        #expect(await refusal(verifier, try await confused.sign(Self.claims(), kid: "rsa-1")) == .unsupportedAlgorithm)
        // A key nobody configured, and an asymmetric token naming no key.
        let stranger = await JWTKeyCollection().add(ecdsa: ES256PrivateKey(), kid: "ec-2")
        #expect(await refusal(verifier, try await stranger.sign(Self.claims(), kid: "ec-2")) == .unknownKey)
        let anonymous = await JWTKeyCollection().add(ecdsa: ES256PrivateKey())
        #expect(await refusal(verifier, try await anonymous.sign(Self.claims())) == .unknownKey)
        // The right key id with another key's signature.
        let impostor = await JWTKeyCollection().add(ecdsa: ES256PrivateKey(), kid: "ec-1")
        #expect(await refusal(verifier, try await impostor.sign(Self.claims(), kid: "ec-1")) == .badSignature)
        // With only a JWKS, an HS256 token has no key at all.
        let jwksOnly = try await TokenVerifier(secret: nil, jwksJSON: issuer.jwks, audience: nil)
        #expect(await refusal(jwksOnly, try await issuer.hmac.sign(Self.claims())) == .unknownKey)
    }

    @Test func refusesUnusableKeyConfiguration() async throws {
        await #expect(throws: KeyConfigurationError.noKey) { try await TokenVerifier(secret: nil, jwksJSON: nil, audience: nil) }
        await #expect(throws: KeyConfigurationError.secretTooShort) { try await TokenVerifier(secret: "short", jwksJSON: nil, audience: nil) }
        await #expect(throws: KeyConfigurationError.self) { try await TokenVerifier(secret: nil, jwksJSON: #"{"keys": []}"#, audience: nil) }
        await #expect(throws: KeyConfigurationError.self) {
            try await TokenVerifier(secret: nil, jwksJSON: #"{"keys": [{"kty": "oct", "kid": "k", "k": "c2VjcmV0"}]}"#, audience: nil)
        }
    }
}
