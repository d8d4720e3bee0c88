public import Foundation

/// Whose rights a read runs with in PostgreSQL. A user's reads run as role
/// `authenticated` with `auth.uid()` returning the user, so the platform's
/// row-level security policies filter what the service's own check let
/// through: should that check ever be wrong, the database still returns
/// nothing of another user.
public enum ReadIdentity: Sendable, Equatable {
    /// The service's own login role (a member of `service_role`).
    case service
    case user(UUID)
}
