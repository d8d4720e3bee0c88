public import GeoCore

/// Where a geofence is: polygons as GeoJSON gives them, or a circle on the
/// ellipsoid.
public enum FenceArea: Sendable, Equatable {
    /// Each polygon is its outer ring, then its holes; each ring closed
    /// (its last position equals its first) with at least four positions.
    /// A polygon whose ring jumps more than 180° of longitude between two
    /// positions crosses the antimeridian (GeoJSON draws no edge the long
    /// way round): it is read with its western longitudes shifted by 360°.
    case polygons([[[Coordinate]]])
    /// Every point within `radiusMeters` of `center`, measured along the WGS84 ellipsoid.
    case circle(center: Coordinate, radiusMeters: Double)
}

extension FenceArea {
    /// A polygon's rings as planar longitude/latitude pairs: unchanged, or,
    /// when an edge jumps more than 180° of longitude (it crosses ±180°),
    /// with every negative longitude shifted by 360° so the polygon is
    /// continuous in [0°, 360°).
    static func unwrapped(_ polygon: [[Coordinate]]) -> [[(x: Double, y: Double)]] {
        let crosses = polygon.contains { ring in
            zip(ring, ring.dropFirst()).contains { abs($0.longitude - $1.longitude) > 180 }
        }
        return polygon.map { ring in
            ring.map { (x: crosses && $0.longitude < 0 ? $0.longitude + 360 : $0.longitude, y: $0.latitude) }
        }
    }
}
