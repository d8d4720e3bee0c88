public import GeoCore
import CGEOS
import Synchronization

/// Douglas–Peucker simplification of a WGS84 line with a tolerance in metres.
///
/// Simplifying in degrees would make the tolerance shrink with latitude (a
/// degree of longitude is 111 km at the equator and 0 at the poles), so the
/// line is first projected to the metric zone around its middle vertex,
/// simplified there by GEOS, and projected back. That is the same as
/// `ST_Simplify(ST_Transform(line, zone), tolerance)` in PostGIS.
///
/// One GEOS context per simplifier, used under a lock: contexts are not
/// thread-safe and are costly enough to create once, not per call. For the
/// same reason a zone's projection (a PROJ context) is made once and kept.
/// The result is the input's own points, those Douglas–Peucker keeps: no
/// projection round trip adds noise to a served coordinate.
public final class LineSimplifier: Sendable {
    private let context: Mutex<GEOSContext>
    private let projections = Mutex<[UTMZone: LocalProjection]>([:])

    private struct GEOSContext: ~Copyable {
        let handle: GEOSContextHandle_t

        deinit {
            GEOS_finish_r(handle)
        }
    }

    public init() {
        context = Mutex(GEOSContext(handle: GEOS_init_r()))
    }

    /// Simplifies `line`, keeping its first and last points.
    /// - Parameters:
    ///   - line: at least two coordinates, latitude/longitude as `Coordinate` holds them.
    ///   - toleranceMeters: the largest distance a removed vertex may lie from the result.
    ///   - projection: the metric grid to work in; by default the zone around the middle vertex.
    public func simplify(
        _ line: [Coordinate],
        toleranceMeters: Double,
        projection: LocalProjection? = nil
    ) throws(GeometryError) -> [Coordinate] {
        guard line.count >= 2 else { throw .tooFewPoints(line.count) }
        guard toleranceMeters.isFinite, toleranceMeters >= 0 else { throw .invalidTolerance(toleranceMeters) }
        let projection = if let projection { projection } else { try self.projection(around: line[line.count / 2]) }
        var projected: [ProjectedPoint] = []
        projected.reserveCapacity(line.count)
        for coordinate in line {
            projected.append(try projection.project(coordinate))
        }
        // GEOS keeps a subsequence of the vertices, their coordinates copied
        // exactly: each kept point is found again, in order, among the input's.
        var simplified: [Coordinate] = []
        var next = 0
        for point in try simplify(projected, tolerance: toleranceMeters) {
            guard let index = projected[next...].firstIndex(where: { $0.x == point.x && $0.y == point.y }) else {
                throw .geosFailed(operation: "simplify (a point that is not the input's)")
            }
            simplified.append(line[index])
            next = index + 1
        }
        return simplified
    }

    /// The projection of the zone around `coordinate`, made on first use.
    private func projection(around coordinate: Coordinate) throws(GeometryError) -> LocalProjection {
        let zone = UTMZone(containing: coordinate)
        if let known = projections.withLock({ $0[zone] }) { return known }
        let made = try LocalProjection(zone: zone)
        return projections.withLock { known in
            if let existing = known[zone] { return existing }
            known[zone] = made
            return made
        }
    }

    private func simplify(_ points: [ProjectedPoint], tolerance: Double) throws(GeometryError) -> [ProjectedPoint] {
        let result: [ProjectedPoint]? = context.withLock { context in
            let handle = context.handle
            guard let sequence = GEOSCoordSeq_create_r(handle, UInt32(points.count), 2) else { return nil }
            for (index, point) in points.enumerated() {
                GEOSCoordSeq_setXY_r(handle, sequence, UInt32(index), point.x, point.y)
            }
            // The line takes ownership of the sequence.
            guard let line = GEOSGeom_createLineString_r(handle, sequence) else { return nil }
            defer { GEOSGeom_destroy_r(handle, line) }
            guard let simple = GEOSSimplify_r(handle, line, tolerance) else { return nil }
            defer { GEOSGeom_destroy_r(handle, simple) }
            guard let outSequence = GEOSGeom_getCoordSeq_r(handle, simple) else { return nil }
            var size: UInt32 = 0
            guard GEOSCoordSeq_getSize_r(handle, outSequence, &size) != 0 else { return nil }
            var output: [ProjectedPoint] = []
            output.reserveCapacity(Int(size))
            for index in 0..<size {
                var x = 0.0
                var y = 0.0
                guard GEOSCoordSeq_getXY_r(handle, outSequence, index, &x, &y) != 0 else { return nil }
                output.append(ProjectedPoint(x: x, y: y))
            }
            return output
        }
        guard let result else { throw .geosFailed(operation: "simplify") }
        return result
    }
}
