import Hummingbird

/// Answers for the instance's state before any route runs: while it starts
/// (the database not yet reached and migrated) every request but the probes
/// gets a 503 with `Retry-After`, so nothing runs against an older schema;
/// while it drains before stopping, every response asks the client to close
/// its connection, so clients move to another instance before this one stops
/// listening, rather than meet a closed connection with a request on it.
struct LifecycleResponder<Next: HTTPResponder>: HTTPResponder where Next.Context == WaylineContext {
    let next: Next
    let state: ServiceState

    func respond(to request: Request, context: WaylineContext) async throws -> Response {
        guard state.schema.isOpen || AuthResponder<Next>.isProbe(request.uri.string) else {
            return try APIError(
                .serviceUnavailable, code: "starting", message: "the service is starting: waiting for the database", headers: [.retryAfter: "1"]
            ).response(from: request, context: context)
        }
        var response = try await next.respond(to: request, context: context)
        if state.isDraining { response.headers[.connection] = "close" }
        return response
    }
}
