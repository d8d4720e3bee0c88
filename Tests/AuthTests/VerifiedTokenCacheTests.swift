import Auth
import Foundation
import Testing

@Suite(.timeLimit(.minutes(5))) struct VerifiedTokenCacheTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func identity(expiringIn seconds: TimeInterval) -> Identity {
        Identity(role: .serviceRole, userID: nil, subject: "s", tenant: nil, expiresAt: now.addingTimeInterval(seconds))
    }

    @Test func servesATokenUntilItExpiresAndNeverAfter() {
        let cache = VerifiedTokenCache()
        cache.store(identity(expiringIn: 10), for: "token-a", now: now)
        #expect(cache.identity(for: "token-a", now: now.addingTimeInterval(9)) == identity(expiringIn: 10))
        #expect(cache.identity(for: "token-b", now: now) == nil)
        #expect(cache.identity(for: "token-a", now: now.addingTimeInterval(10)) == nil)
        #expect(cache.count == 0)
    }

    @Test func staysWithinItsBound() {
        let cache = VerifiedTokenCache(capacity: 100)
        for index in 0..<1_000 {
            cache.store(identity(expiringIn: 60), for: "token-\(index)"[...], now: now)
            #expect(cache.count <= 100)
        }
        #expect(cache.identity(for: "token-999", now: now) != nil)
    }
}

@Suite(.timeLimit(.minutes(5))) struct RateLimiterTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func allowsTheBurstThenRefusesUntilRefilled() {
        let limiter = RateLimiter()
        let limit = RateLimiter.Limit(rate: 2, burst: 3)
        for _ in 0..<3 { #expect(limiter.acquire("u", limit: limit, now: now) == nil) }
        #expect(limiter.acquire("u", limit: limit, now: now) == 1)
        // Another client has a bucket of its own.
        #expect(limiter.acquire("v", limit: limit, now: now) == nil)
        #expect(limiter.acquire("u", limit: limit, now: now.addingTimeInterval(0.5)) == nil)
        #expect(limiter.acquire("u", limit: limit, now: now.addingTimeInterval(0.5)) == 1)
        let slow = RateLimiter.Limit(rate: 0.1, burst: 1)
        #expect(limiter.acquire("w", limit: slow, now: now) == nil)
        #expect(limiter.acquire("w", limit: slow, now: now) == 10)
    }
}
