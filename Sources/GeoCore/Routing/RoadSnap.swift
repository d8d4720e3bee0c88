/// Where a point meets the road network: the nearest point of an open edge.
public struct RoadSnap: Sendable, Equatable {
    /// Index into `RoadGraph.edges`.
    public let edge: Int32
    /// Position along the edge by length: 0 at its source vertex, 1 at its target.
    public let fraction: Double
    public let point: Coordinate
    public let distanceMeters: Double
    /// The edge's shape splits at `segment` (points `segment` and `segment + 1`).
    let segment: Int
    /// The ways a route may pass through the point, as the end's rule allows
    /// (the edge's own one-way restrictions apply besides).
    public let travel: Travel
}

/// Where a route may leave or reach the network for one requested point (an
/// end, or OSRM's phantom node): the nearest point of the network and every
/// edge that passes through it. Mid-edge that is one edge; on a vertex (an
/// intersection, or the corner nearest a point off the road) it is every edge
/// of the vertex, so that a route from an intersection may take any of its
/// roads, as a route between the vertices in pgRouting does.
public struct RoadEnd: Sendable, Equatable {
    /// Nearest first; never empty, all at the same point within `RoadSnapper.sameEndMeters`.
    public let snaps: [RoadSnap]

    /// The name of the nearest snap's road (OSRM's waypoint `name`), "" when it has none.
    public let name: String

    public var point: Coordinate { snaps[0].point }
    public var distanceMeters: Double { snaps[0].distanceMeters }
}
