public import Auth
public import Hummingbird
public import NIOCore

/// The request context of every Wayline endpoint: Hummingbird's, plus who
/// the request speaks for (set by `AuthResponder` before any route runs).
public struct WaylineContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Identity = .anonymous
    /// What inner responders tell the outermost one.
    let notes = RequestNotes()
    /// The peer, for rate limits of requests without a valid token.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
