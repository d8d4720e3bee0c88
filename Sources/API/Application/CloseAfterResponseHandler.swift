import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Closes the connection after a response that says `Connection: close`
/// (a body refused for its size or encoding). Hummingbird closes only when
/// the request asked for it; otherwise it reads the rest of a refused body,
/// however large, to keep the connection for the next request.
///
/// The output is closed first and the whole connection `linger` later, as
/// nginx's lingering close does: closing while the client's unread bytes
/// wait would reset the connection, and a reset can discard the answer
/// before the client reads it.
final class CloseAfterResponseHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    static let linger = TimeAmount.seconds(2)

    /// Whether the response being written said `Connection: close`.
    private var closing = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            closing = head.headerFields[.connection]?.lowercased() == "close"
        case .end where closing:
            let written = promise ?? context.eventLoop.makePromise()
            let channel = context.channel
            written.futureResult.whenComplete { _ in
                channel.close(mode: .output, promise: nil)
                channel.eventLoop.scheduleTask(in: Self.linger) { channel.close(promise: nil) }
            }
            return context.write(data, promise: written)
        case .body, .end:
            break
        }
        context.write(data, promise: promise)
    }
}
