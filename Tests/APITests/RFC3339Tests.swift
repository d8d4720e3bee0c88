@testable import API
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct RFC3339Tests {
    /// The milliseconds a date was made from, where Foundation's format style
    /// writes one less for many of them: it floors the double's fraction
    /// (.241 is stored as .24099…).
    @Test func formatsTheMillisecondsADateWasMadeFrom() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let milliseconds = Int64.random(in: 0...4_102_444_800_000, using: &generator)
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            let second = Date(timeIntervalSince1970: Double(milliseconds / 1000)).formatted(Date.ISO8601FormatStyle())
            let fraction = String(milliseconds % 1000 + 1000).dropFirst()
            #expect(RFC3339.format(date) == "\(second.dropLast()).\(fraction)Z")
        }
        #expect(RFC3339.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 951_782_400.9994)) == "2000-02-29T00:00:00.999Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 1_775_044_800.123_456)) == "2026-04-01T12:00:00.123Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: -2_203_891_200)) == "1900-03-01T00:00:00.000Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 253_402_300_799)) == "9999-12-31T23:59:59.000Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: -62_135_596_800)) == "0001-01-01T00:00:00.000Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 9.3e12)) == "9999-12-31T23:59:59.999Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: -9.3e12)) == "0000-01-01T00:00:00.000Z")
    }

    /// Days before 1970 and across century and 400-year leap rules, against
    /// the C library's proleptic Gregorian calendar.
    @Test func countsDaysLikeGmtime() {
        for days in stride(from: -141_427, through: 2_932_896, by: 11) { // 1582-10-15 … 9999-12-31
            var seconds = time_t(days * 86_400)
            var parts = tm()
            gmtime_r(&seconds, &parts)
            let date = RFC3339.civil(days)
            #expect(date.year == Int(parts.tm_year) + 1900 && date.month == Int(parts.tm_mon) + 1 && date.day == Int(parts.tm_mday), "day \(days)")
        }
    }

    @Test func parsesWithAndWithoutFractions() {
        #expect(RFC3339.parse("2026-04-01T12:00:00Z") == Date(timeIntervalSince1970: 1_775_044_800))
        #expect(RFC3339.parse("2026-04-01T12:00:00.250Z") == Date(timeIntervalSince1970: 1_775_044_800.25))
        #expect(RFC3339.parse("yesterday") == nil)
    }
}
