public import Foundation
import Synchronization

/// Token buckets, one per client key (a token's subject, or an address).
///
/// A bucket holds at most `burst` requests and refills at `rate` per second;
/// a request takes one or is refused with the seconds until one is there.
/// Per instance: with N instances behind a balancer a client gets up to N
/// times the rate. Bounded: buckets that have refilled completely carry no
/// state worth keeping, so when the table is full they are dropped.
public final class RateLimiter: Sendable {
    public struct Limit: Sendable, Equatable {
        public let rate: Double
        public let burst: Double

        public init(rate: Double, burst: Double) {
            self.rate = rate
            self.burst = burst
        }
    }

    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    private let capacity: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    public init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    /// nil when the request may go; else the whole seconds to wait (at least 1).
    public func acquire(_ key: String, limit: Limit, now: Date = Date()) -> Int? {
        buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: limit.burst, updated: now)
            bucket.tokens = min(limit.burst, bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) * limit.rate)
            bucket.updated = now
            guard bucket.tokens >= 1 else {
                buckets[key] = bucket
                return max(1, Int(((1 - bucket.tokens) / limit.rate).rounded(.up)))
            }
            bucket.tokens -= 1
            if buckets[key] == nil, buckets.count >= capacity {
                buckets = buckets.filter { $0.value.tokens + now.timeIntervalSince($0.value.updated) * limit.rate < limit.burst }
                if buckets.count >= capacity { buckets.removeAll(keepingCapacity: true) }
            }
            buckets[key] = bucket
            return nil
        }
    }
}
