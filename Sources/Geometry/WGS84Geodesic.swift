public import GeoCore
import CPROJ

/// Geodesic distances and lengths on the WGS84 ellipsoid.
///
/// Uses Karney's algorithms from PROJ's `geodesic.h` (C. F. F. Karney,
/// "Algorithms for geodesics", J. Geodesy 87, 2013), which is also what PostGIS
/// `geography` uses, so results agree with `ST_Distance`/`ST_Length` to well
/// under a millimetre. The parameters are immutable after `init`, so a value
/// can be shared between threads freely.
public struct WGS84Geodesic: Sendable {
    private let geodesic: geod_geodesic

    public init() {
        var geodesic = geod_geodesic()
        geod_init(&geodesic, WGS84.semiMajorAxisMeters, WGS84.flattening)
        self.geodesic = geodesic
    }

    /// Shortest distance along the ellipsoid between two points, in metres.
    public func distanceMeters(from a: Coordinate, to b: Coordinate) -> Double {
        var meters = 0.0
        var g = geodesic
        geod_inverse(&g, a.latitude, a.longitude, b.latitude, b.longitude, &meters, nil, nil)
        return meters
    }

    /// Length of a line string along the ellipsoid, in metres: the sum of its
    /// segments' geodesic lengths, as `ST_Length(geography)` computes it.
    public func lengthMeters(of line: [Coordinate]) -> Double {
        zip(line, line.dropFirst()).reduce(0) { $0 + distanceMeters(from: $1.0, to: $1.1) }
    }
}
