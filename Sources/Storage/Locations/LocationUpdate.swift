public import Foundation
public import GeoCore

/// A validated location to store for a user.
public struct LocationUpdate: Sendable, Equatable {
    public var userID: UUID
    public var type: LocationType
    public var coordinate: Coordinate
    public var accuracyMeters: Double?
    public var altitudeMeters: Double?
    public var headingDegrees: Double?
    public var speedMetersPerSecond: Double?
    /// When the device took the fix; an older fix never overwrites a newer one.
    public var recordedAt: Date
    public var address: String?
    public var placeName: String?
    public var placeID: String?
    public var city: String?
    public var country: String?
    /// What nearby filters on. On a write, nil keeps the stored ones; read
    /// back, the stored ones (empty when none).
    public var attributes: Attributes?

    public init(
        userID: UUID, type: LocationType, coordinate: Coordinate, recordedAt: Date,
        accuracyMeters: Double? = nil, altitudeMeters: Double? = nil, headingDegrees: Double? = nil,
        speedMetersPerSecond: Double? = nil, address: String? = nil, placeName: String? = nil,
        placeID: String? = nil, city: String? = nil, country: String? = nil, attributes: Attributes? = nil
    ) {
        self.userID = userID
        self.type = type
        self.coordinate = coordinate
        self.recordedAt = recordedAt
        self.accuracyMeters = accuracyMeters
        self.altitudeMeters = altitudeMeters
        self.headingDegrees = headingDegrees
        self.speedMetersPerSecond = speedMetersPerSecond
        self.address = address
        self.placeName = placeName
        self.placeID = placeID
        self.city = city
        self.country = country
        self.attributes = attributes
    }
}
