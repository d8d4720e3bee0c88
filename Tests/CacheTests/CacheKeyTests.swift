@testable import Cache
import Testing

@Suite(.timeLimit(.minutes(5))) struct CacheKeyTests {
    @Test func acceptsOrdinaryKeys() throws {
        #expect(try CacheKey("route:abc/123").rawValue == "route:abc/123")
        #expect(try CacheKey(String(repeating: "é", count: 256)).rawValue.utf8.count == 512)
    }

    @Test func rejectsEmptyLongAndControlCharacters() {
        #expect(throws: CacheKeyError.empty) { try CacheKey("") }
        #expect(throws: CacheKeyError.tooLong(bytes: 513)) { try CacheKey(String(repeating: "a", count: 513)) }
        #expect(throws: CacheKeyError.controlCharacter) { try CacheKey("a\nb") }
        #expect(throws: CacheKeyError.controlCharacter) { try CacheKey("a\u{0}b") }
        #expect(throws: CacheKeyError.controlCharacter) { try CacheKey("a\u{85}b") }
        #expect(throws: CacheKeyError.controlCharacter) { try CacheKey("\u{7F}") }
    }

    /// The byte-level check agrees with Unicode's own category on every scalar,
    /// each between neighbours whose UTF-8 shares its lead byte (U+00A0 is
    /// 0xC2 0xA0, just past the controls).
    @Test func controlCheckMatchesUnicodeCategoryForEveryScalar() {
        var disagreements: [UInt32] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let string = "\u{A0}" + String(scalar) + "\u{A0}"
            if CacheKey.containsControlCharacter(string) != (scalar.properties.generalCategory == .control) {
                disagreements.append(value)
            }
        }
        #expect(disagreements.isEmpty, "first: \(disagreements.prefix(5).map { "U+" + String($0, radix: 16) })")
    }
}
