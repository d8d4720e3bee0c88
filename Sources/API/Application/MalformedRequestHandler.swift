import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Passes a request head the HTTP parser could not read (not HTTP, or over
/// its 80 KiB limit) on as a request of its own, which
/// `MalformedRequestResponder` answers with the service's JSON error.
///
/// Left to Hummingbird, such a head gets a 400 with no body. It is passed on
/// as a request rather than answered here so that it is answered in turn,
/// after any request read before it on the connection: a response written
/// here could overtake theirs. The request asks for the connection to close,
/// as the parser reads nothing more from it. An error in the middle of a
/// request (its body's framing) goes on as an error, which the handler
/// reading that body meets (see `ErrorMiddleware`).
final class MalformedRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    /// Whether a request's head has been read and its end not yet.
    private var insideRequest = false
    private var passedOn = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: insideRequest = true
        case .end: insideRequest = false
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError, !insideRequest, !passedOn else {
            return context.fireErrorCaught(error)
        }
        passedOn = true
        var head = HTTPRequest(method: MalformedRequest.method, scheme: nil, authority: nil, path: "/")
        head.headerFields[.connection] = "close"
        head.headerFields[MalformedRequest.tooLargeField] = parserError == .headerOverflow ? "true" : nil
        head.headerFields[MalformedRequest.reasonField] = parserError.debugDescription
        context.fireChannelRead(wrapInboundOut(.head(head)))
        context.fireChannelRead(wrapInboundOut(.end(nil)))
        context.fireChannelReadComplete()
    }
}

/// What `MalformedRequestHandler` passes on, and its answer.
enum MalformedRequest {
    /// The most the parser reads of a request's line and headers together.
    static let headLimitBytes = 80 * 1_024
    /// A method the parser refuses (it knows the registered methods only), so
    /// no client can send it: only the handler makes such requests.
    static let method = HTTPRequest.Method("WAYLINE-MALFORMED")!
    static let reasonField = HTTPField.Name("Wayline-Malformed-Reason")!
    static let tooLargeField = HTTPField.Name("Wayline-Malformed-Too-Large")!

    static func error(for request: Request) -> APIError {
        if request.headers[tooLargeField] != nil {
            return APIError(
                .requestHeaderFieldsTooLarge, code: "head_too_large",
                message: "the request line and headers must be at most \(headLimitBytes / 1_024) KiB together", field: "head"
            )
        }
        let reason = request.headers[reasonField] ?? "unreadable"
        return APIError(.badRequest, code: "malformed_http", message: "the request is not valid HTTP/1.1: \(reason)", field: "head")
    }
}

/// Answers the requests `MalformedRequestHandler` passes on and hands every
/// other request to `next`.
struct MalformedRequestResponder<Next: HTTPResponder>: HTTPResponder where Next.Context: RequestContext {
    let next: Next

    func respond(to request: Request, context: Next.Context) async throws -> Response {
        guard request.method == MalformedRequest.method else { return try await next.respond(to: request, context: context) }
        return try MalformedRequest.error(for: request).response(from: request, context: context)
    }
}
