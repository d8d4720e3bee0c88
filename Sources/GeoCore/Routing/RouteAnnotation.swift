/// OSRM's per-segment annotation of a leg: for each pair of consecutive
/// points of the route's line, its length and travel time.
public struct RouteAnnotation: Sendable, Equatable {
    public let distances: [Double]
    public let durations: [Double]

    public init(distances: [Double], durations: [Double]) {
        self.distances = distances
        self.durations = durations
    }

    /// Metres per second per segment (0 where the time is 0).
    public var speeds: [Double] { zip(distances, durations).map { $1 > 0 ? $0 / $1 : 0 } }
}

extension Route {
    /// Each edge's distance and time shared among its segments by length, so
    /// the segments add up to the edges (and the durations to `totalDuration`,
    /// a stored leg's, traffic multiplier included). Segments of no length are
    /// left out, as the route's line leaves out repeated points.
    public func annotation(totalDuration: Double) -> RouteAnnotation {
        let scale = durationSeconds > 0 ? totalDuration / durationSeconds : 0
        var distances: [Double] = [], durations: [Double] = []
        for piece in pieces {
            let lengths = zip(piece.coordinates, piece.coordinates.dropFirst()).map { $0.sphericalDistance(to: $1) }
            let total = lengths.reduce(0, +)
            for length in lengths where length > 0 {
                distances.append(piece.distanceMeters * length / total)
                durations.append(piece.durationSeconds * scale * length / total)
            }
        }
        if distances.isEmpty {
            // Both ends at one point: one segment of nothing, as the line has two equal points.
            distances = [0]
            durations = [0]
        }
        return RouteAnnotation(distances: distances, durations: durations)
    }
}
