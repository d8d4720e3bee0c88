import Cache
import Foundation
import Testing

@Suite(.timeLimit(.minutes(5))) struct L1CacheTests {
    static func coherentCache(_ limits: L1Limits = L1Limits()) -> L1Cache<String> {
        let cache = L1Cache<String>(limits: limits)
        cache.setCoherent(true)
        return cache
    }

    static let later = Date().addingTimeInterval(3_600)

    @discardableResult
    static func fill(_ cache: L1Cache<String>, _ key: String, tags: [String] = [], cost: Int = 1, expiresAt: Date = later) -> Bool {
        cache.fill(key, payload: "v:" + key, type: "t", tags: tags, expiresAt: expiresAt, cost: cost, since: cache.beginFill())
    }

    @Test func servesWhatWasFilledUntilItExpires() {
        let cache = Self.coherentCache(L1Limits(backstopSeconds: 30))
        let now = Date()
        #expect(Self.fill(cache, "a", expiresAt: now.addingTimeInterval(10)))
        #expect(cache.get("a", now: now)?.payload == "v:a")
        #expect(cache.get("a", now: now.addingTimeInterval(10)) == nil, "expired at its TTL")
        #expect(cache.statistics.entries == 0)

        #expect(Self.fill(cache, "b"))
        #expect(cache.get("b", now: Date().addingTimeInterval(29)) != nil)
        #expect(cache.get("b", now: Date().addingTimeInterval(31)) == nil, "the backstop caps a long TTL")
    }

    @Test func servesNothingWhileNotCoherent() {
        let cache = L1Cache<String>(limits: L1Limits())
        #expect(!Self.fill(cache, "a"))
        cache.setCoherent(true)
        #expect(Self.fill(cache, "a"))
        cache.setCoherent(false)
        #expect(cache.get("a") == nil)
        cache.setCoherent(true)
        #expect(cache.get("a") == nil, "a lost connection empties memory")
    }

    @Test func aFillRacingAChangeIsRefused() {
        let cache = Self.coherentCache()
        var ticket = cache.beginFill()
        cache.invalidate(tags: ["zone:7"])
        #expect(!cache.fill("a", payload: "old", type: "t", tags: ["zone:7"], expiresAt: Self.later, cost: 1, since: ticket))
        #expect(cache.fill("b", payload: "other", type: "t", tags: ["zone:8"], expiresAt: Self.later, cost: 1, since: ticket))

        ticket = cache.beginFill()
        cache.invalidate(key: "c")
        #expect(!cache.fill("c", payload: "old", type: "t", tags: [], expiresAt: Self.later, cost: 1, since: ticket))

        ticket = cache.beginFill()
        cache.invalidateAll()
        #expect(!cache.fill("d", payload: "old", type: "t", tags: [], expiresAt: Self.later, cost: 1, since: ticket))

        ticket = cache.beginFill()
        for index in 0..<5_000 { cache.invalidate(key: "other\(index)") }
        #expect(!cache.fill("e", payload: "old", type: "t", tags: [], expiresAt: Self.later, cost: 1, since: ticket),
                "too many changes since to tell: refuse")
    }

    @Test func invalidationByTagRemovesExactlyTheTagged() {
        let cache = Self.coherentCache()
        Self.fill(cache, "a", tags: ["x", "y"])
        Self.fill(cache, "b", tags: ["y"])
        Self.fill(cache, "c", tags: ["z"])
        cache.invalidate(tags: ["y"])
        #expect(cache.get("a") == nil && cache.get("b") == nil)
        #expect(cache.get("c") != nil)
        #expect(cache.statistics.entries == 1)
    }

    @Test func staysWithinItsEntryAndByteBounds() {
        let cache = Self.coherentCache(L1Limits(maximumEntries: 100, maximumBytes: 1_000))
        for index in 0..<1_000 { Self.fill(cache, "k\(index)", cost: 7) }
        var statistics = cache.statistics
        #expect(statistics.entries == 100 && statistics.bytes == 700)
        for index in 0..<1_000 { Self.fill(cache, "b\(index)", cost: 90) }
        statistics = cache.statistics
        #expect(statistics.bytes <= 1_000 && statistics.entries == 11)
        #expect(!Self.fill(cache, "huge", cost: 1_001), "an entry bigger than the whole level is not kept")
    }

    /// SIEVE keeps what is read again: a hot set survives a stream of one-off keys.
    @Test func evictionKeepsEntriesThatAreReadAgain() {
        let cache = Self.coherentCache(L1Limits(maximumEntries: 100))
        for index in 0..<50 { Self.fill(cache, "hot\(index)") }
        for round in 0..<2_000 {
            for index in stride(from: round % 5, to: 50, by: 5) { _ = cache.get("hot\(index)") }
            Self.fill(cache, "cold\(round)")
        }
        let hotLeft = (0..<50).filter { cache.get("hot\($0)") != nil }.count
        #expect(hotLeft == 50)
        #expect(cache.statistics.entries == 100)
    }
}
