public import Foundation
public import GeoCore

/// A location as stored: the update that won, and when it was stored.
public struct StoredLocation: Sendable, Equatable {
    public var userID: UUID
    public var type: LocationType
    public var coordinate: Coordinate
    public var accuracyMeters: Double?
    public var altitudeMeters: Double?
    public var headingDegrees: Double?
    public var speedMetersPerSecond: Double?
    public var recordedAt: Date
    public var updatedAt: Date
    public var address: String?
    public var placeName: String?
    public var placeID: String?
    public var city: String?
    public var country: String?
}
