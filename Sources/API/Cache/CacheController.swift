import Auth
import Cache
import Foundation
import Hummingbird
import NIOCore

/// `/v1/cache`: the tag-invalidated key-value cache.
///
/// Keys are the rest of the path after `/v1/cache/`, percent-decoded, so a key
/// may hold '/' (sent as `%2F`) or spaces. `stats` and `invalidate` name the
/// two fixed routes and cannot be used as keys: every method on them that is
/// not one of those routes answers 400 saying so.
struct CacheController: Sendable {
    static let reservedKeys: Set<String> = ["stats", "invalidate"]
    private static let prefix = "/v1/cache/"

    let cache: TieredCache<ByteBuffer>
    let settings: CacheSettings
    let policy: AccessPolicy

    func addRoutes(to router: Router<WaylineContext>) {
        router.get("v1/cache/stats") { _, context in try await self.stats(try tenant(context)) }
        router.post("v1/cache/invalidate") { request, context in try await self.invalidate(request, try tenant(context)) }
        // `stats` and `invalidate` are not keys: other methods on them get
        // 405 naming the methods they take (a key spelled with an escape,
        // `stat%73`, reaches `key` below and is refused there).
        router.put("v1/cache/**") { request, context in try await self.put(request, try tenant(context)) }
        router.get("v1/cache/**") { request, context in try await self.get(request, try tenant(context)) }
        router.delete("v1/cache/**") { request, context in try await self.delete(request, try tenant(context)) }
    }

    /// The namespace the request works in, once its token may use the cache.
    private func tenant(_ context: WaylineContext) throws(APIError) -> CacheTenant {
        try context.identity.require(policy.cache(context.identity), field: "authorization")
        return CacheTenant(name: context.identity.tenant)
    }

    private func get(_ request: Request, _ tenant: CacheTenant) async throws -> Response {
        let key = try Self.key(request, tenant)
        guard let body = try await cache.get(key) else {
            throw APIError(.notFound, code: "not_found", message: "no live cache entry for this key", field: "key")
        }
        return .json(body)
    }

    private func put(_ request: Request, _ tenant: CacheTenant) async throws -> Response {
        let key = try Self.key(request, tenant)
        let write = try CacheBody.write(try await request.collectBody(upTo: settings.maximumBodyBytes), settings: settings)
        let expiresAt = try await cache.set(
            key, valueJSON: write.valueJSON, ttlSeconds: write.ttlSeconds, type: tenant.stored(write.type), tags: tenant.stored(write.tags)
        )
        return .json(CacheResponses.stored(key: key, write: write, expiresAt: expiresAt))
    }

    private func delete(_ request: Request, _ tenant: CacheTenant) async throws -> Response {
        guard try await cache.delete(try Self.key(request, tenant)) else {
            throw APIError(.notFound, code: "not_found", message: "no cache entry for this key", field: "key")
        }
        return Response(status: .noContent)
    }

    private func invalidate(_ request: Request, _ tenant: CacheTenant) async throws -> Response {
        let tags = try CacheBody.invalidation(try await request.collectBody(upTo: settings.maximumBodyBytes), settings: settings)
        return .json(CacheResponses.invalidated(try await cache.invalidate(tags: tenant.stored(tags)), tags: tags))
    }

    private func stats(_ tenant: CacheTenant) async throws -> Response {
        .json(CacheResponses.stats(try await cache.stats(tenant: tenant), limits: cache.l1.limits))
    }

    private static func key(_ request: Request, _ tenant: CacheTenant) throws(APIError) -> CacheKey {
        let path = request.uri.path
        let encoded = path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : ""
        guard let decoded = encoded.percentDecoded else {
            throw APIError.invalid([FieldError("key", "must be percent-encoded UTF-8")])
        }
        guard !reservedKeys.contains(decoded) else {
            throw APIError.invalid([FieldError("key", "must not be one of the reserved names \(reservedKeys.sorted().joined(separator: ", "))")])
        }
        do {
            return try CacheKey(decoded, tenant: tenant)
        } catch {
            throw APIError.invalid([FieldError("key", error.rule)])
        }
    }
}
