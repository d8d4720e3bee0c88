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
}
