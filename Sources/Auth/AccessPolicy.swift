public import Foundation

/// Who may do what, as docs/access-control.md's table says; the HTTP layer asks it and
/// turns its answers into 401 and 403. Where more is allowed than the
/// defaults, it is configuration (`WAYLINE_ROUTES_PUBLIC`, `WAYLINE_NEARBY_ROLES`).
public struct AccessPolicy: Sendable {
    /// Routes for requests without a token (or with an `anon` one).
    public var routesPublic: Bool
    /// The roles that may query nearby positions, besides `service_role`.
    public var nearbyRoles: Set<Role>

    public init(routesPublic: Bool = false, nearbyRoles: Set<Role> = [.serviceRole]) {
        self.routesPublic = routesPublic
        self.nearbyRoles = nearbyRoles.union([.serviceRole])
    }

    /// Reading, writing, exporting or erasing `owner`'s locations.
    public func user(_ identity: Identity, owner: UUID) -> AccessDecision {
        switch identity.role {
        case .serviceRole: .allowed
        case .authenticated: identity.userID == owner ? .allowed : .forbidden("a user token may only reach its own user's data")
        case .anon: .unauthenticated
        }
    }

    /// A batch of position writes: each item is then checked with `user`.
    public func batch(_ identity: Identity) -> AccessDecision {
        identity.role == .anon ? .unauthenticated : .allowed
    }

    public func nearby(_ identity: Identity) -> AccessDecision {
        if nearbyRoles.contains(identity.role) { return .allowed }
        return identity.role == .anon ? .unauthenticated : .forbidden("nearby positions are for dispatch services (role service_role)")
    }

    public func routes(_ identity: Identity) -> AccessDecision {
        identity.role != .anon || routesPublic ? .allowed : .unauthenticated
    }

    public func cache(_ identity: Identity) -> AccessDecision {
        servicesOnly(identity, refusal: "the cache is for services (role service_role)")
    }

    /// Defining geofences and reading their events: each tenant its own.
    public func geofences(_ identity: Identity) -> AccessDecision {
        servicesOnly(identity, refusal: "geofences are for services (role service_role)")
    }

    private func servicesOnly(_ identity: Identity, refusal: String) -> AccessDecision {
        switch identity.role {
        case .serviceRole: .allowed
        case .authenticated: .forbidden(refusal)
        case .anon: .unauthenticated
        }
    }
}

public enum AccessDecision: Sendable, Equatable {
    case allowed
    /// 401: no identity that could be allowed.
    case unauthenticated
    /// 403: a valid identity that is not allowed this.
    case forbidden(String)
}
