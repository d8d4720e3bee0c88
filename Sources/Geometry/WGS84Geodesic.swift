public import GeoCore
import CPROJ
import Foundation

/// Geodesic distances and lengths on the WGS84 ellipsoid.
///
/// Uses Karney's algorithms from PROJ's `geodesic.h` (C. F. F. Karney,
/// "Algorithms for geodesics", J. Geodesy 87, 2013), which is also what PostGIS
/// `geography` uses, so results agree with `ST_Distance`/`ST_Length` to well
/// under a millimetre. The parameters are immutable after `init`, so a value
/// can be shared between threads freely.
public struct WGS84Geodesic: Sendable {
    /// Semi-major axis in metres (EPSG:7030).
    public static let semiMajorAxisMeters = 6_378_137.0
    /// Flattening (EPSG:7030).
    public static let flattening = 1 / 298.257_223_563
    static let semiMinorAxisMeters = semiMajorAxisMeters * (1 - flattening)
    /// (a² − b²) / b², which scales Vincenty's series.
    static let secondEccentricitySquared = (semiMajorAxisMeters * semiMajorAxisMeters - semiMinorAxisMeters * semiMinorAxisMeters)
        / (semiMinorAxisMeters * semiMinorAxisMeters)

    private let geodesic: geod_geodesic

    public init() {
        var geodesic = geod_geodesic()
        geod_init(&geodesic, Self.semiMajorAxisMeters, Self.flattening)
        self.geodesic = geodesic
    }

    /// Shortest distance along the ellipsoid between two points, in metres.
    public func distanceMeters(from a: Coordinate, to b: Coordinate) -> Double {
        var meters = 0.0
        var g = geodesic
        geod_inverse(&g, a.latitude, a.longitude, b.latitude, b.longitude, &meters, nil, nil)
        return meters
    }

    /// The same distance by Vincenty's inverse formula (Survey Review 23, 1975),
    /// for the short separations of nearby searches, where it agrees with
    /// Karney's to a tenth of a millimetre (checked in the tests) and costs a
    /// third as much: a nearby answer measures a dozen points or more, and
    /// Karney's series showed as the search's largest cost in a W1 profile.
    /// Pairs more than a quarter of the globe apart, or that the iteration
    /// does not settle for, are measured with Karney's.
    public func shortDistanceMeters(from a: Coordinate, to b: Coordinate) -> Double {
        vincentyMeters(from: a, to: b) ?? distanceMeters(from: a, to: b)
    }

    private func vincentyMeters(from a: Coordinate, to b: Coordinate) -> Double? {
        let f = Self.flattening
        let radians = Double.pi / 180
        var longitudeGap = (b.longitude - a.longitude) * radians
        if longitudeGap > .pi { longitudeGap -= 2 * .pi } else if longitudeGap < -.pi { longitudeGap += 2 * .pi }
        // Reduced latitudes.
        let tanU1 = (1 - f) * tan(a.latitude * radians)
        let tanU2 = (1 - f) * tan(b.latitude * radians)
        let cosU1 = 1 / (1 + tanU1 * tanU1).squareRoot(), sinU1 = tanU1 * cosU1
        let cosU2 = 1 / (1 + tanU2 * tanU2).squareRoot(), sinU2 = tanU2 * cosU2
        var lambda = longitudeGap
        for _ in 0..<16 {
            let sinLambda = sin(lambda), cosLambda = cos(lambda)
            let east = cosU2 * sinLambda
            let north = cosU1 * sinU2 - sinU1 * cosU2 * cosLambda
            let sinSigma = (east * east + north * north).squareRoot()
            guard sinSigma > 0 else { return 0 }
            let cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosLambda
            guard cosSigma > 0 else { return nil }
            let sigma = atan2(sinSigma, cosSigma)
            let sinAlpha = cosU1 * cosU2 * sinLambda / sinSigma
            let cosSquaredAlpha = 1 - sinAlpha * sinAlpha
            // Both points on the equator: the geodesic runs along it.
            let cos2SigmaM = cosSquaredAlpha == 0 ? 0 : cosSigma - 2 * sinU1 * sinU2 / cosSquaredAlpha
            let c = f / 16 * cosSquaredAlpha * (4 + f * (4 - 3 * cosSquaredAlpha))
            let previous = lambda
            lambda = longitudeGap + (1 - c) * f * sinAlpha
                * (sigma + c * sinSigma * (cos2SigmaM + c * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)))
            guard abs(lambda - previous) < 1e-12 else { continue }
            let uSquared = cosSquaredAlpha * Self.secondEccentricitySquared
            let bigA = 1 + uSquared / 16_384 * (4_096 + uSquared * (-768 + uSquared * (320 - 175 * uSquared)))
            let bigB = uSquared / 1_024 * (256 + uSquared * (-128 + uSquared * (74 - 47 * uSquared)))
            let deltaSigma = bigB * sinSigma * (cos2SigmaM + bigB / 4 * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)
                - bigB / 6 * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)))
            return Self.semiMinorAxisMeters * bigA * (sigma - deltaSigma)
        }
        return nil
    }

    /// Length of a line string along the ellipsoid, in metres: the sum of its
    /// segments' geodesic lengths, as `ST_Length(geography)` computes it.
    public func lengthMeters(of line: [Coordinate]) -> Double {
        zip(line, line.dropFirst()).reduce(0) { $0 + distanceMeters(from: $1.0, to: $1.1) }
    }
}
