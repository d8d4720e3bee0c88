/// Why a request's credentials were refused (401). The reason is safe to show
/// the client: it never carries the token or the key.
public enum AuthFailure: String, Error, Sendable, CaseIterable {
    /// No `Authorization` header where one is required.
    case missing
    /// Not `Bearer <token>`, or not a JWT (three base64url parts of JSON).
    case malformed
    /// `alg` other than HS256, RS256 or ES256 (`none` included), or not the algorithm of the key it names.
    case unsupportedAlgorithm = "unsupported_algorithm"
    /// A `kid` that no configured key has, or a token that names no key where one must.
    case unknownKey = "unknown_kid"
    case badSignature = "bad_signature"
    /// No `exp` claim: tokens without an end are refused.
    case missingExpiry = "missing_exp"
    case expired
    /// `nbf` or `iat` in the future.
    case notYetValid = "not_yet_valid"
    case wrongAudience = "wrong_audience"
    /// A `role` claim that is not one of the platform's roles.
    case unknownRole = "unknown_role"
    /// An `authenticated` token whose `sub` is missing or not a UUID.
    case invalidSubject = "invalid_subject"
    /// A `tenant` claim that is not 1 to 64 of `A-Z a-z 0-9 . _ -`.
    case invalidTenant = "invalid_tenant"
    /// A valid `anon` token (or none) where a user or service is required.
    case anonymous

    public var message: String {
        switch self {
        case .missing: "this endpoint needs an Authorization: Bearer token"
        case .malformed: "the Authorization header is not a Bearer JSON Web Token"
        case .unsupportedAlgorithm: "the token's algorithm is not accepted"
        case .unknownKey: "the token names no key this service knows"
        case .badSignature: "the token's signature does not verify"
        case .missingExpiry: "the token has no exp claim"
        case .expired: "the token has expired"
        case .notYetValid: "the token is not valid yet"
        case .wrongAudience: "the token is not meant for this service"
        case .unknownRole: "the token's role is not anon, authenticated or service_role"
        case .invalidSubject: "an authenticated token's sub must be the user's UUID"
        case .invalidTenant: "the token's tenant must be 1 to 64 of A-Z a-z 0-9 . _ -"
        case .anonymous: "this endpoint needs a user or service token"
        }
    }
}
