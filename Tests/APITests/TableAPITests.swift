import API
import Foundation
import GeoCore
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Storage
import Testing
import TestSupport

/// OSRM's table and nearest services through the endpoint, against
/// `TurnOracle` (see `RouteEndsTests`) and against Wayline's own routes.
@Suite(.serialized, .timeLimit(.minutes(10))) struct TableAPITests {
    static func body(_ http: any TestClientProtocol, _ uri: String, method: HTTPRequest.Method = .get, json: String? = nil) async throws -> (Int, [String: Any]) {
        try await http.execute(uri: uri, method: method, body: json.map { ByteBuffer(string: $0) }) { (Int($0.status.code), try TestApp.json($0.body)) }
    }

    static func matrix(_ body: [String: Any], _ name: String) -> [[Double?]] {
        (body[name] as? [[Any]] ?? []).map { row in row.map { $0 as? Double } }
    }

    @Test(arguments: RouteEndsTests.extracts)
    func cellsEqualTheTurnOracleAndRoutes(extract: String) async throws {
        try await RoadNetworkFixture.withImported(extract) { settings, client in
            let vertices = try await RoadNetworkFixture.vertices(client, seed: "table", limit: 25)
            let costs = try await RoadNetworkFixture.oracleCosts(client, from: vertices.map(\.id), to: vertices.map(\.id))
            let points = vertices
            try await TestApp.on(settings) { http in
                #expect(try await RouteAPITests.loaded(http))
                let path = points.map { "\($0.lng),\($0.lat)" }.joined(separator: ";")
                let (status, table) = try await Self.body(http, "/table/v1/driving/\(path)?annotations=duration,distance")
                #expect(status == 200 && table["code"] as? String == "Ok")
                let durations = Self.matrix(table, "durations"), distances = Self.matrix(table, "distances")
                #expect(durations.count == points.count && durations.allSatisfy { $0.count == points.count })
                #expect((table["sources"] as? [Any])?.count == points.count && (table["destinations"] as? [Any])?.count == points.count)
                var reachable = 0
                for (i, source) in points.enumerated() {
                    for (j, target) in points.enumerated() {
                        let cell = durations[i][j]
                        if i == j { #expect(cell == 0); continue }
                        let theirs = costs["\(source.id)>\(target.id)"]
                        #expect((cell == nil) == (theirs == nil), "\(extract) \(source.id)→\(target.id): reachability")
                        guard let cell, let theirs else { continue }
                        // OSRM writes one decimal.
                        #expect(abs(cell - theirs) <= 0.05 + 1e-6 * theirs, "\(extract) \(source.id)→\(target.id): \(cell) vs \(theirs)")
                        reachable += 1
                    }
                }
                #expect(reachable > 200)
                // Every cell of a few rows equals the two-point route between its ends, distance included.
                for i in 0..<3 {
                    for j in points.indices where i != j {
                        let (source, target) = (points[i], points[j])
                        let (code, route) = try await Self.body(http, "/route/v1/driving/\(source.lng),\(source.lat);\(target.lng),\(target.lat)?overview=false")
                        let first = (route["routes"] as? [[String: Any]])?.first
                        if code == 200, let duration = first?["duration"] as? Double, let distance = first?["distance"] as? Double {
                            #expect(abs((durations[i][j] ?? -1) - duration) <= 0.05 + 1e-9 * duration, "\(extract) \(i)→\(j)")
                            #expect(abs((distances[i][j] ?? -1) - distance) <= 0.05 + 1e-6 * distance, "\(extract) \(i)→\(j): \(distances[i][j] ?? -1) vs route \(distance)")
                        } else {
                            #expect(durations[i][j] == nil)
                        }
                    }
                }
            }
        }
    }

    @Test func optionsPostNearestAndErrors() async throws {
        try await RoadNetworkFixture.withImported("monaco") { settings, client in
            var nearestRoad: String?
            for try await name in try await client.query("""
                SELECT name FROM road_network.ways
                ORDER BY ST_Distance(the_geom::geography, ST_SetSRID(ST_MakePoint(7.4213, 43.7366), 4326)::geography) LIMIT 1
                """).decode(String.self) { nearestRoad = name }
            let road = try #require(nearestRoad)
            try await TestApp.on(settings) { http in
                #expect(try await RouteAPITests.loaded(http))
                let points = "7.4213,43.7366;7.4280,43.7395;7.4190,43.7310"
                let (_, all) = try await Self.body(http, "/table/v1/driving/\(points)")
                #expect(all["distances"] == nil && Self.matrix(all, "durations").count == 3)
                // sources and destinations pick rows and columns; scale_factor scales.
                let (_, picked) = try await Self.body(http, "/table/v1/driving/\(points)?sources=2&destinations=0;1&scale_factor=2")
                let full = Self.matrix(all, "durations"), part = Self.matrix(picked, "durations")
                #expect(part.count == 1 && part[0].count == 2)
                #expect(abs((part[0][1] ?? 0) - 2 * (full[2][1] ?? 0)) <= 0.1)
                // The POST extension answers as GET does.
                let (postStatus, posted) = try await Self.body(http, "/table/v1/driving", method: .post, json: """
                    {"coordinates": [[7.4213, 43.7366], [7.4280, 43.7395], [7.4190, 43.7310]], "sources": [2], "destinations": [0, 1], "scale_factor": 2}
                    """)
                #expect(postStatus == 200 && Self.matrix(posted, "durations") == part)
                // Errors in OSRM's codes.
                let tooMany = (0..<101).map { _ in "7.42,43.73" }.joined(separator: ";")
                #expect(try await Self.body(http, "/table/v1/driving/\(tooMany)").1["code"] as? String == "TooBig")
                #expect(try await Self.body(http, "/table/v1/driving/\(points)?sources=3").1["code"] as? String == "InvalidOptions")
                #expect(try await Self.body(http, "/table/v1/driving/\(points)?annotations=speed").1["code"] as? String == "InvalidOptions")
                #expect(try await Self.body(http, "/table/v1/driving/\(points)?colour=red").1["code"] as? String == "InvalidQuery")
                let (ocean, answer) = try await Self.body(http, "/table/v1/driving/7.4213,43.7366;0,0")
                #expect(ocean == 400 && answer["code"] as? String == "NoSegment")
                #expect(try await Self.body(http, "/table/v1/driving", method: .post, json: #"{"coordinates": [[7.42, 95]]}"#).0 == 400)

                // Nearest: the asked number of roads, nearest first, each with its edge's vertices.
                let (nearStatus, near) = try await Self.body(http, "/nearest/v1/driving/7.4213,43.7366?number=3")
                let waypoints = near["waypoints"] as? [[String: Any]] ?? []
                #expect(nearStatus == 200 && near["code"] as? String == "Ok" && waypoints.count == 3)
                let gaps = waypoints.compactMap { $0["distance"] as? Double }
                #expect(gaps == gaps.sorted())
                #expect(waypoints.allSatisfy { ($0["nodes"] as? [Int])?.count == 2 && ($0["location"] as? [Double])?.count == 2 })
                let (_, one) = try await Self.body(http, "/nearest/v1/driving/7.4213,43.7366")
                let (_, route) = try await Self.body(http, "/route/v1/driving/7.4213,43.7366;7.4280,43.7395?overview=false")
                let routeStart = ((route["waypoints"] as? [[String: Any]])?.first?["location"] as? [Double]) ?? []
                #expect((one["waypoints"] as? [[String: Any]])?.first?["location"] as? [Double] == routeStart)
                // Waypoints name the road they met, as OSRM's do.
                #expect(!road.isEmpty && (one["waypoints"] as? [[String: Any]])?.first?["name"] as? String == road)
                #expect((all["sources"] as? [[String: Any]])?.first?["name"] as? String == road)
                #expect(try await Self.body(http, "/nearest/v1/driving/7.4213,43.7366?number=0").1["code"] as? String == "InvalidOptions")
                #expect(try await Self.body(http, "/nearest/v1/driving/0,0").1["code"] as? String == "NoSegment")
            }
        }
    }
}
