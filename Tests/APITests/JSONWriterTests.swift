@testable import API
import Foundation
import GeoCore
import Storage
import Testing

@Suite(.timeLimit(.minutes(5))) struct JSONWriterTests {
    /// What the writer makes must read back, through Foundation's parser, as
    /// exactly what was written, whatever the strings hold.
    @Test func writesWhatFoundationReadsBack() throws {
        let awkward = ["plain", "quote \" and backslash \\", "line\nbreak\ttab\r", "\u{01}\u{1F}", "é ✓ 🚗", ""]
        var json = JSONWriter(capacity: 8)
        json.beginObject()
        json.field("strings", awkward)
        json.field("number", -1.950479561365081)
        json.field("nan", Double.nan)
        json.field("count", 42)
        json.field("flag", false)
        json.field("raw", json: #"{"a":[1,2]}"#)
        json.field("stamp", ascii: RFC3339.length) { RFC3339.write(Date(timeIntervalSince1970: 0.25), into: $0) }
        json.endObject()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.text.utf8)) as? [String: Any])
        #expect(object["strings"] as? [String] == awkward)
        // Foundation's parser may round the last digit; the text must not.
        #expect(json.text.contains(#""number":-1.950479561365081,"#))
        #expect(object["nan"] is NSNull)
        #expect(object["count"] as? Int == 42)
        #expect(object["flag"] as? Bool == false)
        #expect((object["raw"] as? [String: Any])?["a"] as? [Int] == [1, 2])
        #expect(object["stamp"] as? String == "1970-01-01T00:00:00.250Z")
        #expect(json.buffer.readableBytes == json.text.utf8.count)
    }

    /// Every number reads back as exactly the Double written, at every
    /// magnitude and across each growth of the buffer, in no more characters
    /// than `description` uses (below 10^-4, where that switches to an
    /// exponent, at most seven decimals); numbers of seven decimals or fewer
    /// (what phones send) are those decimals.
    @Test func numbersAreTheirShortestText() {
        var generator = SystemRandomNumberGenerator()
        let extremes: [Double] = [0, -0.0, 1, -180, 1e16, 1e-7, 123_456_789.125, -3e-7, .leastNonzeroMagnitude, -.leastNormalMagnitude, .greatestFiniteMagnitude]
        let random = (0..<20_000).map { _ in Double(bitPattern: generator.next()) }.filter(\.isFinite)
        let coordinates = (0..<20_000).map { _ in Double(Int64.random(in: -1_800_000_000...1_800_000_000, using: &generator)) / 1e7 }
        let values = extremes + random + coordinates
        // One document, so that numbers land across each growth of the buffer.
        var json = JSONWriter(capacity: 8)
        json.beginObject()
        for value in values { json.field("v", value) }
        json.endObject()
        let written = json.text.dropFirst().dropLast().split(separator: ",").map { $0.dropFirst(4) }
        #expect(written.count == values.count)
        let wrong = zip(written, values).filter { text, value in Double(text) != value || text.count > max(value.description.count, 10) }
        #expect(wrong.isEmpty, "first: \(wrong.prefix(3))")
        #expect(written.suffix(coordinates.count).allSatisfy { !$0.contains("e") && !$0.hasSuffix(".0") })
        #expect(written.prefix(7) == ["0", "0", "1", "-180", "1e+16", "0.0000001", "123456789.125"])
    }

    @Test func keptMembersJoinTheOpenObject() {
        var json = JSONWriter()
        json.beginObject()
        json.field("first", 1)
        json.members(#""kept":[1],"also":"x""#)
        json.field("last", true)
        json.endObject()
        #expect(json.text == #"{"first":1,"kept":[1],"also":"x","last":true}"#)
    }

    /// Rounding noise from arithmetic on a coordinate is not written.
    @Test func positionsHaveAtMostSevenDecimals() {
        var json = JSONWriter(capacity: 8)
        json.beginObject()
        json.beginArray("coordinates")
        json.position(longitude: 7.4214226000000005, latitude: 43.73659289999999)
        json.position(longitude: -180, latitude: -7.5e-8)
        json.position(longitude: -4e-8, latitude: 90)
        json.endArray()
        json.endObject()
        #expect(json.text == #"{"coordinates":[[7.4214226,43.7365929],[-180,-0.0000001],[0,90]]}"#)
    }

    @Test func roundedNumbersAndIntegers() {
        func text(_ write: (inout JSONWriter) -> Void) -> String {
            var json = JSONWriter(capacity: 8)
            write(&json)
            return String(json.text.dropFirst(4)) // "v":
        }
        let cases: [(Double, String)] = [
            (0, "0"), (2_000, "2000"), (40.83605736914514, "40.836"), (0.0004, "0"), (-0.0004, "0"), (-1.5, "-1.5"),
            (0.0005, "0.001"), (12.3001, "12.3"), (0.07, "0.07"), (999_999.9996, "1000000"), (.nan, "null"), (-.infinity, "null"),
        ]
        for (value, expected) in cases {
            #expect(text { $0.field("v", value, decimals: 3) } == expected, "\(value)")
        }
        #expect(text { $0.field("v", 1e20, decimals: 3) } == "1e+20")
        #expect(text { $0.field("v", 2.5, decimals: 0) } == "3")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<10_000 {
            let value = Double.random(in: -1e7...1e7, using: &generator) / Double([1, 1_000, 1_000_000].randomElement(using: &generator)!)
            let written = text { $0.field("v", value, decimals: 3) }
            #expect(abs((Double(written) ?? .nan) - value) <= 0.000_500_1, "\(value) → \(written)")
            #expect(!written.hasSuffix("0") || !written.contains("."), "\(written)")
        }
        for value in [0, 7, -7, 1_000, Int.max, Int.min] {
            #expect(text { $0.field("v", value) } == String(value))
        }
    }

    @Test func pointIDsPrintAsTheirUUIDs() {
        for _ in 0..<1_000 {
            let uuid = UUID()
            #expect(PointID(uuid).uuidString == uuid.uuidString.lowercased())
        }
        #expect(PointID(high: 0, low: 0).uuidString == "00000000-0000-0000-0000-000000000000")
        #expect(PointID(high: .max, low: .max).uuidString == "ffffffff-ffff-ffff-ffff-ffffffffffff")
        #expect(PointID(high: 0x0123_4567_89AB_CDEF, low: 0xFEDC_BA98_7654_3210).uuidString == "01234567-89ab-cdef-fedc-ba9876543210")
    }
}
