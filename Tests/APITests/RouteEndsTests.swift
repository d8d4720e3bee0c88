import API
import Foundation
import GeoCore
import HummingbirdTesting
import PostgresNIO
import Routing
import Storage
import TestSupport
import Testing

/// Routes as a client gets them, through `GET /route/v1`, against
/// `TurnOracle` (a plain Dijkstra over road arcs and the import's turn
/// costs, itself held to pgr_trsp in `RoadRouterOracleTests`) on the same
/// imported tables, from every kind of end: thousands of vertex pairs
/// (intersections with one-way and two-way roads, dead ends), and points along
/// one-way and two-way edges, two on one edge in both orders. The router's
/// own oracle tests passed while routes from intersections took detours, so
/// these go through the endpoint.
@Suite(.serialized, .timeLimit(.minutes(10))) struct RouteEndsTests {
    static let extracts = ["monaco", "andorra", "harrisburg"]

    static func duration(_ http: any TestClientProtocol, _ from: (Double, Double), _ to: (Double, Double)) async throws -> (status: Int, duration: Double?) {
        let (status, body) = try await TestApp.retryingUnavailable {
            try await RouteAPITests.get(http, "/route/v1/driving/\(from.0),\(from.1);\(to.0),\(to.1)?overview=false")
        }
        return (Int(status.code), RouteAPITests.route(body)["duration"] as? Double)
    }


    /// Equal as served: OSRM writes durations and distances with one decimal.
    static func close(_ ours: Double, _ theirs: Double) -> Bool {
        abs(ours - theirs) <= 0.05 + 1e-6 * max(1, abs(theirs))
    }

    @Test(arguments: extracts)
    func routesBetweenIntersectionsCostWhatTheTurnOracleFinds(extract: String) async throws {
        try await RoadNetworkFixture.withImported(extract) { settings, client in
            let vertices = try await RoadNetworkFixture.vertices(client, seed: "", limit: 90)
            let (sources, targets) = (Array(vertices[..<45]), Array(vertices[45...]))
            let costs = try await RoadNetworkFixture.oracleCosts(client, from: sources.map(\.id), to: targets.map(\.id))
            try await TestApp.on(settings) { http in
                #expect(try await RouteAPITests.loaded(http))
                var compared = 0, reachable = 0
                for source in sources {
                    for target in targets where (source.lng, source.lat) != (target.lng, target.lat) {
                        let (status, duration) = try await Self.duration(http, (source.lng, source.lat), (target.lng, target.lat))
                        let theirs = costs["\(source.id)>\(target.id)"]
                        let pair = "\(extract) \(source.id)→\(target.id)"
                        if let theirs {
                            #expect(status == 200, "\(pair): the oracle finds \(theirs) s")
                            #expect(duration.map { Self.close($0, theirs) } == true, "\(pair): \(duration ?? -1) vs the oracle \(theirs)")
                            reachable += 1
                        } else {
                            #expect(status == 400, "\(pair): the oracle finds no path")
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
    /// the turn oracle between the same points.
    @Test(arguments: extracts)
    func routesFromAlongEdgesCostWhatTheTurnOracleFinds(extract: String) async throws {
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
            let oracle = try await RoadNetworkFixture.turnOracle(client)
            try await TestApp.on(settings) { http in
                #expect(try await RouteAPITests.loaded(http))
                var compared = 0
                for (index, from) in sample.enumerated() {
                    let to = sample[(index + 7) % sample.count]
                    // (kind, start, end, the oracle's cost, the direct cost along one edge)
                    let cases: [(String, (Double, Double), (Double, Double), Double?, Double?)] = [
                        ("two edges", from.third, to.twoThirds, oracle.cost(from: from.id, at: 1.0 / 3, to: to.id, at: 2.0 / 3), nil),
                        ("one edge forward", from.third, from.twoThirds, oracle.cost(from: from.id, at: 1.0 / 3, to: from.id, at: 2.0 / 3),
                         from.cost >= 0 ? from.cost / 3 : nil),
                        ("one edge back", from.twoThirds, from.third, oracle.cost(from: from.id, at: 2.0 / 3, to: from.id, at: 1.0 / 3),
                         from.reverseCost >= 0 ? from.reverseCost / 3 : nil),
                        ("to a vertex", from.third, try await Self.vertex(to.source, client), oracle.cost(from: from.id, at: 1.0 / 3, to: nil, vertex: to.source), nil),
                    ]
                    for (kind, start, end, oracleCost, direct) in cases {
                        let (status, duration) = try await Self.duration(http, start, end)
                        var theirs = oracleCost
                        // Along one edge the oracle only goes round the network; the direct way is the edge itself.
                        if let direct { theirs = min(theirs ?? .infinity, direct) }
                        let label = "\(extract) \(kind) \(from.id)→\(to.id) (one-way: \(from.oneWay))"
                        if let theirs {
                            #expect(status == 200 && duration.map { Self.close($0, theirs) } == true, "\(label): \(duration ?? -1) vs \(theirs)")
                        } else {
                            #expect(status == 400, "\(label): the oracle finds no path")
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

}

enum RouteEndsError: Error {
    case missingVertex(Int64)
}
