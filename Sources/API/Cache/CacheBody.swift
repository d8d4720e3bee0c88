import Hummingbird
import NIOCore

/// A validated `PUT /v1/cache/{key}` body.
struct CacheWrite {
    /// The value exactly as the client sent it; PostgreSQL parses it as jsonb.
    let valueJSON: String
    let ttlSeconds: Int
    let type: String
    let tags: [String]
}

/// Reads cache request bodies, reporting every broken rule with its field.
enum CacheBody {
    static func write(_ buffer: ByteBuffer, settings: CacheSettings) throws(APIError) -> CacheWrite {
        let bytes = Array(buffer.readableBytesView)
        let (body, ranges) = try parse(bytes)
        var reader = FieldReader(body)
        guard let value = body["value"], let range = ranges["value"] else {
            throw .invalid([FieldError("value", "is required (any JSON value)")])
        }
        guard range.count <= settings.maximumValueBytes else {
            throw APIError(.contentTooLarge, code: "value_too_large",
                           message: "value must be at most \(settings.maximumValueBytes) bytes of JSON, got \(range.count)", field: "value")
        }
        if let rule = storableRule(value) { reader.fail("value", rule) }
        let ttl = reader.number("ttl_s", in: 1...Double(settings.maximumTTLSeconds),
                                rule: "must be a whole number of seconds between 1 and \(settings.maximumTTLSeconds)")
        if let ttl, ttl.rounded() != ttl { reader.fail("ttl_s", "must be a whole number of seconds") }
        let type = reader.string("type", maximumLength: settings.maximumTypeLength)
        if type?.isEmpty == true { reader.fail("type", "must not be empty") }
        let tags = tagList(body["tags"], field: "tags", maximumCount: settings.maximumTags, settings: settings, reader: &reader)
        guard reader.errors.isEmpty else { throw .invalid(reader.errors) }
        return CacheWrite(
            // The body is valid UTF-8 (checked in `parse`), so this is the value as sent.
            valueJSON: String(decoding: bytes[range], as: UTF8.self),
            ttlSeconds: ttl.map { Int($0) } ?? settings.defaultTTLSeconds,
            type: type ?? settings.defaultType,
            tags: tags
        )
    }

    /// The tags of `POST /v1/cache/invalidate`.
    static func invalidation(_ buffer: ByteBuffer, settings: CacheSettings) throws(APIError) -> [String] {
        let (body, _) = try parse(Array(buffer.readableBytesView))
        var reader = FieldReader(body)
        guard body["tags"] != nil else { throw .invalid([FieldError("tags", "is required (an array of tags)")]) }
        let tags = tagList(body["tags"], field: "tags", maximumCount: settings.maximumInvalidateTags, settings: settings, reader: &reader)
        if reader.errors.isEmpty, tags.isEmpty { reader.fail("tags", "must name at least one tag") }
        guard reader.errors.isEmpty else { throw .invalid(reader.errors) }
        return tags
    }

    private static func parse(_ bytes: [UInt8]) throws(APIError) -> (JSONValue, [String: Range<Int>]) {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw APIError(.badRequest, code: "malformed_json", message: "body is not valid UTF-8", field: "body")
        }
        let parsed: (value: JSONValue, ranges: [String: Range<Int>])
        do {
            parsed = try JSONParser.parseWithMemberRanges(bytes)
        } catch {
            throw APIError(.badRequest, code: "malformed_json", message: "body is not valid JSON: \(error.reason) at byte \(error.offset)", field: "body")
        }
        guard case .object = parsed.value else {
            throw APIError(.badRequest, code: "invalid_request", message: "body must be a JSON object", field: "body")
        }
        return parsed
    }

    /// Distinct tags, in the order given, each 1 to `maximumTagBytes` bytes without control characters.
    private static func tagList(
        _ value: JSONValue?, field: String, maximumCount: Int, settings: CacheSettings, reader: inout FieldReader
    ) -> [String] {
        guard let value, value != .null else { return [] }
        guard case .array(let items) = value else {
            reader.fail(field, "must be an array of strings, got \(value.kind)")
            return []
        }
        guard items.count <= maximumCount else {
            reader.fail(field, "must hold at most \(maximumCount) tags, got \(items.count)")
            return []
        }
        var tags: [String] = []
        for (position, item) in items.enumerated() {
            let name = "\(field)[\(position)]"
            guard case .string(let tag) = item else {
                reader.fail(name, "must be a string, got \(item.kind)")
                continue
            }
            guard (1...settings.maximumTagBytes).contains(tag.utf8.count) else {
                reader.fail(name, "must be 1 to \(settings.maximumTagBytes) bytes of UTF-8, got \(tag.utf8.count)")
                continue
            }
            guard !tag.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                reader.fail(name, "must not contain control characters")
                continue
            }
            if !tags.contains(tag) { tags.append(tag) }
        }
        return tags
    }

    /// Why PostgreSQL's jsonb could not store `value` as sent, or nil when it can:
    /// jsonb has no U+0000 in text, and numbers beyond a Double are not
    /// interoperable JSON (RFC 7493).
    private static func storableRule(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text):
            return text.unicodeScalars.contains("\u{0}") ? "must not contain the character U+0000 (jsonb cannot store it)" : nil
        case .number(let number):
            return number.isFinite ? nil : "must not contain numbers beyond ±1.7976931348623157e308"
        case .array(let items):
            return items.lazy.compactMap(storableRule).first
        case .object(let members):
            if members.contains(where: { $0.key.unicodeScalars.contains("\u{0}") }) {
                return "must not contain the character U+0000 (jsonb cannot store it)"
            }
            return members.lazy.compactMap { storableRule($0.value) }.first
        case .bool, .null:
            return nil
        }
    }
}
