@testable import GeoCore
import Testing

/// Steps of routes that begin or end on a junction.
@Suite(.timeLimit(.minutes(5)))
struct RouteStepsTests {
    /// "Upper" runs west to east into b, "Lower" on from b; "Side" leaves b to the north.
    static func network() throws -> [RoadEdge] {
        let a = try Coordinate(latitude: 0, longitude: 0)
        let b = try Coordinate(latitude: 0, longitude: 0.001)
        let c = try Coordinate(latitude: 0, longitude: 0.002)
        let d = try Coordinate(latitude: 0.001, longitude: 0.001)
        return [
            RoadEdge(id: 1, source: 1, target: 2, cost: 10, reverseCost: 10, lengthMeters: 111, points: [a, b], name: "Upper"),
            RoadEdge(id: 2, source: 2, target: 3, cost: 10, reverseCost: 10, lengthMeters: 111, points: [b, c], name: "Lower"),
            RoadEdge(id: 3, source: 2, target: 4, cost: 10, reverseCost: 10, lengthMeters: 111, points: [b, d], name: "Side"),
        ]
    }

    @Test func aRouteFromAJunctionBeginsOnTheRoadItTakes() throws {
        let router = RoadRouter(graph: RoadGraph(edges: try Self.network()))
        let junction = try Coordinate(latitude: 0, longitude: 0.001)
        for destination in [try Coordinate(latitude: 0, longitude: 0.002), try Coordinate(latitude: 0.001, longitude: 0.001)] {
            let route = try router.route(from: junction, to: destination, maximumSnapMeters: 10)
            let steps = route.steps(names: { router.graph.edges[Int($0)].name }, totalDuration: route.durationSeconds)
            #expect(steps.count == 2, "depart and arrive: \(steps.map(\.name))")
            #expect(steps.dropLast().allSatisfy { $0.distanceMeters > 0 })
            #expect(abs(steps.reduce(0) { $0 + $1.durationSeconds } - route.durationSeconds) < 1e-9)
        }
    }

    @Test func emptyPiecesGiveTheirTimeToTheirNeighbours() throws {
        let a = try Coordinate(latitude: 0, longitude: 0)
        let b = try Coordinate(latitude: 0, longitude: 0.001)
        let empty = RoutePiece(edge: 0, durationSeconds: 2, distanceMeters: 0, coordinates: [a, a])
        let full = RoutePiece(edge: 1, durationSeconds: 10, distanceMeters: 111, coordinates: [a, b])
        let kept = Route.withoutEmptyPieces([empty, full, empty])
        #expect(kept.count == 1 && kept[0].durationSeconds == 14 && kept[0].edge == 1)
        #expect(Route.withoutEmptyPieces([empty]) == [empty], "a route of no length keeps its piece")
    }
}
