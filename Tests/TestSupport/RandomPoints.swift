import Foundation
public import GeoCore

/// Random coordinates scattered around a centre, kept valid everywhere: they
/// reflect at the poles and wrap at the antimeridian, so fixtures near both
/// are as easy to make as anywhere else.
public enum RandomPoints {
    public static func near(
        _ center: (latitude: Double, longitude: Double),
        spreadMeters: Double,
        count: Int,
        using generator: inout SeededGenerator
    ) -> [Coordinate] {
        (0..<count).map { _ in
            let degrees = spreadMeters / 111_000
            var latitude = center.latitude + Double.random(in: -degrees...degrees, using: &generator)
            if latitude > 90 { latitude = 180 - latitude }
            if latitude < -90 { latitude = -180 - latitude }
            let scale = max(cos(center.latitude * .pi / 180), 0.0001)
            var longitude = center.longitude + Double.random(in: -degrees...degrees, using: &generator) / scale
            longitude = (longitude + 540).truncatingRemainder(dividingBy: 360) - 180
            return try! Coordinate(latitude: latitude, longitude: longitude)
        }
    }
}
