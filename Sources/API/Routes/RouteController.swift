import Auth
import Geometry
import Hummingbird

/// `GET /route/v1/{profile}/{coordinates}`, OSRM's route service.
struct RouteController: Sendable {
    let service: RouteService
    let simplifier: LineSimplifier
    let policy: AccessPolicy

    func addRoutes(to router: Router<WaylineContext>) {
        // Of the GETs, only those ending in a slash reach the router (see
        // `RoutePathResponder`); HEAD requests all do.
        router.get("route/v1/:profile/:coordinates") { request, context in
            try await self.route(request, identity: context.identity, profile: context.parameters.get("profile") ?? "", coordinates: context.parameters.get("coordinates") ?? "")
        }
    }

    func route(_ request: Request, identity: Identity, profile: String, coordinates: String) async throws -> RouteResponse {
        try identity.require(policy.routes(identity), field: "authorization")
        let query = try RouteQuery(
            profile: profile, coordinates: coordinates, options: QueryParameters(request.uri.string), settings: service.settings
        )
        let legs = try await service.route(query)
        let tolerance = service.settings.simplifyToleranceMeters
        // One plain leg: its renderings are kept with it. Otherwise made for this answer.
        let detailed = query.steps || !query.annotations.isEmpty
        let members = legs.count == 1 && !detailed
            ? try legs[0].route.routeMembers(query, simplifier: simplifier, toleranceMeters: tolerance)
            : try CachedRoute.routeMembers(
                legs.map(\.route), query, simplifier: simplifier, toleranceMeters: tolerance,
                details: detailed ? try legs.map { try service.details(of: $0.route, steps: query.steps, annotations: !query.annotations.isEmpty) } : nil
            )
        return RouteResponse(legs: legs.map(\.route), routeMembers: members, cacheHit: legs.allSatisfy(\.cacheHit), query: query)
    }
}
