import Cache
import Foundation
import NIOCore
import Storage

/// Cache answers, written by hand like the other hot responses.
enum CacheResponses {
    /// `GET /v1/cache/{key}`, rendered once when the entry enters memory and
    /// served as these bytes on every hit after.
    static func entry(_ row: CacheRow) -> (payload: ByteBuffer, bytes: Int) {
        var json = JSONWriter(capacity: row.valueJSON.utf8.count + row.key.utf8.count + 128)
        json.beginObject()
        json.field("key", CacheTenant.visible(row.key))
        json.field("value", json: row.valueJSON)
        json.field("type", CacheTenant.visible(row.type))
        json.field("tags", row.tags.map(CacheTenant.visible))
        json.field("expires_at", RFC3339.format(row.expiresAt))
        json.endObject()
        let buffer = json.buffer
        return (buffer, buffer.readableBytes)
    }

    /// `PUT /v1/cache/{key}`: what was stored, without echoing the value.
    static func stored(key: CacheKey, write: CacheWrite, expiresAt: Date) -> ByteBuffer {
        var json = JSONWriter()
        json.beginObject()
        json.field("key", key.name)
        json.field("type", write.type)
        json.field("tags", write.tags)
        json.field("ttl_s", write.ttlSeconds)
        json.field("expires_at", RFC3339.format(expiresAt))
        json.endObject()
        return json.buffer
    }

    static func invalidated(_ count: Int, tags: [String]) -> ByteBuffer {
        var json = JSONWriter()
        json.beginObject()
        json.field("invalidated", count)
        json.field("tags", tags)
        json.endObject()
        return json.buffer
    }

    /// `GET /v1/cache/stats`: the seed's `cache_stats` per type (all
    /// instances, lookups flushed), then this instance's memory level.
    static func stats(_ stats: CacheStats, limits: L1Limits) -> ByteBuffer {
        var json = JSONWriter()
        json.beginObject()
        json.beginArray("types")
        for type in stats.types {
            json.beginObject()
            json.field("type", type.type)
            json.field("entries", type.entries)
            json.field("live_entries", type.liveEntries)
            json.field("expired_entries", type.expiredEntries)
            json.field("bytes", type.bytes)
            json.field("hits", type.hits)
            json.field("misses", type.misses)
            let lookups = type.hits + type.misses
            if lookups > 0 { json.field("hit_ratio", Double(type.hits) / Double(lookups)) }
            json.endObject()
        }
        json.endArray()
        json.beginObject("instance")
        json.field("memory_hits", stats.memoryHits)
        json.field("database_hits", stats.databaseHits)
        json.field("misses", stats.misses)
        json.field("memory_entries", stats.memory.entries)
        json.field("memory_bytes", stats.memory.bytes)
        json.field("memory_evictions", stats.memory.evictions)
        json.field("memory_max_entries", limits.maximumEntries)
        json.field("memory_max_bytes", limits.maximumBytes)
        json.field("coherent", stats.memory.coherent)
        json.endObject()
        json.endObject()
        return json.buffer
    }
}
