/// A point on the WGS84 ellipsoid, in degrees.
///
/// Latitude comes first in the initialiser because that is how people say it;
/// every boundary that uses the other order (GeoJSON, PostGIS `ST_MakePoint`,
/// OSRM paths are longitude,latitude) says so where it converts.
/// A `Coordinate` can only be built valid: finite, latitude in [-90, 90],
/// longitude in [-180, 180]. Inner code therefore never re-checks.
public struct Coordinate: Hashable, Sendable {
    /// Degrees north of the equator, in [-90, 90].
    public let latitude: Double
    /// Degrees east of Greenwich, in [-180, 180].
    public let longitude: Double

    /// Validates and stores a coordinate.
    /// - Throws: `CoordinateError` naming the component and the rule it broke.
    public init(latitude: Double, longitude: Double) throws(CoordinateError) {
        guard latitude.isFinite else { throw .notFinite(.latitude) }
        guard longitude.isFinite else { throw .notFinite(.longitude) }
        guard (-90.0...90.0).contains(latitude) else { throw .outOfRange(.latitude, latitude) }
        guard (-180.0...180.0).contains(longitude) else { throw .outOfRange(.longitude, longitude) }
        self.latitude = latitude
        self.longitude = longitude
    }

    /// For decoders in this module that have already range-checked the values.
    init(uncheckedLatitude latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }
}
