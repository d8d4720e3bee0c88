import Crypto
public import Foundation
import Synchronization

/// Identities of tokens already verified, so that a client sending the same
/// token on every request pays for one signature check, not one per request.
///
/// Keyed by the token's SHA-256, so no token is kept in memory; an entry is
/// never served past the token's expiry. Bounded: when full, expired entries
/// go, and if none had expired, all of them (the next requests verify again;
/// a bound that an attacker can only make us spend CPU on, never memory).
public final class VerifiedTokenCache: Sendable {
    private let capacity: Int
    private let entries = Mutex<[SHA256Digest: Identity]>([:])

    public init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    public func identity(for token: Substring, now: Date) -> Identity? {
        let key = Self.key(token)
        return entries.withLock { entries in
            guard let identity = entries[key] else { return nil }
            guard let expiry = identity.expiresAt, now < expiry else {
                entries[key] = nil
                return nil
            }
            return identity
        }
    }

    public func store(_ identity: Identity, for token: Substring, now: Date) {
        let key = Self.key(token)
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { ($0.value.expiresAt ?? now) > now }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[key] = identity
        }
    }

    /// The token's SHA-256, hashed from its bytes in place where they are contiguous.
    private static func key(_ token: Substring) -> SHA256Digest {
        token.utf8.withContiguousStorageIfAvailable { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
            ?? SHA256.hash(data: Array(token.utf8))
    }

    public var count: Int { entries.withLock { $0.count } }
}
