@testable import API
import Testing

@Suite struct DecimalNumberTests {
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

    @Test func refusesWhatDoubleWouldReadButNoClientMeans() {
        for text in [
            "0x10", "0x1p3", "-0x1.8p1", "inf", "-inf", "infinity", "nan", "NaN", "", "+", "-", ".", "e5", "1e", "1e+",
            "1.2.3", " 1", "1 ", "1_000", "1,5", "--1", "+-1", "１", "1d", "1f",
        ] {
            #expect(DecimalNumber.parse(text) == nil, "\(text)")
        }
    }
}
