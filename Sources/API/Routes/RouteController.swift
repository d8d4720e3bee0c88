import Auth
import GeoCore
import Geometry
import Hummingbird
import Routing

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
        let query = try self.query(request, identity: identity, profile: profile, coordinates: coordinates, service: .route)
        return try await OSRMError.mapping {
            let legs = try await service.route(profile: query.profile, points: query.points, rules: query.rules)
            return RouteResponse(legs: legs.map(\.leg), routeMembers: try members(legs, query, rules: query.rules), cacheHit: legs.allSatisfy(\.cacheHit), query: query)
        }
    }

    /// The request of OSRM's `service` (route, trip or match) read and checked, once its token may route.
    func query(_ request: Request, identity: Identity, profile: String, coordinates: String, service kind: RouteQuery.Service) throws -> RouteQuery {
        try identity.require(policy.routes(identity), field: "authorization")
        return try RouteQuery(
            profile: profile, coordinates: coordinates, options: QueryParameters(request.uri.string), settings: service.settings, service: kind
        )
    }

    /// Adds `GET /{service}/v1/:profile/:coordinates`, answered by `answer`.
    func addService<Answer: ResponseGenerator>(
        _ name: String, to router: Router<WaylineContext>,
        _ answer: @escaping @Sendable (Request, Identity, _ profile: String, _ coordinates: String) async throws -> Answer
    ) {
        router.get("\(name)/v1/:profile/:coordinates") { request, context in
            try await answer(request, context.identity, context.parameters.get("profile") ?? "", context.parameters.get("coordinates") ?? "")
        }
    }

    /// The members of the route object through `legs` (leg i from the point
    /// under `rules[i]` to the next), steps and annotations as `query` asks.
    func members(_ legs: [RouteService.Answer], _ query: RouteQuery, rules: [EndRule]) throws -> String {
        let tolerance = service.settings.simplifyToleranceMeters
        let detailed = query.steps || !query.annotations.isEmpty
        func details(_ index: Int) throws -> LegDetails? {
            guard detailed else { return nil }
            return try service.details(of: legs[index].leg, rules: (rules[index], rules[index + 1]), steps: query.steps, annotations: !query.annotations.isEmpty)
        }
        // One leg: its renderings are kept with it. Several: made for this answer.
        return legs.count == 1
            ? try legs[0].leg.routeMembers(query, simplifier: simplifier, toleranceMeters: tolerance) { try details(0) }
            : try RouteLeg.routeMembers(
                legs.map(\.leg), query, simplifier: simplifier, toleranceMeters: tolerance,
                details: detailed ? try legs.indices.map { try details($0)! } : nil
            )
    }
}
