public import Foundation
public import GeoCore

/// A `current` location as the live index keeps it: who, where, and when the
/// row was stored (the watermark other instances follow).
public struct DriverPosition: Sendable {
    public let userID: UUID
    public let coordinate: Coordinate
    public let updatedAt: Date

    public init(userID: UUID, coordinate: Coordinate, updatedAt: Date) {
        self.userID = userID
        self.coordinate = coordinate
        self.updatedAt = updatedAt
    }
}
