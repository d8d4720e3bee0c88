import Foundation
import GeoCore
import Geometry
import Testing

@Suite(.timeLimit(.minutes(5))) struct PreparedFenceAreaTests {
    private func c(_ lng: Double, _ lat: Double) -> Coordinate { try! Coordinate(latitude: lat, longitude: lng) }

    private func ring(_ points: [(Double, Double)]) -> [Coordinate] { points.map { c($0.0, $0.1) } }

    @Test func aPolygonWithAHoleHoldsItsInsideAndBoundaryButNotItsHole() throws {
        let area = try PreparedFenceArea(.polygons([[
            ring([(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]),
            ring([(4, 4), (6, 4), (6, 6), (4, 6), (4, 4)]),
        ]]))
        #expect(area.contains(c(2, 2)))
        #expect(area.contains(c(10, 5)))  // on the outer edge
        #expect(area.contains(c(4, 5)))  // on the hole's edge
        #expect(!area.contains(c(5, 5)))  // in the hole
        #expect(!area.contains(c(11, 5)))
        #expect([area.bounds.minLongitude, area.bounds.minLatitude, area.bounds.maxLongitude, area.bounds.maxLatitude] == [0, 0, 10, 10])
    }

    @Test func aMultiPolygonHoldsEachOfItsParts() throws {
        let area = try PreparedFenceArea(.polygons([
            [ring([(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)])],
            [ring([(5, 5), (6, 5), (6, 6), (5, 6), (5, 5)])],
        ]))
        #expect(area.contains(c(0.5, 0.5)))
        #expect(area.contains(c(5.5, 5.5)))
        #expect(!area.contains(c(3, 3)))
    }

    @Test func anInvalidPolygonIsRefusedWithGEOSReason() {
        // A bow tie: its ring crosses itself.
        #expect(throws: FenceAreaError.self) { try PreparedFenceArea(.polygons([[ring([(0, 0), (10, 10), (10, 0), (0, 10), (0, 0)])]])) }
        do {
            _ = try PreparedFenceArea(.polygons([[ring([(0, 0), (10, 10), (10, 0), (0, 10), (0, 0)])]]))
        } catch {
            #expect(error.rule.contains("Self-intersection"))
        }
        // A hole outside its shell.
        #expect(throws: FenceAreaError.self) {
            try PreparedFenceArea(.polygons([[ring([(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]), ring([(5, 5), (6, 5), (6, 6), (5, 6), (5, 5)])]]))
        }
    }

    @Test func aPolygonAcrossTheAntimeridianHoldsPointsOnBothSides() throws {
        // From 170°E eastwards across ±180° to 170°W.
        let area = try PreparedFenceArea(.polygons([[ring([(170, -10), (-170, -10), (-170, 10), (170, 10), (170, -10)])]]))
        #expect(area.contains(c(179.5, 0)))
        #expect(area.contains(c(-179.5, 0)))
        #expect(area.contains(c(180, 0)))
        #expect(area.contains(c(-180, 0)))
        #expect(!area.contains(c(0, 0)))
        #expect(!area.contains(c(160, 0)))
        #expect(!area.contains(c(-160, 0)))
        #expect(area.bounds.maxLongitude == 190)
    }

    @Test func aCircleIsMeasuredOnTheEllipsoid() throws {
        let geodesic = WGS84Geodesic()
        let center = c(7.42, 43.73)
        let probe = c(7.43, 43.74)
        let distance = geodesic.distanceMeters(from: center, to: probe)
        #expect(try PreparedFenceArea(.circle(center: center, radiusMeters: distance + 0.01)).contains(probe))
        #expect(try !PreparedFenceArea(.circle(center: center, radiusMeters: distance - 0.01)).contains(probe))
        #expect(throws: FenceAreaError.self) { try PreparedFenceArea(.circle(center: center, radiusMeters: 0)) }
    }

    @Test func aCircleBoxHoldsTheCircleEverywhere() throws {
        let geodesic = WGS84Geodesic()
        for (lng, lat) in [(0.0, 0.0), (179.9, 60), (-179.99, -45), (10, 89.99), (10, -89.9)] {
            let center = c(lng, lat)
            let area = try PreparedFenceArea(.circle(center: center, radiusMeters: 5_000))
            for step in 0..<360 {
                // The farthest point inside the circle along a bearing, found by bisection.
                let bearing = Double(step) * .pi / 180
                let stretch = 1 / max(cos(lat * .pi / 180), 1e-3)
                func point(_ degrees: Double) -> Coordinate {
                    c(Self.wrap(lng + degrees * sin(bearing) * stretch), max(-90, min(90, lat + degrees * cos(bearing))))
                }
                var near = 0.0, far = 0.2
                for _ in 0..<50 {
                    let mid = (near + far) / 2
                    if geodesic.distanceMeters(from: center, to: point(mid)) <= 5_000 { near = mid } else { far = mid }
                }
                let inside = point(near)
                #expect(area.contains(inside))
                let b = area.bounds
                var x = inside.longitude
                if x < b.minLongitude { x += 360 }
                if x > b.maxLongitude { x -= 360 }
                #expect(b.minLatitude <= inside.latitude && inside.latitude <= b.maxLatitude)
                #expect(b.minLongitude <= x && x <= b.maxLongitude, "\(lng),\(lat) bearing \(step)")
            }
        }
    }

    private static func wrap(_ x: Double) -> Double { x > 180 ? x - 360 : x < -180 ? x + 360 : x }
}
