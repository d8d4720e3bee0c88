import Auth
import Foundation
import Hummingbird
import Storage

/// What the service writes to `system_audit_logs`: exports, erasures, and a
/// service's reads of a user's home or work address. Never on the hot paths
/// (nearby, position writes).
struct AuditLog: Sendable {
    let repository: AuditRepository

    /// A `service_role` read that returned `home` or `work`: who looked at where someone lives or works.
    func privateRead(_ types: [LocationType], of userID: UUID, by identity: Identity, request: Request) async throws {
        guard identity.role == .serviceRole else { return }
        let sensitive = types.filter { $0 == .home || $0 == .work }
        for type in sensitive {
            try await record("location.read_\(type.rawValue)", user: userID, by: identity, request: request)
        }
    }

    func record(_ action: String, user: UUID, by identity: Identity, request: Request) async throws {
        try await repository.record(AuditEvent(
            actorType: identity.role == .authenticated ? "user" : "service",
            actor: identity.auditName, action: action, resourceType: "user", resourceID: user.uuidString.lowercased(),
            correlationID: request.requestID
        ))
    }
}

extension Identity {
    /// How the actor is named in audit rows: the token's subject, and its tenant if any.
    var auditName: String {
        let name = subject.isEmpty ? role.rawValue : subject
        return tenant.map { "\(name)@\($0)" } ?? name
    }

    /// The rights a read on this identity's behalf runs with in PostgreSQL.
    var reader: ReadIdentity {
        if role == .authenticated, let userID { return .user(userID) }
        return .service
    }
}

extension Request {
    /// The request's id: the caller's `X-Request-Id` when sane, else the one
    /// `ObservingResponder` gave it.
    var requestID: String? { RequestID.accepted(headers[.xRequestID]) }
}
