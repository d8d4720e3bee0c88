import API
import Foundation
import GeoCore
import Geometry
import HummingbirdTesting
import NIOCore
import Routing
import Storage
import Testing
import TestSupport

/// `GET /v1/nearby?rank=eta` on Monaco's roads: the answer equals brute
/// force (every driver within the radius routed to the pickup one by one,
/// sorted by duration, ties by user id), though the ranking stops examining
/// drivers once the rest cannot be sooner; drivers off the roads are
/// counted, and the work is bounded.
@Suite(.timeLimit(.minutes(10))) struct NearbyByRoadTimeTests {
    /// Both ways of ranking: the search from the pickup among the drivers
    /// placed on the network, and (with that search allowed a single
    /// vertex) drivers examined nearest first by straight line.
    @Test(arguments: [true, false]) func equalsRoutingEveryCandidateOneByOne(searching: Bool) async throws {
        try await RoadNetworkFixture.withImported("monaco") { settings, client in
            let router = RoadRouter(graph: try await RoadNetworkRepository(client: client).graph())
            var generator = SeededGenerator(seed: 8)
            // Scattered over the town and the sea beside it: some are off every road.
            func scatter(_ count: Int) -> [(id: UUID, coordinate: Coordinate, heading: Double?)] {
                RandomPoints.near((43.737, 7.421), spreadMeters: 1_800, count: count, using: &generator).map { coordinate in
                    (id: UUID(), coordinate: coordinate, heading: Bool.random(using: &generator) ? Double(Int.random(in: 0..<360, using: &generator)) : nil)
                }
            }
            let drivers = scatter(300)
            // Later a third of them move (some onto the roads, some off them).
            let moves = scatter(100)
            var movedDrivers = drivers
            for (number, move) in moves.enumerated() { movedDrivers[number * 3] = (drivers[number * 3].id, move.coordinate, move.heading) }
            let afterMoves = movedDrivers
            let moved = moves.indices.map { afterMoves[$0 * 3] }
            let pickups = try await RoadNetworkFixture.vertices(client, roads: 2, seed: "eta pickups", limit: 6)
            let geodesic = WGS84Geodesic()
            let maximumSnap = RouteSettings().maximumSnapMeters
            var locations = LocationSettings()
            if !searching { locations.maximumRoadTimeVertices = 1 }
            let driverSnap = locations.maximumDriverSnapMeters

            try await TestApp.on(settings, locations: locations) { http in
                #expect(try await RouteAPITests.loaded(http))
                func write(_ drivers: [(id: UUID, coordinate: Coordinate, heading: Double?)]) async throws {
                    let updates = drivers.map { driver in
                        #"{"user_id": "\#(driver.id)", "type": "current", "lat": \#(driver.coordinate.latitude), "lng": \#(driver.coordinate.longitude)"#
                            + (driver.heading.map { #", "heading_deg": \#($0)}"# } ?? "}")
                    }
                    try await http.execute(uri: "/v1/locations/batch", method: .post, body: ByteBuffer(string: #"{"updates": [\#(updates.joined(separator: ","))]}"#)) {
                        #expect($0.status == .ok)
                    }
                }
                try await write(drivers)
                var unsnappedSeen = 0
                var prunedSeen = 0
                func compare(_ pickups: [RoadNetworkFixture.Vertex], limits: [Int], drivers: [(id: UUID, coordinate: Coordinate, heading: Double?)]) async throws {
                  for pickup in pickups {
                    for limit in limits {
                    let center = try Coordinate(latitude: pickup.lat, longitude: pickup.lng)
                    let json = try await http.execute(uri: "/v1/nearby?lat=\(pickup.lat)&lng=\(pickup.lng)&radius_m=1200&limit=\(limit)&rank=eta", method: .get) {
                        #expect($0.status == .ok)
                        return try TestApp.json($0.body)
                    }
                    let results = json["results"] as? [[String: Any]] ?? []

                    let destination = try router.end(center, index: 0, maximumSnapMeters: maximumSnap)
                    var expected: [(id: UUID, eta: Double, meters: Double)] = []
                    // Nearest first by straight line (ties by id), as the ranking without the search examines them.
                    let within = drivers.map { (driver: $0, meters: geodesic.distanceMeters(from: center, to: $0.coordinate)) }
                        .filter { $0.meters <= 1_200 }
                        .sorted { ($0.meters, PointID($0.driver.id)) < ($1.meters, PointID($1.driver.id)) }
                    var unsnapped: [Bool] = []
                    for (driver, _) in within {
                        guard let start = router.driverStart(at: driver.coordinate, heading: driver.heading, maximumSnapMeters: driverSnap) else {
                            unsnapped.append(true)
                            continue
                        }
                        unsnapped.append(false)
                        guard let route = try? router.route(from: start, to: destination) else { continue }
                        expected.append((driver.id, route.durationSeconds, route.distanceMeters))
                    }
                    expected.sort { ($0.eta, PointID($0.id)) < ($1.eta, PointID($1.id)) }
                    expected = Array(expected.prefix(limit))

                    let examined = json["examined"] as? Int ?? -1
                    #expect(examined >= 0 && examined <= within.count, "\(json)")
                    // The search looks at every driver within the radius that is off the roads; the
                    // ranking without it, at those among the drivers it examined, nearest first.
                    let unsnappedLookedAt = unsnapped.prefix(searching ? within.count : max(examined, 0)).filter { $0 }.count
                    #expect(json["rank"] as? String == "eta" && json["unsnapped"] as? Int == unsnappedLookedAt, "\(json)")
                    let ids = results.compactMap { ($0["user_id"] as? String).flatMap(UUID.init(uuidString:)) }
                    if ids != expected.map(\.id) {
                        // What the live index holds there, for a failure's message: a missed write, or a missed placement.
                        let plain = try await http.execute(uri: "/v1/nearby?lat=\(pickup.lat)&lng=\(pickup.lng)&radius_m=1200&limit=\(limit)", method: .get) {
                            String(buffer: $0.body)
                        }
                        Issue.record("ranked \(results), expected \(expected.map(\.id)); nearest-first without ranking: \(plain.prefix(2_000))")
                    }
                    for (result, want) in zip(results, expected) {
                        #expect(abs((result["eta_s"] as? Double ?? -1) - want.eta) <= 0.05, "\(result) \(want)")
                        #expect(abs((result["route_distance_m"] as? Double ?? -1) - want.meters) <= 0.05, "\(result) \(want)")
                    }
                    unsnappedSeen += unsnappedLookedAt
                    if examined < within.count { prunedSeen += 1 }
                    }
                  }
                }
                try await compare(pickups, limits: [10, 2], drivers: drivers)
                // Some rankings stopped before the radius's last driver: the rest could not be sooner.
                #expect(prunedSeen > 0)
                // The scatter reaches the sea: some drivers were off every road, and were counted.
                #expect(unsnappedSeen > 0)

                // The answers follow the moves at once.
                try await write(moved)
                try await compare(Array(pickups.prefix(3)), limits: [10], drivers: afterMoves)
            }
        }
    }

    @Test func theWorkIsBoundedAndBadAsksAreNamed() async throws {
        try await RoadNetworkFixture.withImported("monaco") { settings, _ in
            var locations = LocationSettings()
            locations.maximumRoadTimeCandidates = 3
            try await TestApp.on(settings, locations: locations) { http in
                #expect(try await RouteAPITests.loaded(http))
                let drivers = (0..<4).map { _ in UUID() }
                for (number, driver) in drivers.enumerated() {
                    let body = #"{"lat": \#(43.7370 + Double(number) * 0.0002), "lng": 7.4210}"#
                    try await http.execute(uri: "/v1/locations/\(driver)/current", method: .put, body: ByteBuffer(string: body)) { #expect($0.status == .ok) }
                }
                let asks: [(query: String, field: String)] = [
                    ("lat=43.737&lng=7.421&radius_m=1000&rank=eta", "radius_m"),  // four drivers, three allowed
                    ("lat=43.737&lng=7.421&radius_m=20000&rank=eta", "radius_m"),  // beyond the largest radius
                    ("lat=43.737&lng=7.421&rank=soon", "rank"),
                    ("lat=43.737&lng=7.421&type=home&rank=eta", "rank"),
                    ("lat=43.60&lng=7.45&radius_m=100&rank=eta", "lat"),  // the pickup is out at sea
                ]
                for ask in asks {
                    try await http.execute(uri: "/v1/nearby?\(ask.query)", method: .get) { response in
                        #expect(response.status == .badRequest, "\(ask.query)")
                        let field = try TestApp.errorField(response.body)
                        #expect(field == ask.field, "\(ask.query): \(String(buffer: response.body))")
                    }
                }
                try await http.execute(uri: "/v1/nearby?lat=43.737&lng=7.421&radius_m=30&rank=eta", method: .get) { response in
                    #expect(response.status == .ok)
                    let results = try TestApp.json(response.body)["results"] as? [[String: Any]] ?? []
                    #expect(results.count == 2 && results.allSatisfy { $0["eta_s"] is Double }, "\(results)")
                }
                // A deleted driver is ranked no more.
                try await http.execute(uri: "/v1/locations/\(drivers[0])/current", method: .delete) { #expect($0.status == .noContent) }
                try await http.execute(uri: "/v1/nearby?lat=43.737&lng=7.421&radius_m=30&rank=eta", method: .get) { response in
                    let results = try TestApp.json(response.body)["results"] as? [[String: Any]] ?? []
                    #expect(results.map { $0["user_id"] as? String } == [drivers[1].uuidString.lowercased()], "\(results)")
                }
            }
        }
    }

    @Test func withoutARoadNetworkItAnswers503() async throws {
        try await TestApp.with { http, _ in
            try await http.execute(uri: "/v1/nearby?lat=43.737&lng=7.421&rank=eta", method: .get) { response in
                #expect(response.status == .serviceUnavailable && String(buffer: response.body).contains("no_road_network"))
            }
        }
    }
}
