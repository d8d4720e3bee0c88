@testable import GeoCore
import Testing

/// Keys a client chose to collide must still spread over the table: each
/// suite counts the keys a lookup reads, which a shared probe run multiplies.
@Suite(.timeLimit(.minutes(5))) struct SlotTableTests {
    static let count = 5_000

    /// Finds every key and returns how many stored keys the lookups read. At
    /// three-quarters load a spread table reads about 2.5 a lookup; keys
    /// sharing one probe run read half the run each (2,500 here).
    static func probes<Key: SlotTableKey>(_ keys: [Key]) -> Int {
        var table = SlotTable<Key>()
        for position in keys.indices {
            table.insert(keys[position], at: Int32(position)) { keys[Int($0)] }
        }
        var probes = 0
        for position in keys.indices {
            let found = table.position(of: keys[position]) { probes += 1; return keys[Int($0)] }
            #expect(found == Int32(position))
        }
        return probes
    }

    /// Ids on which the earlier fixed hash, high ^ low·φ, was one constant.
    @Test func chosenIdsSpread() {
        let ids = (0..<UInt64(Self.count)).map { PointID(high: ($0 &* 0x9E37_79B9_7F4A_7C15) ^ 0x5EED, low: $0) }
        #expect(Self.probes(ids) < 10 * Self.count)
    }

    /// Cell keys whose unseeded mix ends in twenty zero bits: without the
    /// seed, every one of them had the same home slot.
    @Test func chosenCellsSpread() {
        let cells = (0..<UInt64(Self.count)).map { Int64(bitPattern: Self.unmix($0 << 20)) }
        #expect(cells.allSatisfy { $0.hash(seed: 0) & 0xF_FFFF == 0 })
        #expect(Self.probes(cells) < 10 * Self.count)
    }

    /// The inverse of Murmur3's finaliser (`mix` with a zero seed): each
    /// xor-shift by 33 undoes itself and each odd multiplier has an inverse.
    static func unmix(_ value: UInt64) -> UInt64 {
        func inverse(_ odd: UInt64) -> UInt64 {
            // Newton's iteration doubles the correct low bits each step.
            var inverse = odd
            for _ in 0..<5 { inverse &*= 2 &- odd &* inverse }
            return inverse
        }
        var hash = value
        hash ^= hash >> 33
        hash &*= inverse(0xC4CE_B9FE_1A85_EC53)
        hash ^= hash >> 33
        hash &*= inverse(0xFF51_AFD7_ED55_8CCD)
        hash ^= hash >> 33
        return hash
    }
}
