import Cache
import Testing

@Suite struct CacheKeyTests {
    @Test func acceptsOrdinaryKeys() throws {
        #expect(try CacheKey("route:abc/123").rawValue == "route:abc/123")
        #expect(try CacheKey(String(repeating: "é", count: 256)).rawValue.utf8.count == 512)
    }

    @Test func rejectsEmptyLongAndControlCharacters() {
        #expect(throws: CacheKeyError.empty) { try CacheKey("") }
        #expect(throws: CacheKeyError.tooLong(bytes: 513)) { try CacheKey(String(repeating: "a", count: 513)) }
        #expect(throws: CacheKeyError.controlCharacter) { try CacheKey("a\nb") }
        #expect(throws: CacheKeyError.controlCharacter) { try CacheKey("a\u{0}b") }
    }
}
