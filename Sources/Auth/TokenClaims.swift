import Foundation
import JWTKit

/// The platform's token payload (Supabase's and PostgREST's format).
///
/// Claims are checked by `TokenVerifier`, not in `verify(using:)`, so that a
/// refusal can name its reason; jwt-kit calls that only after the signature
/// has verified.
struct TokenClaims: JWTPayload {
    var sub: SubjectClaim?
    var role: String?
    var exp: ExpirationClaim?
    var nbf: NotBeforeClaim?
    var iat: IssuedAtClaim?
    var aud: AudienceClaim?
    var tenant: String?

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// The two header fields a key is chosen by, read before any key is used.
/// Decoding base64url JSON is no cryptography: the signature is still jwt-kit's to check.
struct TokenHeader: Decodable {
    var alg: String?
    var kid: String?

    init(token: Substring) throws(AuthFailure) {
        guard let dot = token.firstIndex(of: "."), let data = Data(base64URL: token[..<dot]),
              let header = try? JSONDecoder().decode(TokenHeader.self, from: data)
        else { throw .malformed }
        self = header
    }
}

extension Data {
    /// Base64url without padding, as JWS writes it; nil for anything else.
    init?(base64URL text: Substring) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard !base64.contains("=") else { return nil }
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        self.init(base64Encoded: base64)
    }
}
