/// A computed route between two snapped points.
public struct Route: Sendable, Equatable {
    /// Travel time in seconds on the network's costs (no traffic multiplier).
    public let durationSeconds: Double
    public let distanceMeters: Double
    /// The path from the snapped origin to the snapped destination.
    public let coordinates: [Coordinate]
    public let origin: RoadSnap
    public let destination: RoadSnap
    /// The edges travelled, in order, each with the part of it taken.
    public let pieces: [RoutePiece]
}

/// One edge of a route, or the part of it between a snapped end and a vertex.
public struct RoutePiece: Sendable, Equatable {
    /// Index into `RoadGraph.edges`.
    public let edge: Int32
    public let durationSeconds: Double
    public let distanceMeters: Double
    /// Its shape in the direction travelled.
    public let coordinates: [Coordinate]
}

/// Why no route could be computed.
public enum RouteError: Error, Equatable, Sendable {
    /// Waypoint `index` (0 = origin) is farther than the snapping limit from every road.
    case noSegment(index: Int, maximumDistanceMeters: Double)
    /// Both ends are on the network, but no open path joins them.
    case noRoute
}
