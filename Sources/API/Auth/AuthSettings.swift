public import Auth

/// Access control as `serve` configures it.
public struct AuthSettings: Sendable {
    /// nil: access control is off (`WAYLINE_AUTH=off`), every request is `service_role`.
    public var verifier: TokenVerifier?
    public var policy: AccessPolicy
    /// Per user (and per client address for requests without a valid token); nil is no limit.
    public var userLimit: RateLimiter.Limit?
    /// Per `service_role` subject; nil is no limit.
    public var serviceLimit: RateLimiter.Limit?

    public init(verifier: TokenVerifier?, policy: AccessPolicy = AccessPolicy(), userLimit: RateLimiter.Limit? = nil,
                serviceLimit: RateLimiter.Limit? = nil) {
        self.verifier = verifier
        self.policy = policy
        self.userLimit = userLimit
        self.serviceLimit = serviceLimit
    }
}
