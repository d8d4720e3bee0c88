import Foundation
public import GeoCore
import CGEOS
import Synchronization

/// A fence's area made ready for many point-in-area tests: polygons checked
/// and prepared by GEOS (an indexed point-in-polygon), circles by geodesic
/// distance. A point on a boundary is inside.
///
/// Prepared geometries build their indexes lazily on first use, which GEOS
/// does not make thread-safe, so each area is tested under its own lock; two
/// writes meet on it only when they test the same fence.
public final class PreparedFenceArea: Sendable {
    public let area: FenceArea
    /// Longitude/latitude bounds of the area, for an index in front of it.
    /// Longitudes may exceed 180 for a polygon across the antimeridian.
    public let bounds: Bounds
    /// The prepared polygons; nil for a circle.
    private let polygons: Mutex<GEOSPrepared?>
    /// The circle's centre and radius; nil for polygons.
    private let circle: (center: Coordinate, radiusMeters: Double)?
    private let geodesic = WGS84Geodesic()

    public struct Bounds: Sendable, Equatable {
        public let minLongitude, minLatitude, maxLongitude, maxLatitude: Double
    }

    /// The area as planar WKT: polygons unwrapped across ±180° (longitudes
    /// then run past 180°), a circle as its box. PostGIS splits it at ±180°.
    public var wkt: String {
        func ring(_ points: [(x: Double, y: Double)]) -> String {
            "(" + points.map { "\($0.x) \($0.y)" }.joined(separator: ",") + ")"
        }
        switch area {
        case .polygons(let polygons):
            return "MULTIPOLYGON(" + polygons.map { "(" + FenceArea.unwrapped($0).map(ring).joined(separator: ",") + ")" }.joined(separator: ",") + ")"
        case .circle:
            let b = bounds
            let box = [(b.minLongitude, b.minLatitude), (b.maxLongitude, b.minLatitude), (b.maxLongitude, b.maxLatitude),
                       (b.minLongitude, b.maxLatitude), (b.minLongitude, b.minLatitude)].map { (x: $0.0, y: $0.1) }
            return "MULTIPOLYGON((" + ring(box) + "))"
        }
    }

    /// Checks the area and prepares it.
    /// - Throws: `FenceAreaError` naming what makes the area invalid, as GEOS says it.
    public init(_ area: FenceArea) throws(FenceAreaError) {
        self.area = area
        switch area {
        case .circle(let center, let radius):
            guard radius.isFinite, radius > 0 else { throw FenceAreaError("radius_m must be a positive number of metres") }
            circle = (center, radius)
            polygons = Mutex(nil)
            bounds = Self.circleBounds(center: center, radiusMeters: radius)
        case .polygons(let rings):
            let prepared = try GEOSPrepared(rings.map(FenceArea.unwrapped))
            bounds = prepared.bounds
            circle = nil
            self.polygons = Mutex(prepared)
        }
    }

    /// Whether `point` is inside the area or on its boundary.
    public func contains(_ point: Coordinate) -> Bool {
        // The box first: most tests are of areas nowhere near the point.
        guard boxHolds(point) else { return false }
        if let circle { return geodesic.distanceMeters(from: circle.center, to: point) <= circle.radiusMeters }
        let x = point.longitude, y = point.latitude
        // A polygon unwrapped across ±180° holds western points at longitude + 360.
        let twice = x < 0 && bounds.maxLongitude > 180
        return polygons.withLock { geometry in
            (geometry?.intersects(x: x, y: y) ?? false) || (twice && geometry?.intersects(x: x + 360, y: y) ?? false)
        }
    }

    /// Whether the point is in the box, on either side of ±180° (a box may
    /// run past 180°, or below -180° for a circle near the antimeridian).
    private func boxHolds(_ point: Coordinate) -> Bool {
        guard point.latitude >= bounds.minLatitude, point.latitude <= bounds.maxLatitude else { return false }
        let x = point.longitude
        return (bounds.minLongitude...bounds.maxLongitude).contains(x)
            || (bounds.minLongitude...bounds.maxLongitude).contains(x + 360)
            || (bounds.minLongitude...bounds.maxLongitude).contains(x - 360)
    }

    /// A box holding the circle. On WGS84 a degree of latitude is at least
    /// 110,574 m and a degree of longitude at least 111,319 m × cos(latitude),
    /// so the box spans the radius in those degrees, at the latitude nearest
    /// a pole it reaches; all longitudes when it reaches a pole.
    private static func circleBounds(center: Coordinate, radiusMeters: Double) -> Bounds {
        let degrees = radiusMeters / 110_574
        let south = center.latitude - degrees, north = center.latitude + degrees
        guard south > -90, north < 90 else {
            return Bounds(minLongitude: -180, minLatitude: max(south, -90), maxLongitude: 180, maxLatitude: min(north, 90))
        }
        let poleward = max(abs(south), abs(north)) * .pi / 180
        let longitude = min(radiusMeters / (111_319 * cos(poleward)), 180)
        return Bounds(minLongitude: center.longitude - longitude, minLatitude: south,
                      maxLongitude: center.longitude + longitude, maxLatitude: north)
    }
}

/// What makes a fence's area invalid, in words a client can act on.
public struct FenceAreaError: Error, Sendable, Equatable {
    public let rule: String

    public init(_ rule: String) {
        self.rule = rule
    }
}

/// A GEOS context with one prepared (multi)polygon. Not thread-safe: used under a lock.
struct GEOSPrepared: ~Copyable {
    private let handle: GEOSContextHandle_t
    private let geometry: OpaquePointer
    private let prepared: OpaquePointer
    let bounds: PreparedFenceArea.Bounds

    init(_ polygons: [[[(x: Double, y: Double)]]]) throws(FenceAreaError) {
        let handle = GEOS_init_r()!
        var made: [OpaquePointer?] = []
        for (index, rings) in polygons.enumerated() {
            guard let polygon = Self.polygon(rings, handle) else {
                made.forEach { GEOSGeom_destroy_r(handle, $0) }
                GEOS_finish_r(handle)
                throw FenceAreaError("polygon \(index) could not be built")
            }
            made.append(polygon)
        }
        var parts = made
        guard let collection = parts.withUnsafeMutableBufferPointer({
            GEOSGeom_createCollection_r(handle, Int32(GEOS_MULTIPOLYGON.rawValue), $0.baseAddress, UInt32($0.count))
        }) else {
            made.forEach { GEOSGeom_destroy_r(handle, $0) }
            GEOS_finish_r(handle)
            throw FenceAreaError("the polygons could not be built")
        }
        guard GEOSisValid_r(handle, collection) == 1 else {
            let reason = GEOSisValidReason_r(handle, collection).map { text in
                defer { GEOSFree_r(handle, text) }
                return String(cString: text)
            } ?? "invalid"
            GEOSGeom_destroy_r(handle, collection)
            GEOS_finish_r(handle)
            throw FenceAreaError("must be a valid polygon (GEOS: \(reason))")
        }
        var minX = 0.0, minY = 0.0, maxX = 0.0, maxY = 0.0
        GEOSGeom_getXMin_r(handle, collection, &minX)
        GEOSGeom_getYMin_r(handle, collection, &minY)
        GEOSGeom_getXMax_r(handle, collection, &maxX)
        GEOSGeom_getYMax_r(handle, collection, &maxY)
        guard let prepared = GEOSPrepare_r(handle, collection) else {
            GEOSGeom_destroy_r(handle, collection)
            GEOS_finish_r(handle)
            throw FenceAreaError("the polygons could not be prepared")
        }
        self.handle = handle
        self.geometry = collection
        self.prepared = prepared
        self.bounds = PreparedFenceArea.Bounds(minLongitude: minX, minLatitude: minY, maxLongitude: maxX, maxLatitude: maxY)
    }

    deinit {
        GEOSPreparedGeom_destroy_r(handle, prepared)
        GEOSGeom_destroy_r(handle, geometry)
        GEOS_finish_r(handle)
    }

    func intersects(x: Double, y: Double) -> Bool {
        guard let point = GEOSGeom_createPointFromXY_r(handle, x, y) else { return false }
        defer { GEOSGeom_destroy_r(handle, point) }
        return GEOSPreparedIntersects_r(handle, prepared, point) == 1
    }

    /// A polygon from its rings (outer first); nil when GEOS refuses one (too few positions, not closed).
    private static func polygon(_ rings: [[(x: Double, y: Double)]], _ handle: GEOSContextHandle_t) -> OpaquePointer? {
        var made: [OpaquePointer?] = []
        for ring in rings {
            guard let sequence = GEOSCoordSeq_create_r(handle, UInt32(ring.count), 2) else { break }
            for (index, point) in ring.enumerated() {
                GEOSCoordSeq_setXY_r(handle, sequence, UInt32(index), point.x, point.y)
            }
            guard let linear = GEOSGeom_createLinearRing_r(handle, sequence) else { break }
            made.append(linear)
        }
        guard made.count == rings.count, let shell = made.first ?? nil else {
            made.forEach { GEOSGeom_destroy_r(handle, $0) }
            return nil
        }
        var holes = Array(made.dropFirst())
        return holes.withUnsafeMutableBufferPointer {
            GEOSGeom_createPolygon_r(handle, shell, $0.baseAddress, UInt32($0.count))
        }
    }
}
