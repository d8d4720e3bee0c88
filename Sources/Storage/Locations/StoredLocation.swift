public import Foundation

/// A location as stored: the update that won, and when it was stored. Its
/// fields read through to the update (`stored.coordinate`, `stored.userID`).
@dynamicMemberLookup
public struct StoredLocation: Sendable, Equatable {
    public var update: LocationUpdate
    public var updatedAt: Date

    public init(update: LocationUpdate, updatedAt: Date) {
        self.update = update
        self.updatedAt = updatedAt
    }

    public subscript<Value>(dynamicMember keyPath: KeyPath<LocationUpdate, Value>) -> Value {
        update[keyPath: keyPath]
    }
}
