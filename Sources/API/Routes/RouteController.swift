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
        let answer = try await service.route(query)
        let members = try answer.route.routeMembers(query, simplifier: simplifier, toleranceMeters: service.settings.simplifyToleranceMeters)
        return RouteResponse(route: answer.route, routeMembers: members, cacheHit: answer.cacheHit, query: query)
    }
}
