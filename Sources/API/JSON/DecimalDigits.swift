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

    /// The last `width` digits of `value`, zero-padded on the left, at `destination`.
    static func write(_ value: UInt64, width: Int, to destination: UnsafeMutablePointer<UInt8>) {
        var rest = value
        for position in stride(from: width - 1, through: 0, by: -1) {
            destination[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }
}
