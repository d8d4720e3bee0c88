public import Foundation

/// The platform's roles, as the `role` claim names them and PostgreSQL's
/// row-level security policies know them.
public enum Role: String, Sendable, CaseIterable {
    case anon
    case authenticated
    case serviceRole = "service_role"
}

/// Who a request speaks for, once its token is verified.
public struct Identity: Sendable, Equatable {
    public let role: Role
    /// The user (`sub`) of an `authenticated` token; nil for other roles.
    public let userID: UUID?
    /// The `sub` claim as sent, for rate limits and audit rows ("" when absent).
    public let subject: String
    /// The cache namespace of a `service_role` token (`tenant` claim); nil is the default one.
    public let tenant: String?
    /// When the token stops being valid; nil only for the identities below.
    public let expiresAt: Date?

    public init(role: Role, userID: UUID?, subject: String, tenant: String?, expiresAt: Date?) {
        self.role = role
        self.userID = userID
        self.subject = subject
        self.tenant = tenant
        self.expiresAt = expiresAt
    }

    /// A request without a token.
    public static let anonymous = Identity(role: .anon, userID: nil, subject: "", tenant: nil, expiresAt: nil)
    /// Every request when access control is off (`WAYLINE_AUTH=off`).
    public static let unrestricted = Identity(role: .serviceRole, userID: nil, subject: "auth-off", tenant: nil, expiresAt: nil)
}
