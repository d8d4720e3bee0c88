import Foundation
import GeoCore
import HummingbirdTesting
import Storage
import Testing
import TestSupport

/// OSRM's match service on the shared extracts: GPS traces made from routes
/// (sampled every 20 to 60 m along the route, moved by Gaussian noise of 5 to
/// 15 m, timed along it) match back onto their routes; and OSRM's errors.
@Suite(.timeLimit(.minutes(10))) struct MatchAPITests {
    /// A trace along `route`: a point every 20 to 60 m (fewer where the route
    /// is long, so that there are at most 100), each moved by noise of
    /// `sigma` metres, with the time the route takes to reach it.
    static func trace(along route: Route, sigma: Double, using generator: inout SeededGenerator) -> [(Coordinate, Int)] {
        let step = max(Double.random(in: 20...60, using: &generator), route.distanceMeters / 99)
        let points = route.coordinates
        var lengths = [0.0]
        for (a, b) in zip(points, points.dropFirst()) { lengths.append(lengths[lengths.count - 1] + a.sphericalDistance(to: b)) }
        let total = lengths[lengths.count - 1]
        var samples: [(Coordinate, Int)] = []
        var at = 0.0
        var segment = 0
        while at <= total {
            while segment < points.count - 2, lengths[segment + 1] < at { segment += 1 }
            let span = lengths[segment + 1] - lengths[segment]
            let t = span > 0 ? (at - lengths[segment]) / span : 0
            let (a, b) = (points[segment], points[segment + 1])
            let exact = Self.offset(a, north: (b.latitude - a.latitude) * t * 111_320, east: Self.eastDegrees(a, b) * t * Self.metresPerDegreeEast(a))
            let (north, east) = Self.gaussianPair(sigma, using: &generator)
            let seconds = Int((at / max(total, 1) * route.durationSeconds).rounded())
            samples.append((Self.offset(exact, north: north, east: east), 1_700_000_000 + seconds))
            at += step
        }
        return samples
    }

    static func metresPerDegreeEast(_ point: Coordinate) -> Double { 111_320 * cos(point.latitude * .pi / 180) }

    static func eastDegrees(_ a: Coordinate, _ b: Coordinate) -> Double {
        var east = b.longitude - a.longitude
        if east > 180 { east -= 360 } else if east < -180 { east += 360 }
        return east
    }

    static func offset(_ point: Coordinate, north: Double, east: Double) -> Coordinate {
        var longitude = point.longitude + east / metresPerDegreeEast(point)
        if longitude > 180 { longitude -= 360 } else if longitude < -180 { longitude += 360 }
        return try! Coordinate(latitude: point.latitude + north / 111_320, longitude: longitude)
    }

    /// Two independent normal deviates of standard deviation `sigma` (Box–Muller).
    static func gaussianPair(_ sigma: Double, using generator: inout SeededGenerator) -> (Double, Double) {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &generator)
        let v = Double.random(in: 0..<1, using: &generator)
        let radius = sigma * (-2 * log(u)).squareRoot()
        return (radius * cos(2 * .pi * v), radius * sin(2 * .pi * v))
    }

    /// Metres from `point` to the nearest point of the line `line` (in a plane tangent at `point`).
    static func distance(_ point: Coordinate, toLine line: [Coordinate]) -> Double {
        let scale = metresPerDegreeEast(point)
        func planar(_ c: Coordinate) -> (Double, Double) { (eastDegrees(point, c) * scale, (c.latitude - point.latitude) * 111_320) }
        var best = Double.infinity
        for (a, b) in zip(line, line.dropFirst()) {
            let (ax, ay) = planar(a)
            let (bx, by) = planar(b)
            let (dx, dy) = (bx - ax, by - ay)
            let length = dx * dx + dy * dy
            let t = length > 0 ? max(0, min(1, -(ax * dx + ay * dy) / length)) : 0
            let (x, y) = (ax + t * dx, ay + t * dy)
            best = min(best, (x * x + y * y).squareRoot())
        }
        return best
    }

    /// The share of `matched`'s length (lines, each in metres sampled every
    /// 2 m) lying within 3 m of `truth`.
    static func shareOnPath(_ matched: [[Coordinate]], truth: [Coordinate]) -> Double {
        var on = 0.0
        var all = 0.0
        for line in matched {
            for (a, b) in zip(line, line.dropFirst()) {
                let length = a.sphericalDistance(to: b)
                let pieces = max(1, Int((length / 2).rounded(.up)))
                for piece in 0..<pieces {
                    let t = (Double(piece) + 0.5) / Double(pieces)
                    let middle = offset(a, north: (b.latitude - a.latitude) * t * 111_320, east: eastDegrees(a, b) * t * metresPerDegreeEast(a))
                    all += length / Double(pieces)
                    if distance(middle, toLine: truth) <= 3 { on += length / Double(pieces) }
                }
            }
        }
        return all > 0 ? on / all : 0
    }

    static func lines(_ body: [String: Any]) -> [[Coordinate]] {
        (body["matchings"] as? [[String: Any]] ?? []).map { matching in
            let geometry = matching["geometry"] as? [String: Any]
            return (geometry?["coordinates"] as? [[Double]] ?? []).compactMap { try? Coordinate(latitude: $0[1], longitude: $0[0]) }
        }
    }

    /// 95 % of the traces lie at least 95 % on their true routes (by the
    /// matched length). Every tracepoint matched is on a matching and in order.
    @Test(arguments: ["monaco", "andorra"]) func noisyTracesMatchTheirRoutes(extract: String) async throws {
        try await RoadNetworkFixture.withImported(extract) { settings, client in
            let router = RoadRouter(graph: try await RoadNetworkRepository(client: client).graph())
            let vertices = try await RoadNetworkFixture.vertices(client, roads: 2, seed: "match \(extract)", limit: 200)
            try await TestApp.on(settings) { http in
                var generator = SeededGenerator(seed: 44)
                #expect(try await RouteAPITests.loaded(http))
                var shares: [Double] = []
                var pair = 0
                while shares.count < 30, pair + 1 < vertices.count {
                    let (a, b) = (vertices[pair], vertices[pair + 1])
                    pair += 2
                    guard let route = try? router.route(
                        from: try Coordinate(latitude: a.lat, longitude: a.lng), to: try Coordinate(latitude: b.lat, longitude: b.lng), maximumSnapMeters: 1
                    ), (500...8_000).contains(route.distanceMeters) else { continue }
                    let sigma = Double.random(in: 5...15, using: &generator)
                    let trace = Self.trace(along: route, sigma: sigma, using: &generator)
                    let coordinates = trace.map { "\($0.0.longitude),\($0.0.latitude)" }.joined(separator: ";")
                    let timestamps = trace.map { String($0.1) }.joined(separator: ";")
                    let radiuses = Array(repeating: String(format: "%.1f", sigma), count: trace.count).joined(separator: ";")
                    let (status, body) = try await TableAPITests.body(
                        http, "/match/v1/driving/\(coordinates)?timestamps=\(timestamps)&radiuses=\(radiuses)&overview=full&geometries=geojson"
                    )
                    #expect(status == 200 && body["code"] as? String == "Ok", "\(body)")
                    let tracepoints = body["tracepoints"] as? [Any] ?? []
                    #expect(tracepoints.count == trace.count)
                    let placed = tracepoints.compactMap { $0 as? [String: Any] }.map { ($0["matchings_index"] as? Int ?? -1) * 1_000 + ($0["waypoint_index"] as? Int ?? -1) }
                    #expect(placed == placed.sorted() && Set(placed).count == placed.count, "tracepoints in trace order")
                    let matchings = body["matchings"] as? [[String: Any]] ?? []
                    #expect(matchings.allSatisfy { (0...1).contains($0["confidence"] as? Double ?? -1) })
                    shares.append(Self.shareOnPath(Self.lines(body), truth: route.coordinates))
                }
                let sorted = shares.sorted()
                print("match \(extract): \(shares.count) traces, share of matched length on the true route: "
                      + "min \(sorted.first ?? 0), p5 \(sorted[sorted.count / 20]), median \(sorted[sorted.count / 2])")
                #expect(shares.count == 30)
                #expect(Double(shares.filter { $0 >= 0.95 }.count) >= 0.95 * Double(shares.count), "\(sorted)")
            }
        }
    }

    @Test func badTracesGetOSRMsErrors() async throws {
        try await RoadNetworkFixture.withImported("monaco") { settings, _ in
            try await TestApp.on(settings) { http in
                #expect(try await RouteAPITests.loaded(http))
                let two = "7.4190,43.7310;7.4200,43.7320"
                let hundredAndOne = Array(repeating: "7.4190,43.7310", count: 101).joined(separator: ";")
                for (uri, code, field) in [
                    ("/match/v1/driving/7.4190,43.7310", "InvalidQuery", "coordinates"),
                    ("/match/v1/driving/\(hundredAndOne)", "TooBig", "coordinates"),
                    ("/match/v1/driving/\(two)?timestamps=20;10", "InvalidValue", "timestamps"),
                    ("/match/v1/driving/\(two)?timestamps=10", "InvalidOptions", "timestamps"),
                    ("/match/v1/driving/\(two)?timestamps=a;b", "InvalidOptions", "timestamps"),
                    ("/match/v1/driving/\(two)?radiuses=5;500", "TooBig", "radiuses"),
                    ("/match/v1/driving/\(two)?gaps=sometimes", "InvalidQuery", "gaps"),
                    ("/match/v1/driving/\(two)?waypoints=0", "NotImplemented", "waypoints"),
                    ("/match/v1/driving/7.5000,43.6000;7.5010,43.6010", "NoMatch", "coordinates"),
                ] {
                    let (status, body) = try await TableAPITests.body(http, uri)
                    #expect(status == 400 && body["code"] as? String == code && body["field"] as? String == field, "\(uri.prefix(80)): \(body)")
                }
            }
        }
    }

    /// OSRM's `tidy` keeps the first and last points and drops the rest of a
    /// car that hardly moved (under 15 m since the last point kept).
    @Test func tidyDropsPointsOfACarThatHardlyMoved() {
        let start = try! Coordinate(latitude: 43.73, longitude: 7.42)
        let trace = (0..<10).map { TraceMatcher.Observation(coordinate: Self.offset(start, north: Double($0 % 3), east: 0), timestamp: Double($0)) }
            + [TraceMatcher.Observation(coordinate: Self.offset(start, north: 100, east: 0), timestamp: 30)]
        #expect(TraceMatcher.tidied(trace) == [0, 10])
    }
}
