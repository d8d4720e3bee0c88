public import Foundation
public import Storage

/// The tag-invalidated cache: the L1 in memory in front of `cache_entries`.
///
/// `Payload` is an entry in the form it is served (the API keeps the rendered
/// HTTP body), so a memory hit costs a lookup and nothing else.
public struct TieredCache<Payload: Sendable>: Sendable {
    public let l1: L1Cache<Payload>
    let repository: CacheRepository
    private let counter = LookupCounter()
    private let lag = NotificationLag()
    private let render: @Sendable (CacheRow) -> (payload: Payload, bytes: Int)
    private let performance: PerformanceLog

    /// - Parameters:
    ///   - render: turns a stored row into what `get` returns, and its size in bytes.
    ///   - performance: where a sample of the operations is logged.
    public init(
        repository: CacheRepository, limits: L1Limits, performance: PerformanceLog = .off,
        render: @escaping @Sendable (CacheRow) -> (payload: Payload, bytes: Int)
    ) {
        self.repository = repository
        self.l1 = L1Cache(limits: limits)
        self.performance = performance
        self.render = render
    }

    /// The live entry under `key`, from memory when this instance has it.
    public func get(_ key: CacheKey) async throws -> Payload? {
        let sampled = sample()
        if let (payload, type) = l1.get(key.rawValue) {
            counter.hit(key.rawValue, type: type, fromMemory: true, tenant: key.tenant)
            log(.hit, key, since: sampled)
            return payload
        }
        let ticket = l1.beginFill()
        switch try await repository.get(key: key.rawValue) {
        case .hit(let row):
            let (payload, bytes) = render(row)
            l1.fill(row.key, payload: payload, type: row.type, tags: row.tags, expiresAt: row.expiresAt, cost: bytes, since: ticket)
            counter.hit(row.key, type: row.type, fromMemory: false, tenant: key.tenant)
            log(.hit, key, since: sampled, bytes: bytes)
            return payload
        case .miss(let type):
            // A key never set has no type of its own: it counts as its tenant's "unknown".
            counter.miss(type: type ?? key.tenant.stored("unknown"), tenant: key.tenant)
            log(.miss, key, since: sampled)
            return nil
        }
    }

    /// Writes through to the table (which tells the other instances); returns the expiry.
    public func set(_ key: CacheKey, valueJSON: String, ttlSeconds: Int, type: String, tags: [String]) async throws -> Date {
        let sampled = sample()
        lag.writing(key.rawValue)
        let expiresAt = try await repository.set(key: key.rawValue, valueJSON: valueJSON, ttlSeconds: ttlSeconds, type: type, tags: tags)
        l1.invalidate(key: key.rawValue)
        log(.set, key, since: sampled, bytes: valueJSON.utf8.count, ttlSeconds: ttlSeconds)
        return expiresAt
    }

    /// True when there was an entry.
    public func delete(_ key: CacheKey) async throws -> Bool {
        let sampled = sample()
        let deleted = try await repository.delete(key: key.rawValue)
        l1.invalidate(key: key.rawValue)
        log(.delete, key, since: sampled)
        return deleted
    }

    /// When this operation began, if it is one of the sample the performance log keeps.
    private func sample() -> ContinuousClock.Instant? {
        performance.samplesCacheOperation() ? .now : nil
    }

    private func log(_ operation: PerformanceLog.CacheOperation, _ key: CacheKey, since start: ContinuousClock.Instant?, bytes: Int? = nil, ttlSeconds: Int? = nil) {
        guard let start else { return }
        performance.cacheOperation(operation, key: key.rawValue, since: start, bytes: bytes, ttlSeconds: ttlSeconds)
    }

    /// Drops every entry carrying any of `tags`, here at once and elsewhere on
    /// notification; returns how many stored entries went.
    public func invalidate(tags: [String]) async throws -> Int {
        let count = try await repository.invalidate(tags: tags)
        l1.invalidate(tags: tags)
        return count
    }

    /// Drops every entry carrying `tags` in any tenant (a user's erasure);
    /// returns how many stored entries went.
    public func invalidateInEveryTenant(tags: [String]) async throws -> Int {
        let stored = try await repository.storedTags(matching: tags)
        guard !stored.isEmpty else { return 0 }
        return try await invalidate(tags: stored)
    }

    /// Applies a change notified by any instance (this one included).
    public func apply(notification payload: String) {
        switch CacheNotification(payload) {
        case .key(let key):
            l1.invalidate(key: key)
            lag.notified(key)
        case .tags(let tags): l1.invalidate(tags: tags)
        case .unknown: l1.invalidateAll()
        }
    }

    /// Adds the hits and misses counted since the last flush to the tables:
    /// per type always, per key (`hit_count`) when `includingKeys`.
    public func flushLookups(includingKeys: Bool = true) async throws {
        let pending = counter.drain(includingKeys: includingKeys)
        guard !pending.isEmpty else { return }
        do {
            try await repository.recordLookups(keyHits: pending.keyHits, typeHits: pending.typeHits, typeMisses: pending.typeMisses)
        } catch {
            counter.restore(pending)
            throw error
        }
    }

    /// This instance's reads since it started, by tenant name (nil: the default tenant).
    public var lookupsByTenant: [String?: LookupCounter.Totals] { counter.totalsByTenant }

    /// The stored entries per type and this instance's own counts, with every
    /// lookup so far flushed first so that the two agree.
    /// The types are `tenant`'s only, named as its clients name them; the
    /// memory level's figures are the instance's, all tenants together.
    public func stats(tenant: CacheTenant = .default) async throws -> CacheStats {
        try await flushLookups()
        let totals = counter.totals
        let types = try await repository.stats().filter { tenant.owns($0.type) }.map { $0.renamed(CacheTenant.visible($0.type)) }
        return CacheStats(
            types: types, memory: l1.statistics,
            memoryHits: totals.memoryHits, databaseHits: totals.databaseHits, misses: totals.misses
        )
    }
}

/// `GET /v1/cache/stats`: the table's view per type, and this instance.
public struct CacheStats: Sendable {
    public let types: [CacheTypeStats]
    public let memory: L1Statistics
    public let memoryHits: Int
    public let databaseHits: Int
    public let misses: Int
}
