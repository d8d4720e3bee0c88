/// A 128-bit identifier for an indexed point (a user's UUID, say), ordered
/// byte by byte, big-endian, as PostgreSQL orders `uuid` values, so ties in
/// distance break the same way in memory and in SQL.
///
/// A concrete type rather than a generic parameter: the index's hot loops then
/// compile fully specialised in this module instead of going through witness
/// tables in the caller's (measured: several times faster).
public struct PointID: Hashable, Comparable, Sendable {
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public static func < (lhs: PointID, rhs: PointID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}
