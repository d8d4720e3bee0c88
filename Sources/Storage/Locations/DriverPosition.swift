import Foundation
import GeoCore

/// A `current` location as the live index keeps it: who, where, when the
/// row was stored (the watermark other instances follow), and where the
/// driver heads (it steers where nearby by road time snaps the driver), and
/// its attributes as stored.
struct DriverPosition: Sendable {
    let userID: UUID
    let coordinate: Coordinate
    let updatedAt: Date
    let headingDegrees: Double?
    let attributes: Attributes
}
