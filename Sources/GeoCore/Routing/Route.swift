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
    /// Whether it runs the edge's drawing direction, and the index (in the
    /// direction travelled) of the edge point where the segment holding its
    /// first coordinate starts: coordinate i stands for point
    /// `firstPoint + i` of the edge as travelled (a snapped end for the
    /// segment's start, or for the last coordinate its end).
    var forward = true
    var firstPoint = 0

    /// The same piece taking `seconds` longer.
    func adding(seconds: Double) -> RoutePiece {
        RoutePiece(edge: edge, durationSeconds: durationSeconds + seconds, distanceMeters: distanceMeters, coordinates: coordinates,
                   forward: forward, firstPoint: firstPoint)
    }

    /// The OpenStreetMap node each coordinate stands for (see `firstPoint`);
    /// nil when the edge's nodes are not known.
    func segmentNodes(of edge: RoadEdge) -> [Int64]? {
        guard edge.osmNodes.count == edge.points.count else { return nil }
        let nodes = forward ? edge.osmNodes : edge.osmNodes.reversed()
        let last = firstPoint + coordinates.count
        guard firstPoint >= 0, last <= nodes.count else { return nil }
        return Array(nodes[firstPoint..<last])
    }
}

/// Why no route could be computed.
public enum RouteError: Error, Equatable, Sendable {
    /// Waypoint `index` (0 = origin) is farther than the snapping limit from every road.
    case noSegment(index: Int, maximumDistanceMeters: Double)
    /// Both ends are on the network, but no open path joins them.
    case noRoute
}
