public import Foundation

/// One entry of `cache_entries` as the service serves it: the value stays the
/// JSON text PostgreSQL's jsonb produced, so every instance hands out the same
/// bytes for the same entry.
public struct CacheRow: Sendable, Equatable {
    public let key: String
    public let valueJSON: String
    public let type: String
    public let tags: [String]
    public let expiresAt: Date

    public init(key: String, valueJSON: String, type: String, tags: [String], expiresAt: Date) {
        self.key = key
        self.valueJSON = valueJSON
        self.type = type
        self.tags = tags
        self.expiresAt = expiresAt
    }
}

/// What a read of one key found. A miss still names the entry's type when an
/// expired or invalidated row is left, so misses are counted per type as the
/// seed's `get_cache` counts them ('unknown' when there is no row).
public enum CacheRead: Sendable, Equatable {
    case hit(CacheRow)
    /// The type of the dead entry missed, or nil when the key has none.
    case miss(type: String?)
}

/// One line of the `cache_stats` view.
public struct CacheTypeStats: Sendable, Equatable {
    public let type: String
    public let entries: Int
    public let liveEntries: Int
    public let expiredEntries: Int
    public let bytes: Int
    public let hits: Int
    public let misses: Int

    /// The same figures under another name (a tenant's type as its clients write it).
    public func renamed(_ name: String) -> CacheTypeStats {
        CacheTypeStats(type: name, entries: entries, liveEntries: liveEntries, expiredEntries: expiredEntries, bytes: bytes, hits: hits, misses: misses)
    }
}
