/// Numbers in query strings and OSRM paths: an optional sign, digits with an
/// optional fraction (`1`, `1.5`, `.5`, `5.`), an optional exponent. Checked
/// here rather than left to `Double(_:)`, because it also reads hexadecimal
/// (`0x10` is 16), `inf` and `nan`, which no client means as a distance or
/// a coordinate.
///
/// Read from the bytes in one pass: every nearby query carries four numbers
/// and every route two, and checking the grammar over a `StringProtocol`,
/// then making a String for `Double(_:)` to read again, was about 8 % of the
/// nearby handler's time in a W1 profile.
enum DecimalNumber {
    static func parse(_ text: some StringProtocol) -> Double? {
        if let value = text.utf8.withContiguousStorageIfAvailable(parse) { return value }
        var copy = String(text)
        return copy.withUTF8(parse)
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var scanner = Scanner(bytes: bytes)
        let negative = scanner.take("-")
        if !negative { _ = scanner.take("+") }
        var exponent = 0
        let whole = scanner.digits()
        let fraction = scanner.take(".") && scanner.digits(countingDown: &exponent)
        guard whole || fraction else { return nil }
        if scanner.take("e") || scanner.take("E") {
            let negativeExponent = scanner.take("-")
            if !negativeExponent { _ = scanner.take("+") }
            guard let written = scanner.exponent() else { return nil }
            exponent += negativeExponent ? -written : written
        }
        guard scanner.isAtEnd else { return nil }
        // Clinger's fast path: a significand up to 2^53 and a power of ten up
        // to 10^22 are both exact doubles, so one division or multiplication
        // rounds correctly. Everything else goes to the C library's reader.
        if !scanner.overflowed, scanner.significand <= 1 << 53, (-22...22).contains(exponent) {
            let magnitude = exponent < 0
                ? Double(scanner.significand) / powersOfTen[-exponent]
                : Double(scanner.significand) * powersOfTen[exponent]
            return negative ? -magnitude : magnitude
        }
        return Double(String(decoding: bytes, as: UTF8.self))
    }

    /// A `ByteReader` that also gathers the significand's digits.
    private struct Scanner {
        var reader: ByteReader
        /// The significand's digits, while they stay below 10^19.
        var significand: UInt64 = 0
        var overflowed = false

        init(bytes: UnsafeBufferPointer<UInt8>) {
            reader = ByteReader(bytes)
        }

        var isAtEnd: Bool { reader.isAtEnd }

        mutating func take(_ character: Unicode.Scalar) -> Bool { reader.take(character) }

        /// Reads significand digits; `exponent` goes down by one for each.
        mutating func digits(countingDown exponent: inout Int) -> Bool {
            let start = reader.index
            _ = digits()
            exponent -= reader.index - start
            return reader.index != start
        }

        /// Reads significand digits; whether there was any.
        mutating func digits() -> Bool {
            let start = reader.index
            while let digit = reader.digit() {
                if significand < 1_000_000_000_000_000_000 {
                    significand = significand * 10 + UInt64(digit)
                } else {
                    overflowed = true
                }
            }
            return reader.index != start
        }

        /// An exponent's digits, clamped: one this large is out of every fast path anyway.
        mutating func exponent() -> Int? {
            let start = reader.index
            var value = 0
            while let digit = reader.digit() { value = min(value * 10 + digit, 100_000) }
            return reader.index == start ? nil : value
        }
    }

    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}
