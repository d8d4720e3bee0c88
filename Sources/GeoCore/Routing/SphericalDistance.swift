import Foundation

extension Coordinate {
    /// Metres per degree of latitude on the mean-radius sphere.
    static let metersPerDegree = 6_371_008.8 * Double.pi / 180

    /// Great-circle distance on the mean-radius sphere (haversine), as OSRM
    /// measures snapping distances. Within 0.5 % of the WGS84 geodesic; the
    /// exact one is `Geometry.WGS84Geodesic`, which needs PROJ.
    public func sphericalDistance(to other: Coordinate) -> Double {
        let radians = Double.pi / 180
        let halfLatitude = (other.latitude - latitude) * radians / 2
        let halfLongitude = (other.longitude - longitude) * radians / 2
        let a = sin(halfLatitude) * sin(halfLatitude)
            + cos(latitude * radians) * cos(other.latitude * radians) * sin(halfLongitude) * sin(halfLongitude)
        return 2 * 6_371_008.8 * asin(min(1, a.squareRoot()))
    }

    /// The initial great-circle heading towards `other`, degrees clockwise from north, in (-180, 180].
    public func initialBearing(to other: Coordinate) -> Double {
        let radians = Double.pi / 180
        let (φ1, φ2) = (latitude * radians, other.latitude * radians)
        let Δλ = (other.longitude - longitude) * radians
        return atan2(sin(Δλ) * cos(φ2), cos(φ1) * sin(φ2) - sin(φ1) * cos(φ2) * cos(Δλ)) / radians
    }
}
