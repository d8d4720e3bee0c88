public import Foundation
import JWTKit

/// Signs tokens with the shared secret: `wayline token`, and tests.
public struct TokenMinter: Sendable {
    private let keys: JWTKeyCollection

    public init(secret: String) async {
        keys = await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
    }

    /// An HS256 token for `role`, valid from now for `lifetime`.
    public func token(
        role: Role, subject: String?, tenant: String?, audience: String? = nil, lifetime: TimeInterval, now: Date = Date()
    ) async throws -> String {
        let claims = TokenClaims(
            sub: subject.map { SubjectClaim(value: $0) }, role: role.rawValue,
            exp: ExpirationClaim(value: now.addingTimeInterval(lifetime)), nbf: nil,
            iat: IssuedAtClaim(value: now), aud: audience.map { AudienceClaim(value: [$0]) }, tenant: tenant
        )
        return try await keys.sign(claims)
    }
}
