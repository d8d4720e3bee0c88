/// Numbers in query strings and OSRM paths: an optional sign, digits with an
/// optional fraction (`1`, `1.5`, `.5`, `5.`), an optional exponent. Checked
/// before `Double(_:)` reads them, because it also reads hexadecimal
/// (`0x10` is 16), `inf` and `nan`, which no client means as a distance or
/// a coordinate.
enum DecimalNumber {
    static func parse(_ text: some StringProtocol) -> Double? {
        let bytes = text.utf8
        var index = bytes.startIndex
        func take(_ character: Unicode.Scalar) -> Bool {
            guard index != bytes.endIndex, bytes[index] == UInt8(ascii: character) else { return false }
            index = bytes.index(after: index)
            return true
        }
        func digits() -> Bool {
            let start = index
            while index != bytes.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                index = bytes.index(after: index)
            }
            return index != start
        }
        _ = take("+") || take("-")
        let whole = digits()
        let fraction = take(".") && digits()
        guard whole || fraction else { return nil }
        if take("e") || take("E") {
            _ = take("+") || take("-")
            guard digits() else { return nil }
        }
        guard index == bytes.endIndex else { return nil }
        return Double(text)
    }
}
