/// OSRM's per-segment annotation of a leg: for each pair of consecutive
/// points of the route's line, its length and travel time; and OSRM's
/// `nodes`, the OpenStreetMap node at each end of those segments (one more
/// than segments: a snapped end counts as its segment's first or last node).
public struct RouteAnnotation: Sendable, Equatable {
    public let distances: [Double]
    public let durations: [Double]
    /// Nil when the network keeps no node ids.
    public let nodes: [Int64]?

    public init(distances: [Double], durations: [Double], nodes: [Int64]? = nil) {
        self.distances = distances
        self.durations = durations
        self.nodes = nodes
    }

    /// Metres per second per segment (0 where the time is 0).
    public var speeds: [Double] { zip(distances, durations).map { $1 > 0 ? $0 / $1 : 0 } }
}

extension Route {
    /// Each edge's distance and time shared among its segments by length, so
    /// the segments add up to the edges (and the durations to `totalDuration`,
    /// a stored leg's, traffic multiplier included). Segments of no length are
    /// left out, as the route's line leaves out repeated points.
    public func annotation(totalDuration: Double, edges: [RoadEdge]) -> RouteAnnotation {
        let scale = durationSeconds > 0 ? totalDuration / durationSeconds : 0
        var distances: [Double] = [], durations: [Double] = []
        var nodes: [Int64]? = []
        for piece in pieces {
            let pieceNodes = piece.segmentNodes(of: edges[Int(piece.edge)])
            if pieceNodes == nil { nodes = nil }
            let lengths = zip(piece.coordinates, piece.coordinates.dropFirst()).map { $0.sphericalDistance(to: $1) }
            let total = lengths.reduce(0, +)
            for (index, length) in lengths.enumerated() where length > 0 {
                distances.append(piece.distanceMeters * length / total)
                durations.append(piece.durationSeconds * scale * length / total)
                if let pieceNodes, nodes != nil {
                    if nodes!.isEmpty { nodes!.append(pieceNodes[index]) }
                    nodes!.append(pieceNodes[index + 1])
                }
            }
        }
        if distances.isEmpty {
            // Both ends at one point: one segment of nothing, as the line has two equal points.
            distances = [0]
            durations = [0]
            nodes = pieces.first.flatMap { $0.segmentNodes(of: edges[Int($0.edge)]) }.map { Array($0.prefix(2)) }
        }
        return RouteAnnotation(distances: distances, durations: durations, nodes: nodes)
    }
}
