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

    /// The nearest point of the network within `maximumDistanceMeters`, or
    /// nil; with a `bearing`, the nearest where travel may head that way, and
    /// with `curb`, passing it on the right (see `EndRule`).
    public func snap(_ point: Coordinate, maximumDistanceMeters: Double, bearing: Bearing? = nil, curb: Bool = false) -> RoadEnd? {
        var best: Candidate?
        // Segments that may meet the network where the nearest does: within
        // `sameEndMeters` of the best distance so far (filtered again at the end).
        var ties: [Candidate] = []
        scan(point, maximumDistanceMeters: maximumDistanceMeters, bearing: bearing, curb: curb) { candidate in
            if candidate.distance < best?.distance ?? .infinity { best = candidate }
            if candidate.distance <= (best?.distance ?? .infinity) + Self.sameEndMeters { ties.append(candidate) }
        } isDone: { radius in
            (best?.distance ?? .infinity) <= radius
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
        return RoadEnd(snaps: snaps, name: graph.edges[Int(snaps[0].edge)].name)
    }

    /// The nearest point of each of the `count` nearest edges within
    /// `maximumDistanceMeters`, nearest first (OSRM's nearest service).
    public func nearest(_ point: Coordinate, count: Int, maximumDistanceMeters: Double, bearing: Bearing? = nil) -> [RoadSnap] {
        var perEdge: [Int32: Candidate] = [:]
        scan(point, maximumDistanceMeters: maximumDistanceMeters, bearing: bearing, curb: false) { candidate in
            let edge = segmentEdge[Int(candidate.segment)]
            if candidate.distance < perEdge[edge]?.distance ?? .infinity { perEdge[edge] = candidate }
        } isDone: { radius in
            perEdge.values.filter { $0.distance <= radius }.count >= count
        }
        return perEdge.values.sorted { ($0.distance, $0.segment) < ($1.distance, $1.segment) }
            .prefix(count).map { snap(point, $0) }.filter { $0.distanceMeters <= maximumDistanceMeters }
    }

    /// A segment measured from a query point: where along it the nearest
    /// point is, how far, and which ways the end's rule lets travel pass.
    private typealias Candidate = (segment: Int32, t: Double, distance: Double, travel: Travel)

    /// Measures every segment near `point` that the rule admits: a small
    /// square first, widened while `isDone` says the segments measured so far
    /// within the square's half-width are not enough. A segment nearer than
    /// that half-width must cross a cell already scanned, so what was found there is final.
    private func scan(
        _ point: Coordinate, maximumDistanceMeters: Double, bearing: Bearing?, curb: Bool,
        consider: (Candidate) -> Void, isDone: (_ radius: Double) -> Bool
    ) {
        let scale = cos(point.latitude * Double.pi / 180)
        var radius = min(maximumDistanceMeters, Self.firstRadiusMeters)
        while true {
            let latitudeSpan = radius / Coordinate.metersPerDegree
            let longitudeSpan = scale > 1e-6 ? min(180, latitudeSpan / scale) : 180
            let rows = (Self.cell(point.latitude - latitudeSpan) - 1)...(Self.cell(point.latitude + latitudeSpan) + 1)
            let columns = (Self.cell(point.longitude - longitudeSpan) - 1)...(Self.cell(point.longitude + longitudeSpan) + 1)
            func measure(_ segment: Int32) {
                let measured = planarDistance(point, scale: scale, segment: segment)
                guard bearing != nil || curb else { return consider((segment, measured.t, measured.distance, .both)) }
                let travel = admitted(segment, measured, bearing: bearing, curb: curb)
                if !travel.isEmpty { consider((segment, measured.t, measured.distance, travel)) }
            }
            if rows.count * columns.count > segmentEdge.count {
                // Near a pole the square spans most longitudes: measuring every segment is cheaper.
                for segment in segmentEdge.indices { measure(Int32(segment)) }
                return
            }
            for row in rows {
                for column in columns {
                    // A segment in several cells is measured more than once: cheaper than remembering it.
                    for segment in cells[Self.key(row, column)] ?? [] { measure(segment) }
                }
            }
            if isDone(radius) { return }
            guard radius < maximumDistanceMeters else { return }
            radius = min(maximumDistanceMeters, radius * 4)
        }
    }

    /// Two snaps closer than this meet the network at one point, and a snap
    /// this near an edge's end is at its vertex: coordinates are rounded on
    /// the way in (OpenStreetMap keeps 1e-7°, clients send 5 or 6 decimals,
    /// and OSRM itself stores 1e-6°, about 0.11 m), and a point meant to be
    /// a junction must meet every road of it, not the nearest a few
    /// millimetres in (where a turn restriction could forbid arriving).
    public static let sameEndMeters = 0.1

    /// The point of `found`'s segment nearest `point`, as a snap onto its edge.
    /// At an edge's ends the fraction is exactly 0 or 1, so that a vertex end
    /// costs nothing to leave by any of its edges.
    private func snap(_ point: Coordinate, _ found: Candidate) -> RoadSnap {
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
            distanceMeters: point.sphericalDistance(to: snapped), segment: index, travel: found.travel
        )
    }

    /// The open ways along `segment`'s edge that `bearing` and `curb` allow (empty: the segment is passed over).
    private func admitted(_ segment: Int32, _ measured: Measured, bearing: Bearing?, curb: Bool) -> Travel {
        let edge = graph.edges[Int(segmentEdge[Int(segment)])]
        var travel: Travel = []
        if edge.isOpenForward { travel.insert(.forward) }
        if edge.isOpenBackward { travel.insert(.backward) }
        if let bearing {
            let heading = atan2(measured.east, measured.north) * 180 / Double.pi
            if !bearing.admits(heading) { travel.remove(.forward) }
            if !bearing.admits(heading + 180) { travel.remove(.backward) }
            // At a bend inside the edge, travel leaves the point along the
            // neighbouring segment, which is measured (at the same distance) and judged on its own heading.
            let index = Int(segmentPoint[Int(segment)])
            if measured.t >= 1, index < edge.points.count - 2 { travel.remove(.forward) }
            if measured.t <= 0, index > 0 { travel.remove(.backward) }
        }
        if curb, edge.isOpenForward, edge.isOpenBackward {
            // The point on the right of the drawing direction: pass it going forward.
            travel.remove(measured.pointOnRight ? .backward : .forward)
        }
        return travel
    }

    /// A segment seen from the query point, in a plane tangent there (metres):
    /// the parameter of its closest point, the distance, its direction, and
    /// whether the point lies on its right (or on its line, as OSRM counts it).
    private struct Measured {
        let t: Double
        let distance: Double
        let east: Double
        let north: Double
        let pointOnRight: Bool
    }

    private func planarDistance(_ point: Coordinate, scale: Double, segment: Int32) -> Measured {
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
        // The point is the origin: the cross product of (b - a) and (0 - a) is negative on the right.
        return Measured(t: t, distance: (x * x + y * y).squareRoot(), east: dx, north: dy, pointOnRight: dy * a.x - dx * a.y <= 0)
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
