/// Unsigned integers as decimal digits written straight into memory, for
/// the hand-rolled writers of JSON numbers and RFC 3339 timestamps (neither
/// makes a String per number).
enum DecimalDigits {
    /// How many digits `value` has (1 for 0).
    static func count(_ value: UInt64) -> Int {
        var length = 1
        var rest = value / 10
        while rest > 0 {
            length += 1
            rest /= 10
        }
        return length
    }

    /// The last `width` digits of `value`, zero-padded on the left, at
    /// `destination`. Two digits at a time, from a table, with one division
    /// per pair rather than per digit: every nearby answer writes ten
    /// timestamps, eight two-digit fields each, and ten distances.
    static func write(_ value: UInt64, width: Int, to destination: UnsafeMutablePointer<UInt8>) {
        pairs.withUnsafeBufferPointer { pairs in
            var rest = value
            var position = width
            while position >= 2 {
                let pair = Int(rest % 100) * 2
                rest /= 100
                position -= 2
                destination[position] = pairs[pair]
                destination[position + 1] = pairs[pair + 1]
            }
            if position == 1 { destination[0] = UInt8(ascii: "0") + UInt8(rest % 10) }
        }
    }

    /// "00" through "99", one after another.
    private static let pairs: [UInt8] = (0..<100).flatMap { [UInt8(ascii: "0") + UInt8($0 / 10), UInt8(ascii: "0") + UInt8($0 % 10)] }
}
