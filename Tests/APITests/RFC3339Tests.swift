@testable import API
import Foundation
import Testing

@Suite struct RFC3339Tests {
    @Test func formatsLikeFoundationToTheMillisecond() {
        var generator = SystemRandomNumberGenerator()
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        for _ in 0..<2_000 {
            // Whole milliseconds, so both sides have nothing to round.
            let date = Date(timeIntervalSince1970: Double(Int64.random(in: 0...4_102_444_800_000, using: &generator)) / 1000)
            #expect(RFC3339.format(date) == date.formatted(style))
        }
        #expect(RFC3339.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(RFC3339.format(Date(timeIntervalSince1970: 951_782_400.9999)) == "2000-02-29T00:00:00.999Z")
    }

    @Test func parsesWithAndWithoutFractions() {
        #expect(RFC3339.parse("2026-04-01T12:00:00Z") == Date(timeIntervalSince1970: 1_775_044_800))
        #expect(RFC3339.parse("2026-04-01T12:00:00.250Z") == Date(timeIntervalSince1970: 1_775_044_800.25))
        #expect(RFC3339.parse("yesterday") == nil)
    }
}
