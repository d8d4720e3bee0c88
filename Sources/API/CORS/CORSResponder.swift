import Hummingbird

/// CORS for browsers (`CORSPolicy`): answers a preflight (`OPTIONS` with
/// `Access-Control-Request-Method`) from an allowed origin itself, before
/// access control (a preflight carries no token), and marks other answers
/// to allowed origins. With no policy it only passes requests on.
struct CORSResponder<Next: HTTPResponder>: HTTPResponder {
    let next: Next
    let policy: CORSPolicy?
    static var maximumAgeSeconds: String { "600" }

    func respond(to request: Request, context: Next.Context) async throws -> Response {
        guard let policy else { return try await next.respond(to: request, context: context) }
        let path = request.uri.path
        let allowed = policy.allowedOrigin(request.headers[.origin], path: path)
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil, let allowed {
            var response = Response(status: .noContent)
            response.headers[.accessControlAllowOrigin] = allowed
            response.headers[.accessControlAllowMethods] = CORSPolicy.isOSRM(path) ? "GET, POST" : "GET, POST, PUT, PATCH, DELETE"
            response.headers[.accessControlAllowHeaders] = "Authorization, Content-Type"
            response.headers[.accessControlMaxAge] = Self.maximumAgeSeconds
            if policy.variesByOrigin { response.headers[.vary] = "Origin" }
            return response
        }
        var response = try await next.respond(to: request, context: context)
        if let allowed { response.headers[.accessControlAllowOrigin] = allowed }
        if policy.variesByOrigin { response.headers[.vary] = "Origin" }
        return response
    }
}
