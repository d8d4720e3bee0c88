import Foundation
import GeoCore
import TestSupport

/// Lines to check the GEOS and PROJ wrappers with: a few real ones (traced
/// from OpenStreetMap, © OpenStreetMap contributors, ODbL) and seeded random
/// ones all over the globe, near the poles and across the antimeridian.
enum GeometryFixtures {
    static func coordinate(_ latitude: Double, _ longitude: Double) -> Coordinate {
        // Fixture literals are valid by construction.
        try! Coordinate(latitude: latitude, longitude: longitude)
    }

    /// Real paths: Monaco's Boulevard Albert 1er along the port, a Paris–New
    /// York great-circle leg, a road across the antimeridian on Taveuni (Fiji),
    /// and a traverse near the South Pole station.
    static let realLines: [[Coordinate]] = [
        [coordinate(43.73655, 7.42130), coordinate(43.73600, 7.42233), coordinate(43.73540, 7.42340),
         coordinate(43.73470, 7.42420), coordinate(43.73390, 7.42470), coordinate(43.73310, 7.42500)],
        [coordinate(49.0097, 2.5479), coordinate(51.4700, -0.4543), coordinate(40.6413, -73.7781)],
        [coordinate(-16.7890, 179.9870), coordinate(-16.7902, 179.9955), coordinate(-16.7915, -179.9960),
         coordinate(-16.7931, -179.9880)],
        [coordinate(-89.9970, 139.2729), coordinate(-89.9800, 0.0), coordinate(-89.9500, -45.0)],
    ]

    /// A random walk of `count` vertices starting anywhere, steps of about
    /// `stepMeters`, wrapped at the antimeridian and kept off the poles.
    static func randomWalk(count: Int, stepMeters: Double, using generator: inout SeededGenerator) -> [Coordinate] {
        var latitude = Double.random(in: -89...89, using: &generator)
        var longitude = Double.random(in: -180...180, using: &generator)
        var line: [Coordinate] = []
        for _ in 0..<count {
            line.append(coordinate(latitude, longitude))
            let degrees = stepMeters / 111_000
            latitude = min(max(latitude + Double.random(in: -degrees...degrees, using: &generator), -89.9), 89.9)
            let scale = max(cos(latitude * .pi / 180), 0.01)
            longitude += Double.random(in: -degrees...degrees, using: &generator) / scale
            if longitude > 180 { longitude -= 360 }
            if longitude < -180 { longitude += 360 }
        }
        return line
    }
}
