@testable import GeoCore
import Testing
import TestSupport

/// Restrictions via ways in the road graph: the forbidden sequence is never
/// taken whole, every part of it still is, and routes that end inside it
/// are found.
@Suite(.timeLimit(.minutes(5)))
struct ForbiddenSequenceTests {
    /// A square grid of two-way streets, `side` intersections a side, 100 m
    /// apart, each edge 10 s: vertex r * side + c + 1, edges numbered as made.
    static func grid(side: Int) throws -> [RoadEdge] {
        var edges: [RoadEdge] = []
        func vertex(_ row: Int, _ column: Int) -> Int64 { Int64(row * side + column + 1) }
        func point(_ row: Int, _ column: Int) throws -> Coordinate { try Coordinate(latitude: Double(row) * 0.0009, longitude: Double(column) * 0.0009) }
        for row in 0..<side {
            for column in 0..<side {
                if column + 1 < side {
                    edges.append(RoadEdge(id: Int64(edges.count + 1), source: vertex(row, column), target: vertex(row, column + 1), cost: 10, reverseCost: 10,
                                          lengthMeters: 100, points: [try point(row, column), try point(row, column + 1)], name: "r\(row)"))
                }
                if row + 1 < side {
                    edges.append(RoadEdge(id: Int64(edges.count + 1), source: vertex(row, column), target: vertex(row + 1, column), cost: 10, reverseCost: 10,
                                          lengthMeters: 100, points: [try point(row, column), try point(row + 1, column)], name: "c\(column)"))
                }
            }
        }
        return edges
    }

    static func edge(_ edges: [RoadEdge], _ a: Int64, _ b: Int64) -> Int64 {
        edges.first { ($0.source == a && $0.target == b) || ($0.source == b && $0.target == a) }!.id
    }

    /// On a 3 × 3 grid (vertices 1…9, row by row), the straight line 1-2-3
    /// then down to 6 is forbidden as one sequence; so is 4-5-6 and on to 9.
    @Test func aForbiddenSequenceIsDetouredAndItsPartsRemain() throws {
        let edges = try Self.grid(side: 3)
        let e = { Self.edge(edges, $0, $1) }
        let sequences = [ForbiddenSequence(edges: [e(1, 2), e(2, 3), e(3, 6)]), ForbiddenSequence(edges: [e(4, 5), e(5, 6), e(6, 9)])]
        let router = RoadRouter(graph: RoadGraph(edges: edges, sequences: sequences))
        let free = RoadRouter(graph: RoadGraph(edges: edges))
        func cost(_ router: RoadRouter, _ a: Int64, _ b: Int64) -> Double? { router.shortestPath(fromVertex: a, toVertex: b)?.cost }
        func path(_ router: RoadRouter, _ a: Int64, _ b: Int64) -> [Int64] { router.shortestPath(fromVertex: a, toVertex: b)?.edges.map(\.id) ?? [] }

        // 1 → 6 in 30 s, but not by 1-2-3-6: 1-2-5-6 or 1-4-5-6.
        #expect(cost(router, 1, 6) == 30 && cost(free, 1, 6) == 30)
        #expect(path(router, 1, 6) != [e(1, 2), e(2, 3), e(3, 6)])
        // The sequence's parts: 1 → 3 straight, 2 → 6 round the corner.
        #expect(path(router, 1, 3) == [e(1, 2), e(2, 3)])
        #expect(cost(router, 2, 6) == 20)
        // Between points: ending on the junction where the sequence would go on is ending, not going on.
        let corner = try Coordinate(latitude: 0, longitude: 0.0018)
        let route = try router.route(from: try Coordinate(latitude: 0, longitude: 0), to: corner, maximumSnapMeters: 10)
        #expect(route.durationSeconds == 20, "\(route.pieces.map(\.edge))")
        // 4 → 9: 4-5-6-9 is forbidden; 4-5-8-9 and 4-7-8-9 cost the same.
        #expect(cost(router, 4, 9) == 30)
        #expect(path(router, 4, 9) != [e(4, 5), e(5, 6), e(6, 9)])
        // Ending on the sequence's last edge from its own side is fine: 5 → 6 → 9 begins at 5.
        #expect(path(router, 5, 9).count == 2)
    }

    /// Every route on a grid with random forbidden sequences costs what the
    /// plain search over road arcs and path histories (`TurnOracle`) finds,
    /// and holds no forbidden sequence.
    @Test(arguments: [3, 17]) func routesEqualASearchOverSequenceStates(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        // Uneven costs, so that a forbidden sequence has no free twin.
        let edges = try Self.grid(side: 6).map {
            RoadEdge(id: $0.id, source: $0.source, target: $0.target, cost: Double(5 + random.next() % 16), reverseCost: Double(5 + random.next() % 16),
                     lengthMeters: $0.lengthMeters, points: $0.points, name: $0.name)
        }
        var sequences: [ForbiddenSequence] = []
        while sequences.count < 30 {
            // A random walk of 3 or 4 edges.
            var at = Int64(random.next() % 36 + 1)
            var walk: [Int64] = []
            for _ in 0..<(3 + Int(random.next() % 2)) {
                let out = edges.filter { ($0.source == at || $0.target == at) && !walk.contains($0.id) }
                guard !out.isEmpty else { break }
                let next = out[Int(random.next() % UInt64(out.count))]
                walk.append(next.id)
                at = next.source == at ? next.target : next.source
            }
            if walk.count >= 3 { sequences.append(ForbiddenSequence(edges: walk)) }
        }
        let router = RoadRouter(graph: RoadGraph(edges: edges, sequences: sequences))
        let free = RoadRouter(graph: RoadGraph(edges: edges))
        let oracle = TurnOracle(edges: edges, turns: [], sequences: sequences)
        var detoured = 0
        for source in Int64(1)...36 {
            let costs = oracle.costs(fromVertex: source)
            for target in Int64(1)...36 where target != source {
                let found = router.shortestPath(fromVertex: source, toVertex: target)
                #expect(found?.cost == costs[target], "\(source) → \(target)")
                let path = found?.edges.map(\.id) ?? []
                #expect(!sequences.contains { sequence in
                    path.count >= sequence.edges.count && (0...(path.count - sequence.edges.count)).contains { Array(path[$0..<($0 + sequence.edges.count)]) == sequence.edges }
                }, "\(source) → \(target): \(path)")
                if let found, found.cost > free.shortestPath(fromVertex: source, toVertex: target)!.cost { detoured += 1 }
            }
        }
        #expect(detoured > 0, "the sequences change some route")
    }
}
