import Foundation

/// Finds the nearest point on the road network: a grid of cells a fixed
/// number of degrees wide, each holding the edge segments that pass through it
/// or next to it (see `cells(from:to:)`), then exact point-to-segment distances
/// in a plane tangent at the query point (longitude differences wrapped, so the
/// ±180° meridian is no edge).
public struct RoadSnapper: Sendable {
    /// About 55 m of latitude: a few dozen segments per cell in a dense city
    /// (measured on Monaco), so a snap near a road reads a few hundred.
    static let cellDegrees = 0.0005
    static let firstRadiusMeters = 20.0

    private let graph: RoadGraph
    private let cells: [Int64: [Int32]]
    /// Segment s runs from point `segmentPoint[s]` of edge `segmentEdge[s]` to the next.
    private let segmentEdge: [Int32]
    private let segmentPoint: [Int32]
    /// Its ends, flat: (latitude, longitude, latitude, longitude) at 4s…4s+3, so
    /// measuring a segment reads four doubles and touches no edge.
    private let segmentEnds: [Double]
    /// Per edge, the length along its shape up to each point (spherical metres).
    private let cumulative: [[Double]]

    public init(graph: RoadGraph) {
        self.graph = graph
        var cells: [Int64: [Int32]] = [:]
        var segmentEdge: [Int32] = []
        var segmentPoint: [Int32] = []
        var segmentEnds: [Double] = []
        var cumulative: [[Double]] = []
        cumulative.reserveCapacity(graph.edges.count)
        for (edgeIndex, edge) in graph.edges.enumerated() {
            var lengths = [0.0]
            for (index, (from, to)) in zip(edge.points, edge.points.dropFirst()).enumerated() {
                lengths.append(lengths[index] + from.sphericalDistance(to: to))
                let segment = Int32(segmentEdge.count)
                segmentEdge.append(Int32(edgeIndex))
                segmentPoint.append(Int32(index))
                segmentEnds += [from.latitude, from.longitude, to.latitude, to.longitude]
                for cell in Self.cells(from: from, to: to) { cells[cell, default: []].append(segment) }
            }
            cumulative.append(lengths)
        }
        self.cells = cells
        self.segmentEdge = segmentEdge
        self.segmentPoint = segmentPoint
        self.segmentEnds = segmentEnds
        self.cumulative = cumulative
    }

    /// The nearest point of the network within `maximumDistanceMeters`, or nil.
    ///
    /// Searches a small square first and widens it only while nothing was
    /// found within the square's half-width: a segment nearer than that must
    /// cross one of the cells already scanned, so the answer is final.
    public func snap(_ point: Coordinate, maximumDistanceMeters: Double) -> RoadEnd? {
        let scale = cos(point.latitude * Double.pi / 180)
        var radius = min(maximumDistanceMeters, Self.firstRadiusMeters)
        var best: (segment: Int32, t: Double, distance: Double)?
        // Segments that may meet the network where the nearest does: within
        // `sameEndMeters` of the best distance so far (filtered again at the end).
        var ties: [(segment: Int32, t: Double, distance: Double)] = []
        while true {
            let latitudeSpan = radius / Coordinate.metersPerDegree
            let longitudeSpan = scale > 1e-6 ? min(180, latitudeSpan / scale) : 180
            let rows = (Self.cell(point.latitude - latitudeSpan) - 1)...(Self.cell(point.latitude + latitudeSpan) + 1)
            let columns = (Self.cell(point.longitude - longitudeSpan) - 1)...(Self.cell(point.longitude + longitudeSpan) + 1)
            func consider(_ segment: Int32) {
                let (t, distance) = planarDistance(point, scale: scale, segment: segment)
                if distance < best?.distance ?? .infinity { best = (segment, t, distance) }
                if distance <= (best?.distance ?? .infinity) + Self.sameEndMeters { ties.append((segment, t, distance)) }
            }
            if rows.count * columns.count > segmentEdge.count {
                // Near a pole the square spans most longitudes: measuring every segment is cheaper.
                for segment in segmentEdge.indices { consider(Int32(segment)) }
                break
            }
            for row in rows {
                for column in columns {
                    // A segment in several cells is measured more than once: cheaper than remembering it.
                    for segment in cells[Self.key(row, column)] ?? [] { consider(segment) }
                }
            }
            if let found = best, found.distance <= radius { break }
            guard radius < maximumDistanceMeters else { break }
            radius = min(maximumDistanceMeters, radius * 4)
        }
        guard let best, best.distance <= maximumDistanceMeters * 1.01 else { return nil }
        let nearest = snap(point, best)
        guard nearest.distanceMeters <= maximumDistanceMeters else { return nil }
        var snaps = [nearest]
        for tie in ties where tie.segment != best.segment && tie.distance <= best.distance + Self.sameEndMeters {
            let other = snap(point, tie)
            guard other.point.sphericalDistance(to: nearest.point) <= Self.sameEndMeters else { continue }
            if !snaps.contains(where: { $0.edge == other.edge && abs($0.fraction - other.fraction) < 1e-9 }) { snaps.append(other) }
        }
        return RoadEnd(snaps: snaps)
    }

    /// Two snaps closer than this meet the network at one point: the edges of
    /// a vertex, measured through each of their segments, differ by rounding only.
    public static let sameEndMeters = 0.001

    /// The point of `found`'s segment nearest `point`, as a snap onto its edge.
    /// At an edge's ends the fraction is exactly 0 or 1, so that a vertex end
    /// costs nothing to leave by any of its edges.
    private func snap(_ point: Coordinate, _ found: (segment: Int32, t: Double, distance: Double)) -> RoadSnap {
        let edgeIndex = Int(segmentEdge[Int(found.segment)])
        let index = Int(segmentPoint[Int(found.segment)])
        let points = graph.edges[edgeIndex].points
        var t = found.t
        if index == 0, t * max(1e-9, points[0].sphericalDistance(to: points[1])) < Self.sameEndMeters { t = 0 }
        if index == points.count - 2, (1 - t) * max(1e-9, points[index].sphericalDistance(to: points[index + 1])) < Self.sameEndMeters { t = 1 }
        let snapped = Self.interpolate(points[index], points[index + 1], t)
        let lengths = cumulative[edgeIndex]
        let total = lengths[lengths.count - 1]
        let along = lengths[index] + t * (lengths[index + 1] - lengths[index])
        return RoadSnap(
            edge: Int32(edgeIndex), fraction: total > 0 ? min(1, along / total) : 0, point: snapped,
            distanceMeters: point.sphericalDistance(to: snapped), segment: index
        )
    }

    /// Parameter along the segment of the closest point, and its distance, in
    /// a plane tangent at `point` (metres).
    private func planarDistance(_ point: Coordinate, scale: Double, segment: Int32) -> (Double, Double) {
        let base = Int(segment) * 4
        func planar(_ latitude: Double, _ longitude: Double) -> (x: Double, y: Double) {
            var east = longitude - point.longitude
            if east > 180 { east -= 360 } else if east < -180 { east += 360 }
            return (east * scale * Coordinate.metersPerDegree, (latitude - point.latitude) * Coordinate.metersPerDegree)
        }
        let a = planar(segmentEnds[base], segmentEnds[base + 1]), b = planar(segmentEnds[base + 2], segmentEnds[base + 3])
        let dx = b.x - a.x, dy = b.y - a.y
        let lengthSquared = dx * dx + dy * dy
        let t = lengthSquared > 0 ? min(1, max(0, -(a.x * dx + a.y * dy) / lengthSquared)) : 0
        let x = a.x + t * dx, y = a.y + t * dy
        return (t, (x * x + y * y).squareRoot())
    }

    static func interpolate(_ from: Coordinate, _ to: Coordinate, _ t: Double) -> Coordinate {
        var longitudeDelta = to.longitude - from.longitude
        if longitudeDelta > 180 { longitudeDelta -= 360 } else if longitudeDelta < -180 { longitudeDelta += 360 }
        var longitude = from.longitude + t * longitudeDelta
        if longitude > 180 { longitude -= 360 } else if longitude < -180 { longitude += 360 }
        return Coordinate(uncheckedLatitude: from.latitude + t * (to.latitude - from.latitude), longitude: longitude)
    }

    private static func cell(_ degrees: Double) -> Int { Int((degrees / cellDegrees).rounded(.down)) }

    /// Columns wrap around the globe, so a query east of +180° finds cells west of it.
    private static func key(_ row: Int, _ column: Int) -> Int64 {
        let columns = Int(360 / cellDegrees)
        let wrapped = ((column % columns) + columns) % columns
        return Int64(row) << 32 | Int64(wrapped)
    }

    /// The cells of points sampled along the segment every half cell (the
    /// shorter way round in longitude). A point of the segment is then at most
    /// a quarter cell from a sample, so its own cell is next to a listed one;
    /// `snap` scans one cell beyond its square for that reason. Unlike the
    /// bounding box, this stays small for long diagonal segments.
    private static func cells(from: Coordinate, to: Coordinate) -> Set<Int64> {
        var east = to.longitude
        if east - from.longitude > 180 { east -= 360 } else if east - from.longitude < -180 { east += 360 }
        let steps = Int((max(abs(to.latitude - from.latitude), abs(east - from.longitude)) / (cellDegrees / 2)).rounded(.up))
        var keys = Set<Int64>()
        for step in 0...max(steps, 1) {
            let t = Double(step) / Double(max(steps, 1))
            keys.insert(key(cell(from.latitude + t * (to.latitude - from.latitude)), cell(from.longitude + t * (east - from.longitude))))
        }
        return keys
    }
}
