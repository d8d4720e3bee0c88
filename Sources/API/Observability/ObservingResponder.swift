import HTTPTypes
import Hummingbird
import Logging
import Storage

/// The outermost responder: gives every request its id (`X-Request-Id`, the
/// caller's when sane, else a new one) in every log line of the request and
/// on the response, and after the response counts it in the request metrics
/// and writes its access-log line.
struct ObservingResponder<Next: HTTPResponder>: HTTPResponder where Next.Context == WaylineContext {
    /// Requests answered before the router (a refused token, a 503 while starting).
    static var unrouted: String { "unrouted" }

    let next: Next
    let metrics: RequestMetrics
    /// The access log's level; nil writes none.
    let accessLog: Logger.Level?

    func respond(to request: Request, context: WaylineContext) async throws -> Response {
        let started = ContinuousClock.now
        var request = request
        let id: String
        if let accepted = RequestID.accepted(request.headers[.xRequestID]) {
            id = accepted
        } else {
            // Inner code (audit rows) reads the id from the request, as if the caller had sent it.
            id = RequestID.generate()
            var head = request.head
            head.headerFields[.xRequestID] = id
            request = Request(head: head, body: request.body)
        }
        var context = context
        context.logger[metadataKey: "hb.request.id"] = nil
        context.logger[metadataKey: "request.id"] = .string(id)
        var response: Response
        do {
            response = try await next.respond(to: request, context: context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.xRequestID] = id
        let route = context.endpointPath ?? Self.unrouted
        let duration = ContinuousClock.now - started
        metrics.record(route: route, method: request.method, status: response.status, duration: duration)
        if let level = accessLog {
            context.logger.log(level: level, "request", metadata: [
                "http.method": .string(request.method.rawValue),
                "http.route": .string(route),
                "http.status": .stringConvertible(response.status.code),
                "http.duration_ms": .string(Self.milliseconds(duration)),
                "auth.subject": .string(context.notes.subject ?? "-"),
            ])
        }
        return response
    }

    private static func milliseconds(_ duration: Duration) -> String {
        "\((duration.inMilliseconds * 1_000).rounded() / 1_000)"
    }
}

extension HTTPField.Name {
    static let xRequestID = Self("X-Request-Id")!
}
