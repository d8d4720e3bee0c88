import API
import Foundation
import GeoCore
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Routing
import Storage
import TestSupport
import Testing

/// The OSRM-compatible route endpoint on Monaco's imported network.
@Suite(.timeLimit(.minutes(5))) struct RouteAPITests {
    /// Monaco's port to the casino, as lng,lat;lng,lat.
    static let portToCasino = "7.4213,43.7366;7.4280,43.7395"

    static func get(_ http: any TestClientProtocol, _ uri: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await http.execute(uri: uri, method: .get) { ($0.status, try TestApp.json($0.body)) }
    }

    /// The first route of an answer.
    static func route(_ body: [String: Any]) -> [String: Any] {
        (body["routes"] as? [[String: Any]])?.first ?? [:]
    }

    /// Waits until the instance has loaded the network (it loads in the background
    /// at start): a point in the ocean then fails to snap instead of finding no network.
    static func loaded(_ http: any TestClientProtocol) async throws -> Bool {
        try await CacheAPITests.eventually {
            try await get(http, "/route/v1/driving/0,0;0,0").1["code"] as? String == "NoSegment"
        }
    }

    @Test func computesOnceThenServesFromCacheInOSRMFormat() async throws {
        try await RoadNetworkFixture.withImported("monaco") { settings, client in
            var routeSettings = RouteSettings()
            routeSettings.lookupFlushInterval = .milliseconds(100)
            try await TestApp.on(settings, routes: routeSettings) { http in
                #expect(try await Self.loaded(http))
                try await client.query("DELETE FROM routes")
                try await client.query("DELETE FROM route_cache_lookups")

                let (status, first) = try await Self.get(http, "/route/v1/driving/\(Self.portToCasino)?geometries=polyline6&overview=full")
                #expect(status == .ok)
                #expect(first["code"] as? String == "Ok")
                let route = Self.route(first)
                #expect(route["cache"] as? String == "miss")
                let duration = try #require(route["duration"] as? Double)
                let distance = try #require(route["distance"] as? Double)
                #expect(duration > 30 && duration < 600 && distance > 500 && distance < 5_000)
                #expect(route["traffic_multiplier"] as? Double == 1.0)

                // The same route as the router computes it in-process.
                let router = RoadRouter(graph: try await RoadNetworkRepository(client: client).graph())
                let direct = try router.route(from: Coordinate(latitude: 43.7366, longitude: 7.4213),
                                              to: Coordinate(latitude: 43.7395, longitude: 7.4280), maximumSnapMeters: 500)
                #expect(RouteEndsTests.close(duration, direct.durationSeconds) && RouteEndsTests.close(distance, direct.distanceMeters))

                // Geometry: the full shape, from the first waypoint to the second.
                let line = try Polyline.decode(try #require(route["geometry"] as? String), precision: 6)
                let waypoints = (first["waypoints"] as? [[String: Any]] ?? []).compactMap { $0["location"] as? [Double] }
                #expect(waypoints.count == 2)
                #expect(line.count == direct.coordinates.count)
                #expect(abs((line.first?.longitude ?? 0) - waypoints[0][0]) < 1e-6 && abs((line.last?.latitude ?? 0) - waypoints[1][1]) < 1e-6)

                let (_, second) = try await Self.get(http, "/route/v1/driving/\(Self.portToCasino)?geometries=polyline6&overview=full")
                #expect(Self.route(second)["cache"] as? String == "hit")
                #expect(Self.route(second)["duration"] as? Double == duration)
                #expect(try await client.value("SELECT count(*)::int FROM routes", as: Int.self) == 1)
                // The polyline stored with the route is the one served (encoded once).
                let (_, plain) = try await Self.get(http, "/route/v1/driving/\(Self.portToCasino)?overview=full")
                #expect(Self.route(plain)["geometry"] as? String == (try await client.value("SELECT encoded_polyline FROM routes", as: String.self)))

                // Ends a metre away snap elsewhere: a stored route serves only
                // ends that snap where its own did, and this one is routed afresh.
                let (_, near) = try await Self.get(http, "/route/v1/driving/7.42131,43.73661;7.42801,43.73951?overview=false")
                #expect(Self.route(near)["cache"] as? String == "miss")
                let nearDirect = try router.route(from: Coordinate(latitude: 43.73661, longitude: 7.42131),
                                                  to: Coordinate(latitude: 43.73951, longitude: 7.42801), maximumSnapMeters: 500)
                #expect(RouteEndsTests.close(Self.route(near)["duration"] as? Double ?? -1, nearDirect.durationSeconds))
                // OSRM's optional format suffix.
                let (_, suffixed) = try await Self.get(http, "/route/v1/driving/\(Self.portToCasino).json?overview=false")
                #expect(Self.route(suffixed)["duration"] as? Double == duration)

                // route_cache_stats: the table's miss plus the memory hits, flushed in the background.
                let counted = try await CacheAPITests.eventually {
                    try await client.value("SELECT hits::int FROM route_cache_stats", as: Int.self) >= 2
                }
                #expect(counted)
                #expect(try await client.value("SELECT misses::int FROM route_cache_stats", as: Int.self) >= 1)
            }
        }
    }

    /// GETs of the usual shape are answered before the router sees them
    /// (`RoutePathResponder`); what still reaches it is answered as before.
    @Test func theRouterStillAnswersOtherShapes() async throws {
        try await RoadNetworkFixture.withImported("monaco") { settings, _ in
            try await TestApp.on(settings) { http in
                #expect(try await Self.loaded(http))
                let uri = "/route/v1/driving/\(Self.portToCasino)?overview=false"
                let (status, direct) = try await Self.get(http, uri)
                #expect(status == .ok)
                let (slashed, routed) = try await Self.get(http, "/route/v1/driving/\(Self.portToCasino)/?overview=false")
                #expect(slashed == .ok)
                #expect(Self.route(routed)["duration"] as? Double == Self.route(direct)["duration"] as? Double)
                #expect(try await http.execute(uri: uri, method: .head) { $0.status } == .ok)
                for path in ["/route/v1/driving", "/route/v1/driving/\(Self.portToCasino)/extra"] {
                    let (missing, body) = try await Self.get(http, path)
                    #expect(missing == .notFound, "\(path)")
                    #expect((body["error"] as? [String: Any])?["code"] as? String == "not_found", "\(path)")
                }
            }
        }
    }

    @Test func geometriesAndOverviews() async throws {
        try await RoadNetworkFixture.withImported("monaco") { settings, _ in
            try await TestApp.on(settings) { http in
                #expect(try await Self.loaded(http))
                let base = "/route/v1/driving/7.4130,43.7310;7.4350,43.7480"
                let full = try Polyline.decode(try #require(Self.route(try await Self.get(http, base + "?overview=full").1)["geometry"] as? String))
                let simplified = try Polyline.decode(try #require(Self.route(try await Self.get(http, base).1)["geometry"] as? String))
                #expect(simplified.count < full.count && simplified.count >= 2)
                #expect(simplified.first == full.first && simplified.last == full.last)

                let geojson = try #require(Self.route(try await Self.get(http, base + "?geometries=geojson&overview=full").1)["geometry"] as? [String: Any])
                #expect(geojson["type"] as? String == "LineString")
                let positions = try #require(geojson["coordinates"] as? [[Double]])
                #expect(positions.count == full.count)
                #expect(zip(positions, full).allSatisfy { abs($0[0] - $1.longitude) < 1e-5 && abs($0[1] - $1.latitude) < 1e-5 })

                let none = Self.route(try await Self.get(http, base + "?overview=false").1)
                #expect(none["geometry"] == nil && none["duration"] != nil)
            }
        }
    }

    @Test func concurrentMissesForOneRouteComputeOnce() async throws {
        try await RoadNetworkFixture.withImported("monaco") { settings, client in
            try await TestApp.on(settings) { http in
                #expect(try await Self.loaded(http))
                try await client.query("DELETE FROM routes")
                let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                    for _ in 0..<20 {
                        group.addTask { try await Self.get(http, "/route/v1/driving/7.4190,43.7320;7.4400,43.7500?overview=false").0 }
                    }
                    return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
                }
                #expect(statuses.allSatisfy { $0 == .ok })
                #expect(try await client.value("SELECT count(*)::int FROM routes", as: Int.self) == 1)
            }
        }
    }

    @Test func expiredRoutesAreNeverServed() async throws {
        try await RoadNetworkFixture.withImported("monaco") { settings, client in
            var routeSettings = RouteSettings()
            routeSettings.timeToLiveSeconds = 1
            try await TestApp.on(settings, routes: routeSettings) { http in
                #expect(try await Self.loaded(http))
                let uri = "/route/v1/driving/\(Self.portToCasino)?overview=false"
                _ = try await Self.get(http, uri)
                #expect(Self.route(try await Self.get(http, uri).1)["cache"] as? String == "hit")
                try await Task.sleep(for: .milliseconds(1_100))
                #expect(Self.route(try await Self.get(http, uri).1)["cache"] as? String == "miss")
                #expect(try await client.value("SELECT count(*)::int FROM routes", as: Int.self) >= 2)
            }
        }
    }

    /// A running instance with no network learns of an import and routes on it.
    @Test func aRunningInstanceReloadsAfterAnImport() async throws {
        try await TestDatabase.withMigratedDatabaseSettings { settings in
            try await TestApp.on(settings) { http in
                let (status, body) = try await Self.get(http, "/route/v1/driving/\(Self.portToCasino)")
                #expect(status == .serviceUnavailable && body["code"] as? String == "NoNetwork")
                try await PostgresClient.withRunning(TestDatabase.pooled(settings), logger: TestDatabase.logger) { client in
                    try await RoadNetworkFixture.importExtract("monaco", client: client)
                }
                let routed = try await CacheAPITests.eventually {
                    try await Self.get(http, "/route/v1/driving/\(Self.portToCasino)?overview=false").0 == .ok
                }
                #expect(routed)
            }
        }
    }

    static let badRequests: [(uri: String, status: Int, code: String, field: String)] = [
        ("/route/v1/bicycle/\(portToCasino)", 400, "InvalidQuery", "profile"),
        ("/route/v1/driving/7.4213,43.7366", 400, "InvalidQuery", "coordinates"),
        ("/route/v1/driving/" + Array(repeating: "7.42,43.73", count: 26).joined(separator: ";"), 400, "TooBig", "coordinates"),
        ("/route/v1/driving/7.4213,93.7366;7.4280,43.7395", 400, "InvalidQuery", "coordinates[0]"),
        ("/route/v1/driving/7.4213,43.7366;181,43.7395", 400, "InvalidQuery", "coordinates[1]"),
        ("/route/v1/driving/nan,43.7366;7.4280,43.7395", 400, "InvalidQuery", "coordinates[0]"),
        ("/route/v1/driving/7.4213,43.7366;7.4280,1e400", 400, "InvalidQuery", "coordinates[1]"),
        ("/route/v1/driving/7.4213;43.7366,7.4280,43.7395", 400, "InvalidQuery", "coordinates[0]"),
        ("/route/v1/driving/abc,def;7.4280,43.7395", 400, "InvalidQuery", "coordinates[0]"),
        ("/route/v1/driving/0x7,43.7366;7.4280,43.7395", 400, "InvalidQuery", "coordinates[0]"),
        ("/route/v1/driving/7.4213,43.7366,0;7.4280,43.7395", 400, "InvalidQuery", "coordinates[0]"),
        ("/route/v1/driving/7.4213,43.7366;7.4280,,43.7395", 400, "InvalidQuery", "coordinates[1]"),
        ("/route/v1/driving/7.4213,43.7366;,", 400, "InvalidQuery", "coordinates[1]"),
        ("/route/v1/driving/7.4213,43.7366;%C3%A9,43.7395", 400, "InvalidQuery", "coordinates[1]"),
        ("/route/v1/driving/7.4213,43.7366;7.4280,43.7395.json.json", 400, "InvalidQuery", "coordinates[1]"),
        ("/route/v1/driving/.json", 400, "InvalidQuery", "coordinates"),
        ("/route/v1/driving/\(portToCasino)?geometries=wkt", 400, "InvalidQuery", "geometries"),
        ("/route/v1/driving/\(portToCasino)?overview=some", 400, "InvalidQuery", "overview"),
        ("/route/v1/driving/\(portToCasino)?steps=yes", 400, "InvalidQuery", "steps"),
        ("/route/v1/driving/\(portToCasino)?colour=red", 400, "InvalidQuery", "colour"),
        ("/route/v1/driving/\(portToCasino)?alternatives=false&steps=false&" + (0..<2_000).map { "o\($0)=1" }.joined(separator: "&"), 400, "InvalidQuery", "o0"),
        ("/route/v1/driving/\(portToCasino)?alternatives=false&alternatives=maybe&steps=1", 400, "InvalidQuery", "steps"),
        ("/route/v1/driving/0,0;7.4280,43.7395", 400, "NoSegment", "coordinates[0]"),
        ("/route/v1/driving/7.4213,43.7366;-150,-80", 400, "NoSegment", "coordinates[1]"),
    ]

    @Test func badRequestsGetOSRMErrors() async throws {
        try await RoadNetworkFixture.withImported("monaco") { settings, _ in
            try await TestApp.on(settings) { http in
                #expect(try await Self.loaded(http))
                for (uri, status, code, field) in Self.badRequests {
                    let (answer, body) = try await Self.get(http, uri)
                    #expect(Int(answer.code) == status, "\(uri)")
                    #expect(body["code"] as? String == code, "\(uri)")
                    #expect(body["field"] as? String == field, "\(uri)")
                    #expect((body["message"] as? String)?.isEmpty == false, "\(uri)")
                }
            }
        }
    }
}
