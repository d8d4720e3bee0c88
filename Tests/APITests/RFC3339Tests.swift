@testable import API
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite(.timeLimit(.minutes(5))) struct RFC3339Tests {
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
        #expect(RFC3339.parse("2026-04-01t12:00:00.250z") == Date(timeIntervalSince1970: 1_775_044_800.25))
        #expect(RFC3339.parse("2026-04-01T14:30:00.5+02:30") == Date(timeIntervalSince1970: 1_775_044_800.5))
        #expect(RFC3339.parse("2026-04-01T12:00:00-00:00") == Date(timeIntervalSince1970: 1_775_044_800))
        #expect(RFC3339.parse("2026-04-01T12:00:00.1234567891234Z") == Date(timeIntervalSince1970: 1_775_044_800.123456789))
        #expect(RFC3339.parse("2024-02-29T00:00:00Z") == Date(timeIntervalSince1970: 1_709_164_800))
        #expect(RFC3339.parse("2000-02-29T00:00:00Z") == Date(timeIntervalSince1970: 951_782_400))
    }

    /// Random instants, written in every form the RFC allows (both cases,
    /// offsets east and west, zero to nine fraction digits), against the C
    /// library's calendar.
    @Test func readsEveryFormAsTheCLibraryCountsIt() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            var parts = tm()
            parts.tm_year = Int32.random(in: 0...8_099, using: &generator) // 1900…9999
            parts.tm_mon = Int32.random(in: 0...11, using: &generator)
            parts.tm_mday = Int32.random(in: 1...28, using: &generator)
            parts.tm_hour = Int32.random(in: 0...23, using: &generator)
            parts.tm_min = Int32.random(in: 0...59, using: &generator)
            parts.tm_sec = Int32.random(in: 0...59, using: &generator)
            let offsetMinutes = Int.random(in: -(23 * 60 + 59)...(23 * 60 + 59), using: &generator)
            let fractionDigits = Int.random(in: 0...9, using: &generator)
            let fraction = Int.random(in: 0..<Int(pow(10, Double(fractionDigits))), using: &generator)
            func two(_ value: some BinaryInteger) -> String { value < 10 ? "0\(value)" : "\(value)" }
            let date = "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
            let time = "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
            let digits = String(String(fraction + Int(pow(10, Double(fractionDigits)))).dropFirst())
            let offset = (offsetMinutes < 0 ? "-" : "+") + "\(two(abs(offsetMinutes) / 60)):\(two(abs(offsetMinutes) % 60))"
            let text = date + (Bool.random(using: &generator) ? "T" : "t") + time + (fractionDigits > 0 ? "." + digits : "")
                + (offsetMinutes == 0 && Bool.random(using: &generator) ? "Z" : offset)
            let expected = Double(timegm(&parts)) - Double(offsetMinutes * 60) + (fractionDigits > 0 ? Double(fraction) / pow(10, Double(fractionDigits)) : 0)
            #expect(RFC3339.parse(text) == Date(timeIntervalSince1970: expected), "\(text)")
        }
    }

    /// What Foundation's ISO 8601 format style let through (30 February as
    /// 2 March, 24:00 as the next day), and what RFC 3339 does not write.
    @Test func refusesWhatIsNoRFC3339Instant() {
        for text in [
            "2026-02-30T01:00:00Z", "2025-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z",
            "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-11-00T00:00:00Z",
            "2026-11-22T24:00:00Z", "2026-11-22T23:60:00Z", "2026-11-22T23:59:60Z",
            "2026-11-23T01:00:00", "2026-11-23T01:00:00+0100", "2026-11-23T01:00:00+01", "2026-11-23T01:00:00+24:00",
            "2026-11-23T01:00:00+05:60", "2026-11-23 01:00:00Z", "2026-11-23T01:00Z", "2026-11-23T01:00:00.Z",
            " 2026-11-23T01:00:00Z", "2026-11-23T01:00:00Z ", "2026-11-23T01:00:00ZZ", "+2026-11-23T01:00:00Z",
            "2026-1-23T01:00:00Z", "20261123T010000Z", "２０２６-11-23T01:00:00Z", "yesterday", "",
        ] {
            #expect(RFC3339.parse(text) == nil, "\(text)")
        }
    }
}
