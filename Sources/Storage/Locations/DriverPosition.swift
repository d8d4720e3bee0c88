import Foundation
import GeoCore

/// A `current` location as the live index keeps it: who, where, and when the
/// row was stored (the watermark other instances follow).
struct DriverPosition: Sendable {
    let userID: UUID
    let coordinate: Coordinate
    let updatedAt: Date
}
