import Auth
import Hummingbird

extension APIError {
    /// 401 for a refused or missing credential: RFC 6750's challenge, and the
    /// reason as the rule of field `authorization` (never the token itself).
    static func unauthorized(_ reason: AuthFailure) -> APIError {
        AuthMetrics.shared.refused(reason)
        return APIError(
            .unauthorized, code: "unauthorized", message: reason.message, field: "authorization",
            details: [FieldError("authorization", reason.rawValue)],
            headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\", error_description=\"\(reason.rawValue)\""]
        )
    }

    /// 403: the token is valid but does not allow this.
    static func forbidden(_ message: String, field: String, details: [FieldError]? = nil) -> APIError {
        APIError(.forbidden, code: "forbidden", message: message, field: field, details: details)
    }

    static func rateLimited(retryAfter seconds: Int) -> APIError {
        APIError(
            .tooManyRequests, code: "rate_limited", message: "too many requests; retry after \(seconds) s", field: "authorization",
            headers: [.retryAfter: String(seconds)]
        )
    }
}

extension Identity {
    /// Throws the 401 or 403 that `decision` calls for; `field` names what was refused.
    func require(_ decision: AccessDecision, field: String) throws(APIError) {
        switch decision {
        case .allowed: return
        case .unauthenticated: throw .unauthorized(self == .anonymous ? .missing : .anonymous)
        case .forbidden(let message): throw .forbidden(message, field: field)
        }
    }
}
