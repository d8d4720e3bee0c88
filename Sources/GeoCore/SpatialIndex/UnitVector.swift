import Foundation

/// A coordinate as a point on the unit sphere (x towards 0°N 0°E, z towards
/// the North Pole). Distances between unit vectors have no singularity at the
/// poles or the antimeridian, which is why the moving-point index works in them.
struct UnitVector: Sendable {
    var x: Double
    var y: Double
    var z: Double

    init(_ coordinate: Coordinate) {
        let latitude = coordinate.latitude * .pi / 180
        let longitude = coordinate.longitude * .pi / 180
        let cosLatitude = cos(latitude)
        x = cosLatitude * cos(longitude)
        y = cosLatitude * sin(longitude)
        z = sin(latitude)
    }

    /// Squared straight-line distance through the sphere; grows with the angle between the points.
    @inline(__always)
    func chordSquared(to other: UnitVector) -> Double {
        let dx = x - other.x
        let dy = y - other.y
        let dz = z - other.z
        return dx * dx + dy * dy + dz * dz
    }

    /// The squared chord of a central angle.
    static func chordSquared(forAngle angle: Double) -> Double {
        let chord = 2 * sin(min(angle, .pi) / 2)
        return chord * chord
    }
}
