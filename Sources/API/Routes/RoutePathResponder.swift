import Hummingbird

/// Answers `GET /route/v1/{profile}/{coordinates}` itself and hands every
/// other request to the router.
///
/// Hummingbird's router splits a path into its components Character by
/// Character, breaking graphemes all the way. An OSRM path carries its
/// coordinates, forty characters or more, in one component: in a W3 profile
/// that split was 6 % of the server's CPU, against under 2 % for `/health`.
/// Here the prefix is compared and the rest split as bytes. Paths of any
/// other shape (a component missing or extra) and HEAD requests still go to
/// the router, which answers them as it always did.
struct RoutePathResponder: HTTPResponder {
    /// The route's template, as the router would name it (for metrics and logs).
    static let template = "/route/v1/{profile}/{coordinates}"
    let router: RouterResponder<WaylineContext>
    let routes: RouteController
    private let errors: ErrorMiddleware<WaylineContext>

    init(router: RouterResponder<WaylineContext>, routes: RouteController, errors: ErrorMiddleware<WaylineContext>) {
        self.router = router
        self.routes = routes
        self.errors = errors
    }

    func respond(to request: Request, context: WaylineContext) async throws -> Response {
        guard request.method == .get, let path = OSRMRoutePath(target: request.uri.string) else {
            return try await router.respond(to: request, context: context)
        }
        context.coreContext.endpointPath.value = Self.template
        // What the router does for its endpoints: errors take the service's
        // shape, then become the answer. The router's one middleware is
        // ErrorMiddleware; one added there must be added here too.
        do {
            return try await errors.handle(request, context: context) { request, context in
                try await routes.route(request, identity: context.identity, profile: path.profile, coordinates: path.coordinates).response(from: request, context: context)
            }
        } catch let error as any HTTPResponseError {
            return try error.response(from: request, context: context)
        }
    }
}
