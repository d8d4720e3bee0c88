public import Foundation

/// A user id ordered as PostgreSQL orders `uuid` values (byte by byte), so
/// that ties in distance break the same way in memory and in SQL.
public struct UserKey: Hashable, Comparable, Sendable {
    public let uuid: UUID

    public init(_ uuid: UUID) {
        self.uuid = uuid
    }

    public static func < (lhs: UserKey, rhs: UserKey) -> Bool {
        withUnsafeBytes(of: lhs.uuid.uuid) { left in
            withUnsafeBytes(of: rhs.uuid.uuid) { right in
                left.lexicographicallyPrecedes(right)
            }
        }
    }
}
