import Auth
import Foundation
import GeoCore
import Hummingbird
import Logging
import Storage
import Webhooks

/// `/v1/geofences`: a tenant's fences, and the events they produce for consumers that pull.
struct GeofenceController: Sendable {
    let repository: GeofenceRepository
    let fences: LiveGeofences
    let feed: GeofenceFeed
    let policy: AccessPolicy
    /// Where webhooks may be aimed.
    let webhooks: WebhookPolicy
    /// Seals webhook secrets before they are stored; nil: webhooks are refused.
    let secrets: WebhookSecretBox?
    /// The longest a pull may wait for events: under the request deadline.
    let longestWait: Duration
    /// Event streams open at once per subject.
    let streams: StreamSlots
    let logger: Logger
    static let maximumBodyBytes = 1 << 20
    static let maximumPage = 1_000

    func addRoutes(to router: Router<WaylineContext>) {
        router.get("v1/geofences/events") { request, context in
            try await self.events(request, try tenant(context), subject: "\(context.identity.role.rawValue) \(context.identity.subject)")
        }
        router.put("v1/geofences/:id") { request, context in try await self.put(request, try tenant(context), try id(context)) }
        router.get("v1/geofences/:id") { _, context in try await self.get(try tenant(context), try id(context)) }
        router.delete("v1/geofences/:id") { _, context in try await self.delete(try tenant(context), try id(context)) }
        router.get("v1/geofences") { request, context in try await self.list(request, try tenant(context)) }
    }

    /// The tenant the request works in ('' for the default one), once its token may use geofences.
    private func tenant(_ context: WaylineContext) throws(APIError) -> String {
        try context.identity.require(policy.geofences(context.identity), field: "authorization")
        return context.identity.tenant ?? ""
    }

    private func id(_ context: WaylineContext) throws(APIError) -> String {
        let id = context.parameters.get("id").flatMap(\.percentDecoded) ?? ""
        guard Self.isValidID(id) else {
            throw APIError.invalid([FieldError("id", "must be 1 to 128 ASCII letters, digits, '_', '-', '.' or ':', and not 'events'")])
        }
        return id
    }

    static func isValidID(_ id: String) -> Bool {
        id != "events" && NameSyntax.isValid(id, maximumBytes: 128, alsoAllowing: [UInt8(ascii: ":")])
    }

    private func put(_ request: Request, _ tenant: String, _ id: String) async throws -> GeofenceResponse {
        let body = try await request.json(upTo: Self.maximumBodyBytes)
        let (fence, area) = try validated { () throws(FieldErrors) in try GeofenceBody.parse(body, tenant: tenant, id: id) }
        var sealed = fence
        if let webhook = fence.webhook {
            if case .failure(let refusal) = await webhooks.check(webhook.url) { throw APIError.invalid([FieldError("webhook.url", refusal.reason)]) }
            guard let secrets else {
                throw ErrorMiddleware<WaylineContext>.unavailable(
                    "webhook_secrets_unconfigured", "webhook secrets are stored sealed: set WAYLINE_SECRETS_KEY (docs/geofences.md)"
                )
            }
            sealed.webhook = Geofence.Webhook(url: webhook.url, secret: try secrets.seal(webhook.secret))
        }
        let (stored, created) = try await repository.put(sealed, area: area)
        // This instance tests its next write against the fence at once; the others on its notification.
        fences.apply(key: stored.key, LiveGeofences.Live(key: stored.key, fence: stored.fence, area: area))
        return GeofenceResponse(fence: stored, status: created ? .created : .ok)
    }

    private func get(_ tenant: String, _ id: String) async throws -> GeofenceResponse {
        guard let stored = try await repository.get(tenant: tenant, id: id) else { throw Self.notFound }
        return GeofenceResponse(fence: stored)
    }

    private func delete(_ tenant: String, _ id: String) async throws -> Response {
        guard let key = try await repository.delete(tenant: tenant, id: id) else { throw Self.notFound }
        fences.apply(key: key, nil)
        return Response(status: .noContent)
    }

    private func list(_ request: Request, _ tenant: String) async throws -> GeofenceListResponse {
        let query = QueryParameters(request.uri.description)
        let limit = try Self.limit(query)
        let after = query["after"]
        if let after, !Self.isValidID(after) { throw APIError.invalid([FieldError("after", "must be a fence id")]) }
        let fences = try await repository.list(tenant: tenant, after: after, limit: limit)
        return GeofenceListResponse(fences: fences, next: fences.count == limit ? fences.last?.fence.id : nil)
    }

    /// Events after `after` (a cursor from an earlier answer; the start when
    /// absent). With `wait_s`, waits up to that long for the first event
    /// (a long poll), within the request deadline. Asked for
    /// `text/event-stream`, streams them instead (`GeofenceEventStream`),
    /// after `Last-Event-ID` when the client sends one.
    private func events(_ request: Request, _ tenant: String, subject: String) async throws -> Response {
        let query = QueryParameters(request.uri.description)
        let limit = try Self.limit(query)
        var cursor = try Self.cursor(query["after"], field: "after")
        if GeofenceEventStream.isAsked(request) {
            if let resumed = request.headers[GeofenceEventStream.lastEventID] { cursor = try Self.cursor(resumed, field: "Last-Event-ID") }
            guard let lease = streams.take("\(tenant) \(subject)") else {
                throw APIError(
                    .tooManyRequests, code: "too_many_streams", message: "at most \(streams.perSubject) event streams may be open at once per token subject",
                    field: "accept", headers: [.retryAfter: "1"]
                )
            }
            return GeofenceEventStream(feed: feed, tenant: tenant, limit: limit, lease: lease, logger: logger).response(after: cursor)
        }
        let longest = Double(longestWait.components.seconds)
        var wait = 0.0
        if let text = query["wait_s"] {
            guard let seconds = Double(text), seconds.isFinite, seconds >= 0, seconds <= longest else {
                throw APIError.invalid([FieldError("wait_s", "must be a number of seconds from 0 to \(Int(longest))")])
            }
            wait = seconds
        }
        let until = ContinuousClock.now + .milliseconds(Int(wait * 1_000))
        var page = try await feed.read(tenant: tenant, after: cursor, limit: limit)
        while page.events.isEmpty, ContinuousClock.now < until {
            try await Task.sleep(for: .milliseconds(100))
            page = try await feed.read(tenant: tenant, after: cursor, limit: limit)
        }
        var json = JSONWriter(capacity: 256 + page.events.count * 256)
        json.beginObject()
        json.beginArray("events")
        for event in page.events { json.element(json: event.json) }
        json.endArray()
        json.field("next_after", page.next.description)
        json.endObject()
        return .json(json.buffer)
    }

    private static func cursor(_ text: String?, field: String) throws(APIError) -> GeofenceFeed.Cursor {
        guard let text else { return .start }
        guard let cursor = GeofenceFeed.Cursor(text) else {
            throw APIError.invalid([FieldError(field, "must be a cursor from an earlier answer (next_after, or an event's id), such as 1234.5")])
        }
        return cursor
    }

    private static func limit(_ query: QueryParameters) throws(APIError) -> Int {
        guard let text = query["limit"] else { return 100 }
        guard let limit = Int(text), (1...maximumPage).contains(limit) else {
            throw APIError.invalid([FieldError("limit", "must be a whole number from 1 to \(maximumPage)")])
        }
        return limit
    }

    private static let notFound = APIError(.notFound, code: "not_found", message: "no geofence with this id", field: "id")
}
