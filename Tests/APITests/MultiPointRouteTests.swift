import API
import Foundation
import GeoCore
import HummingbirdTesting
import Testing
import TestSupport

/// Routes through more than two points: one leg per pair of consecutive
/// points, each equal to the two-point route between them.
@Suite(.timeLimit(.minutes(5))) struct MultiPointRouteTests {
    static let points = ["7.4213,43.7366", "7.4280,43.7395", "7.4190,43.7310", "7.4230,43.7340"]

    @Test func legsEqualTheirTwoPointRoutesAndAddUp() async throws {
        try await RoadNetworkFixture.withImported("monaco") { settings, _ in
            try await TestApp.on(settings) { http in
                #expect(try await RouteAPITests.loaded(http))
                let (status, body) = try await TableAPITests.body(http, "/route/v1/driving/\(Self.points.joined(separator: ";"))?overview=full&geometries=geojson")
                #expect(status == 200 && body["code"] as? String == "Ok")
                let route = RouteAPITests.route(body)
                let legs = route["legs"] as? [[String: Any]] ?? []
                #expect(legs.count == 3)
                let waypoints = (body["waypoints"] as? [[String: Any]] ?? []).compactMap { $0["location"] as? [Double] }
                #expect(waypoints.count == 4)
                var durations = 0.0, distances = 0.0
                for (index, leg) in legs.enumerated() {
                    let (_, single) = try await TableAPITests.body(http, "/route/v1/driving/\(Self.points[index]);\(Self.points[index + 1])?overview=false")
                    let alone = RouteAPITests.route(single)
                    let duration = try #require(leg["duration"] as? Double), distance = try #require(leg["distance"] as? Double)
                    #expect(abs(duration - (alone["duration"] as? Double ?? -1)) < 1e-6, "leg \(index)")
                    #expect(abs(distance - (alone["distance"] as? Double ?? -1)) < 1e-6, "leg \(index)")
                    durations += duration
                    distances += distance
                }
                // Each total is rounded to one decimal on its own.
                let rounding = 0.05 * Double(legs.count + 1) + 1e-6
                #expect(abs((route["duration"] as? Double ?? 0) - durations) < rounding && abs((route["distance"] as? Double ?? 0) - distances) < rounding)
                // One line from the first snapped point through the others to the last.
                let line = ((route["geometry"] as? [String: Any])?["coordinates"] as? [[Double]]) ?? []
                #expect(line.first == waypoints.first && line.last == waypoints.last)
                for via in waypoints.dropFirst().dropLast() { #expect(line.contains(via), "the line passes \(via)") }

                // Up to 25 points; beyond, OSRM's TooBig.
                let many = Array(repeating: Self.points[0], count: 26).joined(separator: ";")
                #expect(try await TableAPITests.body(http, "/route/v1/driving/\(many)").1["code"] as? String == "TooBig")
                let (oneStatus, one) = try await TableAPITests.body(http, "/route/v1/driving/\(Self.points[0])")
                #expect(oneStatus == 400 && one["code"] as? String == "InvalidQuery")
                // A point in the sea names its index.
                let (_, sea) = try await TableAPITests.body(http, "/route/v1/driving/\(Self.points[0]);\(Self.points[1]);0,0")
                #expect(sea["code"] as? String == "NoSegment" && sea["field"] as? String == "coordinates[2]")
            }
        }
    
    }

    /// `steps=true` (Leaflet Routing Machine's default): OSRM step objects
    /// that add up to their leg, named from OpenStreetMap, from depart to arrive.
    /// Ends on junctions: no step but the arrival is empty (a route from a
    /// junction once began with a zero-length step named after a neighbouring road).
    @Test func noStepIsEmptyAtAJunction() async throws {
        try await RoadNetworkFixture.withImported("monaco") { settings, client in
            let junctions = try await RoadNetworkFixture.vertices(client, seed: "steps", limit: 60)
            try await TestApp.on(settings) { http in
                #expect(try await RouteAPITests.loaded(http))
                var routed = 0
                for (from, to) in zip(junctions, junctions.dropFirst()) {
                    let (status, body) = try await TableAPITests.body(http, "/route/v1/driving/\(from.lng),\(from.lat);\(to.lng),\(to.lat)?steps=true")
                    guard status == 200 else { continue }
                    let steps = (RouteAPITests.route(body)["legs"] as? [[String: Any]])?.first?["steps"] as? [[String: Any]] ?? []
                    for step in steps.dropLast() {
                        #expect((step["distance"] as? Double ?? 0) > 0, "\(from.id)→\(to.id): \(step["name"] ?? "")")
                    }
                    routed += 1
                }
                #expect(routed >= 30)
            }
        }
    }

    @Test func stepsAddUpToTheirLegs() async throws {
        try await RoadNetworkFixture.withImported("monaco") { settings, _ in
            try await TestApp.on(settings) { http in
                #expect(try await RouteAPITests.loaded(http))
                let (status, body) = try await TableAPITests.body(http, "/route/v1/driving/\(Self.points[0]);\(Self.points[1]);\(Self.points[2])?steps=true&geometries=polyline6")
                #expect(status == 200)
                let waypoints = (body["waypoints"] as? [[String: Any]] ?? []).compactMap { $0["location"] as? [Double] }
                let legs = RouteAPITests.route(body)["legs"] as? [[String: Any]] ?? []
                #expect(legs.count == 2)
                for (index, leg) in legs.enumerated() {
                    let steps = leg["steps"] as? [[String: Any]] ?? []
                    let maneuvers = steps.compactMap { $0["maneuver"] as? [String: Any] }
                    #expect(steps.count >= 3 && maneuvers.count == steps.count, "leg \(index)")
                    #expect(maneuvers.first?["type"] as? String == "depart" && maneuvers.last?["type"] as? String == "arrive")
                    #expect(maneuvers.first?["location"] as? [Double] == waypoints[index])
                    #expect(maneuvers.last?["location"] as? [Double] == waypoints[index + 1])
                    for maneuver in maneuvers.dropFirst().dropLast() {
                        #expect(["turn", "new name"].contains(maneuver["type"] as? String ?? ""))
                        #expect(maneuver["modifier"] is String && maneuver["bearing_before"] is Int && maneuver["bearing_after"] is Int)
                    }
                    let distance = steps.reduce(0.0) { $0 + ($1["distance"] as? Double ?? 0) }
                    let duration = steps.reduce(0.0) { $0 + ($1["duration"] as? Double ?? 0) }
                    let rounding = 0.05 * Double(steps.count + 1) + 1e-6
                    #expect(abs(distance - (leg["distance"] as? Double ?? 0)) < rounding && abs(duration - (leg["duration"] as? Double ?? 0)) < rounding)
                    #expect(steps.filter { !($0["name"] as? String ?? "").isEmpty }.count > steps.count / 2, "Monaco's streets have names")
                    #expect(!(leg["summary"] as? String ?? "").isEmpty)
                    for step in steps {
                        #expect(step["mode"] as? String == "driving" && step["driving_side"] as? String == "right")
                        let line = try Polyline.decode(step["geometry"] as? String ?? "", precision: 6)
                        #expect(line.count >= 2)
                    }
                }
            }
        }
    }

    /// `annotations`, `radiuses`, `alternatives`, `hints`, `approaches` and
    /// `bearings` as OSRM clients send them.
    @Test func annotationsAndOtherOptions() async throws {
        try await RoadNetworkFixture.withImported("monaco") { settings, client in
            try await TestApp.on(settings) { http in
                #expect(try await RouteAPITests.loaded(http))
                let pair = "\(Self.points[0]);\(Self.points[1])"
                let (status, body) = try await TableAPITests.body(http, "/route/v1/driving/\(pair)?annotations=true&overview=full&geometries=geojson")
                #expect(status == 200)
                let route = RouteAPITests.route(body)
                let line = ((route["geometry"] as? [String: Any])?["coordinates"] as? [[Double]]) ?? []
                let leg = (route["legs"] as? [[String: Any]])?.first ?? [:]
                let annotation = leg["annotation"] as? [String: Any] ?? [:]
                for name in ["distance", "duration", "speed", "weight"] {
                    #expect((annotation[name] as? [Double])?.count == line.count - 1, "\(name): one per segment of the line")
                }
                // OpenStreetMap nodes: one per point of the line (a snapped end counts as
                // its segment's first or last node), each pair next to each other on a way.
                let nodes = annotation["nodes"] as? [Int] ?? []
                #expect(nodes.count == line.count && Set(nodes).count > 2)
                let adjacent = try await client.query("""
                    SELECT count(*)::int8 FROM unnest(\(nodes.dropLast().map(Int64.init))::int8[], \(nodes.dropFirst().map(Int64.init))::int8[]) AS pair(a, b)
                    WHERE EXISTS (SELECT 1 FROM road_network.ways w, generate_subscripts(w.node_ids, 1) i
                                  WHERE i < array_length(w.node_ids, 1) AND ((w.node_ids[i] = a AND w.node_ids[i + 1] = b) OR (w.node_ids[i] = b AND w.node_ids[i + 1] = a)))
                    """)
                for try await count in adjacent.decode(Int64.self) { #expect(count == Int64(nodes.count - 1), "\(nodes)") }
                let distances = annotation["distance"] as? [Double] ?? [], durations = annotation["duration"] as? [Double] ?? []
                #expect(abs(distances.reduce(0, +) - (leg["distance"] as? Double ?? 0)) < 0.05 * Double(distances.count) + 0.01)
                #expect(abs(durations.reduce(0, +) - (leg["duration"] as? Double ?? 0)) < 0.05 * Double(durations.count + 1))
                let (_, some) = try await TableAPITests.body(http, "/route/v1/driving/\(pair)?annotations=duration,speed")
                let partial = ((RouteAPITests.route(some)["legs"] as? [[String: Any]])?.first?["annotation"] as? [String: Any]) ?? [:]
                #expect(Set(partial.keys) == ["duration", "speed"])

                let cases: [(String, Int, String?)] = [
                    ("annotations=nodes", 200, nil),
                    ("annotations=colour", 400, "InvalidOptions"),
                    ("alternatives=3", 200, nil),
                    ("alternatives=true", 200, nil),
                    ("alternatives=many", 400, "InvalidQuery"),
                    ("hints=;", 200, nil),
                    ("radiuses=unlimited;500", 200, nil),
                    ("radiuses=0.5;0.5", 400, "NoSegment"),
                    ("radiuses=5", 400, "InvalidOptions"),
                    ("radiuses=-1;5", 400, "InvalidOptions"),
                    ("approaches=unrestricted;unrestricted", 200, nil),
                    ("approaches=curb;curb", 200, nil),
                    ("approaches=curb;", 200, nil),
                    ("approaches=opposite;", 400, "InvalidOptions"),
                    ("approaches=curb", 400, "InvalidOptions"),
                    ("bearings=90,180;", 200, nil),
                    ("bearings=;0,180", 200, nil),
                    ("bearings=361,10;", 400, "InvalidOptions"),
                    ("bearings=90,181;", 400, "InvalidOptions"),
                    ("bearings=90;", 400, "InvalidOptions"),
                    ("bearings=90,10", 400, "InvalidOptions"),
                    ("bearings=-5,10;", 400, "InvalidOptions"),
                ]
                for (options, status, code) in cases {
                    let (answer, body) = try await TableAPITests.body(http, "/route/v1/driving/\(pair)?\(options)")
                    #expect(answer == status, "\(options)")
                    if let code { #expect(body["code"] as? String == code, "\(options)") }
                    if status == 200 { #expect((body["routes"] as? [Any])?.count == 1, "\(options): the best route only") }
                }
            }
        }
    }
}
