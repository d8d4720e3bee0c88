import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import Storage

/// The events feed as Server-Sent Events (`Accept: text/event-stream`), for
/// consumers that keep one connection open instead of polling: each event
/// is a message with its cursor as `id`, so a client that reconnects with
/// `Last-Event-ID` (as EventSource does) resumes after the last event it
/// got. The feed is read every `pause` while it is quiet, a comment line
/// goes out every `keepAlive` so that proxies keep the connection and a
/// client that left is noticed, and the stream ends (the client reconnects)
/// when the database cannot be read or the server shuts down.
struct GeofenceEventStream: Sendable {
    let feed: GeofenceFeed
    let tenant: String
    let limit: Int
    /// The stream's slot among its subject's, held while the body is.
    let lease: StreamSlots.Lease
    let logger: Logger
    var pause = Duration.milliseconds(100)
    var keepAlive = Duration.seconds(15)

    static let mediaType = "text/event-stream"
    /// Where a reconnecting client names the last event it got.
    static let lastEventID = HTTPField.Name("Last-Event-ID")!

    /// Whether the request asks for the stream rather than a page of JSON.
    static func isAsked(_ request: Request) -> Bool {
        request.headers[.accept]?.contains(mediaType) ?? false
    }

    func response(after start: GeofenceFeed.Cursor) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: Self.mediaType, .cacheControl: "no-store"],
            body: ResponseBody { [self] writer in
                // How long a client waits before it reconnects, in milliseconds.
                try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
                var cursor = start
                var quietSince = ContinuousClock.now
                while !Task.isCancelled, !Task.isShuttingDownGracefully {
                    let page: (events: [GeofenceFeed.Event], next: GeofenceFeed.Cursor)
                    do {
                        page = try await feed.read(tenant: tenant, after: cursor, limit: limit)
                    } catch {
                        logger.warnDatabaseFailure("the geofence event stream could not read the feed", error)
                        break
                    }
                    if page.events.isEmpty {
                        if ContinuousClock.now - quietSince >= keepAlive {
                            try await writer.write(ByteBuffer(string: ":\n\n"))
                            quietSince = .now
                        }
                        guard (try? await Task.sleep(for: pause)) != nil else { break }
                        continue
                    }
                    // A payload is jsonb's text: one line, as a `data` field must be.
                    var text = ""
                    for event in page.events { text += "id: \(event.cursor)\nevent: geofence\ndata: \(event.json)\n\n" }
                    try await writer.write(ByteBuffer(string: text))
                    cursor = page.next
                    quietSince = .now
                }
                try await writer.finish(nil)
            }
        )
    }
}
