import Auth
import Cache
import Foundation
import GeoCore
import Hummingbird
import NIOCore
import Storage

/// A user's rights of access and erasure (GDPR articles 15 and 17):
/// `GET /v1/users/{U}/export` and `DELETE /v1/users/{U}`, for the user and for services.
struct PrivacyController: Sendable {
    let repository: LocationRepository
    let index: LiveDriverIndex
    let cache: TieredCache<ByteBuffer>
    let policy: AccessPolicy
    let audit: AuditLog

    func addRoutes(to router: Router<WaylineContext>) {
        router.get("v1/users/:user_id/export") { request, context in try await self.export(request, context) }
        router.delete("v1/users/:user_id") { request, context in try await self.erase(request, context) }
    }

    private func owner(_ context: WaylineContext) throws(APIError) -> UUID {
        guard let raw = context.parameters.get("user_id"), let userID = UUID(uuidString: raw) else {
            throw APIError.invalid([FieldError("user_id", "must be a UUID")])
        }
        try context.identity.require(policy.user(context.identity, owner: userID), field: "user_id")
        return userID
    }

    /// Every location of the user, every type, read with the user's own rights when the user asks.
    private func export(_ request: Request, _ context: WaylineContext) async throws -> Response {
        let userID = try owner(context)
        let locations = try await repository.find(userID: userID, as: context.identity.reader)
        try await audit.record("user.export", user: userID, by: context.identity, request: request)
        var json = JSONWriter(capacity: 128 + locations.count * 256)
        json.beginObject()
        json.field("user_id", ascii: PointID.uuidStringLength) { PointID(userID).writeUUIDString(into: $0) }
        json.field("exported_at", ascii: RFC3339.length) { RFC3339.write(Date(), into: $0) }
        json.beginArray("locations")
        for location in locations { LocationResponse.write(location, into: &json) }
        json.endArray()
        json.endObject()
        return .json(json.buffer)
    }

    /// Every location of the user, the live index's position (here at once,
    /// elsewhere through the tombstone within a second), and the cache entries
    /// tagged `user:{U}` in every tenant.
    private func erase(_ request: Request, _ context: WaylineContext) async throws -> Response {
        let userID = try owner(context)
        let deleted = try await repository.delete(userID: userID, type: nil)
        index.remove(userID, deletedAt: Date())
        let invalidated = try await cache.invalidateInEveryTenant(
            tags: ["user:\(userID.uuidString.lowercased())", "user:\(userID.uuidString.uppercased())"]
        )
        try await audit.record("user.erase", user: userID, by: context.identity, request: request)
        var json = JSONWriter(capacity: 160)
        json.beginObject()
        json.field("user_id", ascii: PointID.uuidStringLength) { PointID(userID).writeUUIDString(into: $0) }
        json.field("locations_deleted", deleted)
        json.field("cache_entries_invalidated", invalidated)
        json.endObject()
        return .json(json.buffer)
    }
}
