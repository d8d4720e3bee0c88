@testable import API
import Testing

@Suite(.timeLimit(.minutes(5))) struct DecimalNumberTests {
    @Test func readsDecimalNumbers() {
        let read: [(String, Double)] = [
            ("0", 0), ("-0", -0.0), ("42", 42), ("+1.5", 1.5), ("-30.25", -30.25), (".5", 0.5), ("5.", 5),
            ("1e3", 1_000), ("2.5E-2", 0.025), ("-1e+2", -100), ("007", 7),
        ]
        for (text, value) in read {
            #expect(DecimalNumber.parse(text) == value, "\(text)")
        }
        // Too large for a double: read as infinity, which callers refuse as not finite.
        #expect(DecimalNumber.parse("1e400") == .infinity)
    }

    /// The fast path (a significand below 2^53 and a power of ten up to 22)
    /// and the C library's reader behind it must agree with `Double(_:)` on
    /// every decimal: coordinates with up to 17 digits, long fractions,
    /// exponents on both sides of the fast path's range, signs.
    @Test func readsEveryDecimalAsDoubleDoes() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let whole = String(UInt64.random(in: 0...999_999_999, using: &generator) >> UInt64.random(in: 0...30, using: &generator))
            let fractionLength = Int.random(in: 0...24, using: &generator)
            let fraction = String((0..<fractionLength).map { _ in "0123456789".randomElement(using: &generator)! })
            var text = ["", "-", "+"].randomElement(using: &generator)! + whole
            if !fraction.isEmpty || Bool.random(using: &generator) { text += "." + fraction }
            if Int.random(in: 0..<3, using: &generator) == 0 { text += "e\(Int.random(in: -40...40, using: &generator))" }
            #expect(DecimalNumber.parse(text) == Double(text), "\(text)")
            #expect(DecimalNumber.parse(Substring("x" + text).dropFirst()) == Double(text), "\(text)")
        }
    }

    @Test func refusesWhatDoubleWouldReadButNoClientMeans() {
        for text in [
            "0x10", "0x1p3", "-0x1.8p1", "inf", "-inf", "infinity", "nan", "NaN", "", "+", "-", ".", "e5", "1e", "1e+",
            "1.2.3", " 1", "1 ", "1_000", "1,5", "--1", "+-1", "１", "1d", "1f",
        ] {
            #expect(DecimalNumber.parse(text) == nil, "\(text)")
        }
    }
}
