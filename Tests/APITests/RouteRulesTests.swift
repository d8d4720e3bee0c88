import API
import Foundation
import GeoCore
import HummingbirdTesting
import PostgresNIO
import TestSupport
import Testing

/// `approaches=curb` and `bearings` through `GET /route/v1`, on points a few
/// metres beside the middle of two-way roads (one side or the other, at
/// random): with the curb, a route arrives and departs with the point on its
/// right; with a bearing, it departs heading within the range. Without the
/// rules, about half of these routes do neither, so the checks can fail.
@Suite(.serialized, .timeLimit(.minutes(5))) struct RouteRulesTests {
    /// A point beside a two-way road, and the road's heading there in its drawing direction.
    struct Kerb {
        let point: (lng: Double, lat: Double)
        let heading: Double
    }

    /// Points `offset` metres to the right or left of the middle of two-way
    /// edges longer than 80 m, chosen in an order fixed by `seed`.
    static func kerbs(_ client: PostgresClient, seed: String, limit: Int, offset: Double = 6) async throws -> [Kerb] {
        var kerbs: [Kerb] = []
        for try await (id, lng, lat, nextLng, nextLat) in try await client.query("""
            SELECT gid, ST_X(m), ST_Y(m), ST_X(n), ST_Y(n) FROM (
              SELECT gid, ST_LineInterpolatePoint(the_geom, 0.5) m, ST_LineInterpolatePoint(the_geom, 0.5 + 2 / length_m) n
              FROM road_network.ways WHERE cost_s >= 0 AND reverse_cost_s >= 0 AND length_m > 80
              ORDER BY md5(gid::text || \(seed)) LIMIT \(limit)) e
            """).decode((Int64, Double, Double, Double, Double).self) {
            let scale = cos(lat * .pi / 180)
            let (east, north) = ((nextLng - lng) * scale, nextLat - lat)
            let length = (east * east + north * north).squareRoot()
            guard length > 0 else { continue }
            // The unit normal to the right of travel is (north, -east); half the points go left.
            let side = id % 2 == 0 ? 1.0 : -1.0
            let metres = offset / 111_195  // metres per degree of latitude on the mean sphere
            kerbs.append(Kerb(
                point: (lng + side * metres * (north / length) / scale, lat + side * metres * (-east / length)),
                heading: atan2(east, north) * 180 / .pi
            ))
        }
        return kerbs
    }

    /// Whether `point` lies right of travel from `a` to `b` (a local plane, x east, y north).
    static func onTheRight(_ point: [Double], of a: [Double], _ b: [Double]) -> Bool {
        let scale = cos(a[1] * .pi / 180)
        let (dx, dy) = ((b[0] - a[0]) * scale, b[1] - a[1])
        let (px, py) = ((point[0] - a[0]) * scale, point[1] - a[1])
        return dx * py - dy * px < 0
    }

    static func angle(_ a: Double, _ b: Double) -> Double {
        let difference = abs(a - b).truncatingRemainder(dividingBy: 360)
        return min(difference, 360 - difference)
    }

    @Test(arguments: ["monaco", "andorra"])
    func curbAndBearingsSteerTheEnds(extract: String) async throws {
        try await RoadNetworkFixture.withImported(extract) { settings, client in
            let kerbs = try await Self.kerbs(client, seed: extract, limit: 40)
            try await TestApp.on(settings) { http in
                #expect(try await RouteAPITests.loaded(http))
                var checked = 0, steered = 0
                for (from, to) in zip(kerbs, kerbs.dropFirst()) {
                    let pair = "\(from.point.lng),\(from.point.lat);\(to.point.lng),\(to.point.lat)"
                    let (freeStatus, free) = try await TableAPITests.body(http, "/route/v1/driving/\(pair)?overview=full&geometries=geojson")
                    let (status, curb) = try await TableAPITests.body(http, "/route/v1/driving/\(pair)?overview=full&geometries=geojson&approaches=curb;curb")
                    // Only points that met the road they were placed beside (not a nearer one).
                    let distances = (curb["waypoints"] as? [[String: Any]] ?? []).compactMap { $0["distance"] as? Double }
                    guard freeStatus == 200, status == 200, distances.count == 2, distances.allSatisfy({ abs($0 - 6) < 0.5 }) else { continue }
                    let line = ((RouteAPITests.route(curb)["geometry"] as? [String: Any])?["coordinates"] as? [[Double]]) ?? []
                    let freeLine = ((RouteAPITests.route(free)["geometry"] as? [String: Any])?["coordinates"] as? [[Double]]) ?? []
                    try #require(line.count >= 2 && freeLine.count >= 2)
                    let asked = [[from.point.lng, from.point.lat], [to.point.lng, to.point.lat]]
                    #expect(Self.onTheRight(asked[0], of: line[0], line[1]), "\(extract) \(pair): departs with the kerb on the right")
                    #expect(Self.onTheRight(asked[1], of: line[line.count - 2], line[line.count - 1]), "\(extract) \(pair): arrives with the kerb on the right")
                    let (duration, freeDuration) = (RouteAPITests.route(curb)["duration"] as? Double ?? 0, RouteAPITests.route(free)["duration"] as? Double ?? 0)
                    #expect(duration >= freeDuration - 0.05, "\(extract) \(pair): a rule never makes a route cheaper")
                    if !Self.onTheRight(asked[0], of: freeLine[0], freeLine[1]) || !Self.onTheRight(asked[1], of: freeLine[freeLine.count - 2], freeLine[freeLine.count - 1]) {
                        steered += 1
                    }

                    // Depart along the road, one way or the other, as the bearing asks.
                    for heading in [from.heading, from.heading + 180] {
                        let bearing = (Int(heading.rounded()) % 360 + 360) % 360
                        let (answer, body) = try await TableAPITests.body(http, "/route/v1/driving/\(pair)?steps=true&bearings=\(bearing),30;")
                        guard answer == 200 else { continue }
                        let steps = ((RouteAPITests.route(body)["legs"] as? [[String: Any]])?.first?["steps"] as? [[String: Any]]) ?? []
                        let after = (steps.first?["maneuver"] as? [String: Any])?["bearing_after"] as? Int ?? -1
                        #expect(Self.angle(Double(after), Double(bearing)) <= 31, "\(extract) \(pair): departs at \(after), asked \(bearing)±30")
                    }
                    checked += 1
                }
                #expect(checked >= 15, "\(extract): \(checked) pairs routed")
                // Without the rules, some of these routes would have the kerb on the wrong side.
                #expect(steered > 0, "\(extract): the curb changed \(steered) routes")
            }
        }
    }
}
