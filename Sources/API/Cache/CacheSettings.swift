public import Cache

/// Limits of the cache API, configurable per deployment.
public struct CacheSettings: Sendable {
    /// Largest value, in bytes of its JSON text; larger gets 413.
    public var maximumValueBytes = 1 << 20
    public var maximumTags = 32
    public var maximumTagBytes = 128
    public var maximumTypeLength = 100
    /// Most tags one `POST /v1/cache/invalidate` may name.
    public var maximumInvalidateTags = 1_000
    /// TTLs run from 1 second to a year, as the seed's `set_cache` allows.
    public var maximumTTLSeconds = 31_536_000
    public var defaultTTLSeconds = 3_600
    public var defaultType = "general"
    public var l1 = L1Limits()

    public init() {}

    /// Largest request body: the value plus room for the rest of the document.
    var maximumBodyBytes: Int { maximumValueBytes + 64 << 10 }
}
