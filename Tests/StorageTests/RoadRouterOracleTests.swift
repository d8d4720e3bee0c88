import Foundation
import GeoCore
import PostgresNIO
import Storage
import Testing
import TestSupport

/// The router against pgRouting on the same imported tables: pgRouting is the
/// oracle. Vertex to vertex against `pgr_trsp` with the import's turn costs
/// and restrictions. Snapped points on edges against `pgr_withPointsCost`,
/// which routes from a fraction of an edge exactly as the router does, with
/// every turn free on both sides: pgRouting splits a snapped edge into new
/// ones, to which the import's turn rows (by edge id) no longer apply.
@Suite(.serialized, .timeLimit(.minutes(10))) struct RoadRouterOracleTests {
    static let edgesSQL = RoadNetworkFixture.edgesSQL

    static func close(_ ours: Double, _ theirs: Double) -> Bool {
        abs(ours - theirs) <= 1e-6 * max(1, abs(theirs))
    }

    @Test(arguments: RoadNetworkFixture.extracts)
    func vertexToVertexCostsEqualPgrTrsp(extract: String) async throws {
        try await RoadNetworkFixture.withImported(extract) { _, client in
            let repository = RoadNetworkRepository(client: client)
            let (edges, turns, sequences) = (try await repository.edges(), try await repository.turns(), try await repository.forbiddenSequences())
            let router = RoadRouter(graph: RoadGraph(edges: edges, turns: turns, sequences: sequences))
            let turnCost = Dictionary(uniqueKeysWithValues: turns.map { ("\($0.from)>\($0.via)>\($0.to)", $0.seconds) })
            let byID = Dictionary(uniqueKeysWithValues: edges.map { ($0.id, $0) })
            var random = SeededGenerator(seed: 5)
            let vertices = router.graph.vertexIDs
            let sources = (0..<40).map { _ in vertices.randomElement(using: &random)! }
            let targets = (0..<40).map { _ in vertices.randomElement(using: &random)! }
            let expected = try await RoadNetworkFixture.trspCosts(client, from: sources, to: targets)
            // The turn costs change answers: without them pgRouting's plain Dijkstra differs somewhere.
            var plain: [String: Double] = [:]
            for try await (source, target, cost) in try await client.query("""
                SELECT start_vid, end_vid, agg_cost FROM pgr_dijkstraCost(\(Self.edgesSQL), \(sources)::int8[], \(targets)::int8[], true)
                """).decode((Int64, Int64, Double).self) { plain["\(source)>\(target)"] = cost }
            #expect(expected.contains { pair, cost in plain[pair].map { !Self.close($0, cost) } ?? true }, "\(extract): turns cost something")

            let oracle = TurnOracle(edges: edges, turns: turns, sequences: sequences)
            var compared = 0, reachable = 0, uTurnsOnAnEdge = 0
            for source in sources {
                let exact = oracle.costs(fromVertex: source)
                for target in targets where source != target {
                    let ours = router.shortestPath(fromVertex: source, toVertex: target)
                    var theirs = expected["\(source)>\(target)"]
                    // pgr_trsp never turns back along the edge it came by, which
                    // the car profile allows at dead ends and where no other way
                    // on is open (OSRM's rule): there the plain search over road
                    // arcs is the oracle, and the path must hold such a u-turn.
                    if let ours, ours.cost < (theirs ?? .infinity) - 1e-6, zip(ours.edges, ours.edges.dropFirst()).contains(where: { $0.id == $1.id }) {
                        theirs = exact[target]
                        uTurnsOnAnEdge += 1
                    }
                    #expect((ours == nil) == (theirs == nil), "\(extract) \(source)→\(target): reachability")
                    if let ours, let theirs {
                        #expect(Self.close(ours.cost, theirs), "\(extract) \(source)→\(target): \(ours.cost) vs \(theirs)")
                        #expect(exact[target].map { Self.close($0, ours.cost) } == true, "\(extract) \(source)→\(target): the plain search agrees")
                        // The unpacked path is a real one: it chains from source to target and costs what was found.
                        var at = source, walked = 0.0, previous: Int64?
                        for step in ours.edges {
                            let edge = try #require(byID[step.id])
                            #expect((step.reversed ? edge.target : edge.source) == at)
                            walked += (step.reversed ? edge.reverseCost : edge.cost) + (previous.flatMap { turnCost["\($0)>\(at)>\(step.id)"] } ?? 0)
                            at = step.reversed ? edge.source : edge.target
                            previous = step.id
                        }
                        #expect(at == target && Self.close(walked, ours.cost), "\(extract) \(source)→\(target): unpacked path")
                        reachable += 1
                    }
                    compared += 1
                }
            }
            #expect(compared > 1_500 && uTurnsOnAnEdge < compared / 100, "\(extract): \(uTurnsOnAnEdge) u-turns on an edge")
            // Seen failing now and then with almost no pair reachable on either side: say what the import held.
            #expect(reachable > compared / 2, """
                most pairs of a road network are connected: \(reachable) of \(compared); \(edges.count) edges, \(turns.count) turn rows, \
                pgr_trsp reached \(expected.count) pairs
                """)
        }
    }

    @Test(arguments: RoadNetworkFixture.extracts)
    func snappedRoutesEqualPgrWithPoints(extract: String) async throws {
        try await RoadNetworkFixture.withImported(extract) { _, client in
            let router = RoadRouter(graph: RoadGraph(edges: try await RoadNetworkRepository(client: client).edges()))
            let box = router.graph.edges.flatMap(\.points)
            let latitudes = box.map(\.latitude), longitudes = box.map(\.longitude)
            var random = SeededGenerator(seed: 11)
            var checked = 0
            for _ in 0..<400 {
                let origin = try Coordinate(latitude: .random(in: latitudes.min()!...latitudes.max()!, using: &random),
                                          longitude: .random(in: longitudes.min()!...longitudes.max()!, using: &random))
                let destination = try Coordinate(latitude: .random(in: latitudes.min()!...latitudes.max()!, using: &random),
                                        longitude: .random(in: longitudes.min()!...longitudes.max()!, using: &random))
                guard let startEnd = router.snap(origin, maximumDistanceMeters: 500),
                      let endEnd = router.snap(destination, maximumDistanceMeters: 500) else { continue }
                let ours: Route?
                do { ours = try router.route(from: startEnd, to: endEnd) } catch { ours = nil }
                // An end on a vertex has a snap per edge of the vertex, each at fraction 0 or 1.
                let (start, end) = (startEnd.snaps[0], endEnd.snaps[0])
                let startEdge = router.graph.edges[Int(start.edge)].id, endEdge = router.graph.edges[Int(end.edge)].id
                // pgRouting answers nothing when a point sits at an edge's very end, so
                // such an end is given as its vertex and left out of the points.
                let from = Self.pgrEnd(start, point: -1, graph: router.graph), to = Self.pgrEnd(end, point: -2, graph: router.graph)
                var points: [String] = []
                if from < 0 { points.append("SELECT 1::int8 AS pid, \(startEdge)::int8 AS edge_id, \(start.fraction)::float8 AS fraction") }
                if to < 0 { points.append("SELECT 2::int8 AS pid, \(endEdge)::int8 AS edge_id, \(end.fraction)::float8 AS fraction") }
                if points.isEmpty { points.append("SELECT 3::int8 AS pid, \(startEdge)::int8 AS edge_id, 0.5::float8 AS fraction") }
                let pointsSQL = points.joined(separator: " UNION ALL ")
                let rows = try await client.query("""
                    SELECT agg_cost FROM pgr_withPointsCost(\(Self.edgesSQL), \(pointsSQL), \(from), \(to), directed => true, driving_side => 'b')
                    """)
                var theirs: Double?
                for try await cost in rows.decode(Double.self) { theirs = cost }
                if start.edge == end.edge { continue }  // pgRouting ignores the direct path along one edge
                #expect((ours == nil) == (theirs == nil), "\(extract) \(startEdge)@\(start.fraction)→\(endEdge)@\(end.fraction): reachability")
                if let ours, let theirs {
                    #expect(Self.close(ours.durationSeconds, theirs), "\(extract) \(startEdge)@\(start.fraction)→\(endEdge)@\(end.fraction): \(ours.durationSeconds) vs \(theirs)")
                    #expect(ours.coordinates.first == start.point && ours.coordinates.last == end.point)
                    let drawn = zip(ours.coordinates, ours.coordinates.dropFirst()).reduce(0.0) { $0 + $1.0.sphericalDistance(to: $1.1) }
                    #expect(abs(drawn - ours.distanceMeters) <= 0.01 * max(ours.distanceMeters, 10), "the shape is as long as the distance")
                }
                checked += 1
            }
            #expect(checked > 20)
        }
    }
}

extension RoadRouterOracleTests {

    /// A snapped end as pgRouting's withPoints takes it: the point's id, or
    /// the vertex it sits on at fraction 0 or 1.
    static func pgrEnd(_ snap: RoadSnap, point: Int64, graph: RoadGraph) -> Int64 {
        let edge = graph.edges[Int(snap.edge)]
        if snap.fraction == 0 { return edge.source }
        if snap.fraction == 1 { return edge.target }
        return point
    }
}

struct Pair: Hashable {
    let source: Int64
    let target: Int64

    init(_ source: Int64, _ target: Int64) {
        self.source = source
        self.target = target
    }
}
