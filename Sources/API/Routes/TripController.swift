import Auth
import GeoCore
import Hummingbird
import Routing

/// `GET /trip/v1/{profile}/{coordinates}`, OSRM's trip service: the stops in
/// the order that takes least time (`TripSolver`, on the table service's
/// durations between them), then the route through them in that order.
struct TripController: Sendable {
    let routes: RouteController

    func addRoutes(to router: Router<WaylineContext>) {
        routes.addService("trip", to: router, trip)
    }

    func trip(_ request: Request, identity: Identity, profile: String, coordinates: String) async throws -> TripResponse {
        let service = routes.service
        let query = try routes.query(request, identity: identity, profile: profile, coordinates: coordinates, service: .trip)
        return try await OSRMError.mapping {
            let router = try service.router()
            let ends = try service.ends(query.points, at: Array(query.points.indices), rules: query.rules)
            let stops = query.points.indices.map { ends[$0]! }
            let table = service.table(from: stops, to: stops, router: router)
            let costs = stops.indices.map { i in stops.indices.map { j in i == j ? 0 : table.duration(i, j) } }
            guard let order = TripSolver(costs: costs, constraints: query.trip!).solve() else {
                throw OSRMError(status: .badRequest, code: "NoTrips", message: "no trip joins these coordinates on the road network", field: "coordinates")
            }
            let visits = query.trip!.roundTrip ? order + [order[0]] : order
            let rules = visits.map { query.rules[$0] }
            let legs = try await service.route(profile: query.profile, points: visits.map { query.points[$0] }, rules: rules)
            return TripResponse(
                query: query, order: order, ends: ends, legs: legs.map(\.leg),
                routeMembers: try routes.members(legs, query, rules: rules), cacheHit: legs.allSatisfy(\.cacheHit)
            )
        }
    }
}
