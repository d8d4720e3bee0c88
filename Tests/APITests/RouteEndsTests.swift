import API
import Foundation
import GeoCore
import HummingbirdTesting
import PostgresNIO
import Routing
import Storage
import TestSupport
import Testing

/// Routes as a client gets them, through `GET /route/v1`, against pgRouting on
/// the same imported tables, from every kind of end: thousands of vertex pairs
/// (intersections with one-way and two-way roads, dead ends), and points along
/// one-way and two-way edges, two on one edge in both orders. The router's
/// own oracle tests passed while routes from intersections took detours, so
/// these go through the endpoint.
@Suite(.serialized, .timeLimit(.minutes(10))) struct RouteEndsTests {
    static let extracts = ["monaco", "andorra", "harrisburg"]
    static let edgesSQL = RoadNetworkFixture.edgesSQL

    static func duration(_ http: any TestClientProtocol, _ from: (Double, Double), _ to: (Double, Double)) async throws -> (status: Int, duration: Double?) {
        try await http.execute(uri: "/route/v1/driving/\(from.0),\(from.1);\(to.0),\(to.1)?overview=false", method: .get) {
            let route = (try TestApp.json($0.body)["routes"] as? [[String: Any]])?.first
            return (Int($0.status.code), route?["duration"] as? Double)
        }
    }

    /// Harrisburg's hierarchy takes longer to build than the two seconds
    /// `RouteAPITests.loaded` waits.
    static func loaded(_ http: any TestClientProtocol) async throws -> Bool {
        for _ in 0..<600 {
            if try await RouteAPITests.get(http, "/route/v1/driving/0,0;0,0").1["code"] as? String == "NoSegment" { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// Equal as served: OSRM writes durations and distances with one decimal.
    static func close(_ ours: Double, _ theirs: Double) -> Bool {
        abs(ours - theirs) <= 0.05 + 1e-6 * max(1, abs(theirs))
    }

    @Test(arguments: extracts)
    func routesBetweenIntersectionsCostPgrDijkstra(extract: String) async throws {
        try await RoadNetworkFixture.withImported(extract) { settings, client in
            let vertices = try await RoadNetworkFixture.vertices(client, seed: "", limit: 90)
            let (sources, targets) = (Array(vertices[..<45]), Array(vertices[45...]))
            var expected: [String: Double] = [:]
            for try await (source, target, cost) in try await client.query("""
                SELECT start_vid, end_vid, agg_cost FROM pgr_dijkstraCost(\(Self.edgesSQL), \(sources.map(\.id))::int8[], \(targets.map(\.id))::int8[], true)
                """).decode((Int64, Int64, Double).self) {
                expected["\(source)>\(target)"] = cost
            }
            let costs = expected
            try await TestApp.on(settings) { http in
                #expect(try await Self.loaded(http))
                var compared = 0, reachable = 0
                for source in sources {
                    for target in targets where (source.lng, source.lat) != (target.lng, target.lat) {
                        let (status, duration) = try await Self.duration(http, (source.lng, source.lat), (target.lng, target.lat))
                        let theirs = costs["\(source.id)>\(target.id)"]
                        let pair = "\(extract) \(source.id)→\(target.id)"
                        if let theirs {
                            #expect(status == 200, "\(pair): pgRouting finds \(theirs) s")
                            #expect(duration.map { Self.close($0, theirs) } == true, "\(pair): \(duration ?? -1) vs pgr_dijkstra \(theirs)")
                            reachable += 1
                        } else {
                            #expect(status == 400, "\(pair): pgRouting finds no path")
                        }
                        compared += 1
                    }
                }
                #expect(compared > 1_900 && reachable > compared / 2)
            }
        }
    }

    /// An edge of the network, with the points a third and two thirds along it.
    struct Edge: Sendable {
        let id, source: Int64
        let cost, reverseCost: Double
        let third, twoThirds: (Double, Double)
        var oneWay: Bool { (cost < 0) != (reverseCost < 0) }
    }

    /// Points a third and two thirds along edges (one-way and two-way), to each
    /// other, to a vertex, and along one edge both ways: the cost of
    /// `pgr_withPointsCost` with the same points.
    @Test(arguments: extracts)
    func routesFromAlongEdgesCostPgrWithPoints(extract: String) async throws {
        try await RoadNetworkFixture.withImported(extract) { settings, client in
            // Straight edges, a dozen one-way and a dozen two-way, with no other
            // road within ~10 m of either point, so each point snaps to its own edge.
            var edges: [Edge] = []
            for try await row in try await client.query("""
                SELECT gid, source, cost_s, reverse_cost_s,
                       ST_X(ST_LineInterpolatePoint(the_geom, 1.0 / 3)), ST_Y(ST_LineInterpolatePoint(the_geom, 1.0 / 3)),
                       ST_X(ST_LineInterpolatePoint(the_geom, 2.0 / 3)), ST_Y(ST_LineInterpolatePoint(the_geom, 2.0 / 3))
                FROM (SELECT w.*, row_number() OVER (PARTITION BY (cost_s < 0) <> (reverse_cost_s < 0) ORDER BY md5(gid::text)) AS n
                      FROM road_network.ways w
                      WHERE (cost_s >= 0 OR reverse_cost_s >= 0) AND length_m > 30 AND ST_NPoints(the_geom) = 2
                        AND NOT EXISTS (SELECT 1 FROM road_network.ways o WHERE o.gid <> w.gid
                                        AND (ST_DWithin(o.the_geom, ST_LineInterpolatePoint(w.the_geom, 1.0 / 3), 0.0001)
                                             OR ST_DWithin(o.the_geom, ST_LineInterpolatePoint(w.the_geom, 2.0 / 3), 0.0001)))) e
                WHERE n <= 12 ORDER BY md5(gid::text)
                """).decode((Int64, Int64, Double, Double, Double, Double, Double, Double).self) {
                edges.append(Edge(id: row.0, source: row.1, cost: row.2, reverseCost: row.3, third: (row.4, row.5), twoThirds: (row.6, row.7)))
            }
            #expect(edges.contains { $0.oneWay } && edges.contains { !$0.oneWay }, "\(extract): both kinds of edge")
            let sample = edges
            try await TestApp.on(settings) { http in
                #expect(try await Self.loaded(http))
                var compared = 0
                for (index, from) in sample.enumerated() {
                    let to = sample[(index + 7) % sample.count]
                    let points = "SELECT 1::int8 AS pid, \(from.id)::int8 AS edge_id, \(1.0 / 3)::float8 AS fraction"
                    // (kind, start, end, pgRouting's points, origin, destination, the direct cost along one edge)
                    let cases: [(String, (Double, Double), (Double, Double), String, Int64, Int64, Double?)] = [
                        ("two edges", from.third, to.twoThirds, points + " UNION ALL SELECT 2, \(to.id), \(2.0 / 3)", -1, -2, nil),
                        ("one edge forward", from.third, from.twoThirds, points + " UNION ALL SELECT 2, \(from.id), \(2.0 / 3)", -1, -2,
                         from.cost >= 0 ? from.cost / 3 : nil),
                        ("one edge back", from.twoThirds, from.third, points + " UNION ALL SELECT 2, \(from.id), \(2.0 / 3)", -2, -1,
                         from.reverseCost >= 0 ? from.reverseCost / 3 : nil),
                        ("to a vertex", from.third, try await Self.vertex(to.source, client), points, -1, to.source, nil),
                    ]
                    for (kind, start, end, points, origin, destination, direct) in cases {
                        let (status, duration) = try await Self.duration(http, start, end)
                        var theirs = try await Self.withPointsCost(client, points, origin, destination)
                        // Along one edge pgRouting only goes round the network; the direct way is the edge itself.
                        if let direct { theirs = min(theirs ?? .infinity, direct) }
                        let label = "\(extract) \(kind) \(from.id)→\(to.id) (one-way: \(from.oneWay))"
                        if let theirs {
                            #expect(status == 200 && duration.map { Self.close($0, theirs) } == true, "\(label): \(duration ?? -1) vs \(theirs)")
                        } else {
                            #expect(status == 400, "\(label): pgRouting finds no path")
                        }
                        compared += 1
                    }
                }
                #expect(compared >= 80)
            }
        }
    }

    static func vertex(_ id: Int64, _ client: PostgresClient) async throws -> (Double, Double) {
        for try await point in try await client.query("SELECT ST_X(the_geom), ST_Y(the_geom) FROM road_network.ways_vertices_pgr WHERE id = \(id)")
            .decode((Double, Double).self) { return point }
        throw RouteEndsError.missingVertex(id)
    }

    /// pgRouting's cost between the points, or nil when no path joins them.
    static func withPointsCost(_ client: PostgresClient, _ points: String, _ origin: Int64, _ destination: Int64) async throws -> Double? {
        var cost: Double?
        for try await value in try await client.query("""
            SELECT agg_cost FROM pgr_withPointsCost(\(edgesSQL), \(points), \(origin), \(destination), directed => true, driving_side => 'b')
            """).decode(Double.self) { cost = value }
        return cost
    }
}

enum RouteEndsError: Error {
    case missingVertex(Int64)
}
