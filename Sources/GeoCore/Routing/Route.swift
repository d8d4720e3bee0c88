/// A computed route between two snapped points.
public struct Route: Sendable, Equatable {
    /// Travel time in seconds on the network's costs (no traffic multiplier).
    public let durationSeconds: Double
    public let distanceMeters: Double
    /// The path from the snapped origin to the snapped destination.
    public let coordinates: [Coordinate]
    public let origin: RoadSnap
    public let destination: RoadSnap
}

/// Why no route could be computed.
public enum RouteError: Error, Equatable, Sendable {
    /// Waypoint `index` (0 = origin) is farther than the snapping limit from every road.
    case noSegment(index: Int, maximumDistanceMeters: Double)
    /// Both ends are on the network, but no open path joins them.
    case noRoute
}
