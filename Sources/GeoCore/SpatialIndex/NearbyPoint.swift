/// One answer of a nearest-neighbour search: the point, its exact distance
/// from the query in metres, when it was last updated, where it heads and
/// its attributes.
public struct NearbyPoint: Sendable {
    public let id: PointID
    public let coordinate: Coordinate
    public let distanceMeters: Double
    /// Seconds since 1970, as given to `MovingPointIndex.upsert`.
    public let updatedAt: Double
    /// Degrees clockwise from north, when known.
    public let headingDegrees: Double?
    public let attributes: Attributes

    public init(
        id: PointID, coordinate: Coordinate, distanceMeters: Double, updatedAt: Double, headingDegrees: Double? = nil,
        attributes: Attributes = .empty
    ) {
        self.id = id
        self.coordinate = coordinate
        self.distanceMeters = distanceMeters
        self.updatedAt = updatedAt
        self.headingDegrees = headingDegrees
        self.attributes = attributes
    }
}
