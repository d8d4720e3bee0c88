/// Builds a JSON document by appending to one string, for responses on hot
/// paths: a nearby answer written this way costs a fraction of what
/// JSONEncoder spends on the same ten objects (measured with `make bench`, W1).
struct JSONWriter {
    private(set) var text = ""
    private var needsComma = false

    init(capacity: Int = 1_024) {
        text.reserveCapacity(capacity)
    }

    mutating func beginObject() { separate(); text += "{"; needsComma = false }
    mutating func endObject() { text += "}"; needsComma = true }
    mutating func beginArray(_ key: String) { self.key(key); text += "["; needsComma = false }
    /// An array as the whole document (or the next element).
    mutating func beginArray() { separate(); text += "["; needsComma = false }
    mutating func endArray() { text += "]"; needsComma = true }

    mutating func field(_ key: String, _ value: String) {
        self.key(key)
        appendString(value)
        needsComma = true
    }

    /// Finite numbers only (JSON has no NaN); Swift prints the shortest text
    /// that reads back as the same Double.
    mutating func field(_ key: String, _ value: Double) {
        self.key(key)
        text += value.isFinite ? value.description : "null"
        needsComma = true
    }

    mutating func field(_ key: String, _ value: Int) {
        self.key(key)
        text += String(value)
        needsComma = true
    }

    mutating func field(_ key: String, _ value: Bool) {
        self.key(key)
        text += value ? "true" : "false"
        needsComma = true
    }

    mutating func field(_ key: String, _ values: [String]) {
        beginArray(key)
        for (position, value) in values.enumerated() {
            if position > 0 { text += "," }
            appendString(value)
        }
        endArray()
    }

    /// A value that is JSON text already (a stored jsonb value), appended as is.
    mutating func field(_ key: String, json: String) {
        self.key(key)
        text += json
        needsComma = true
    }

    /// `value` as a JSON string literal (encoded polylines hold backslashes).
    static func quoted(_ value: String) -> String {
        var writer = JSONWriter(capacity: value.utf8.count + 2)
        writer.appendString(value)
        return writer.text
    }

    mutating func beginObject(_ key: String) { self.key(key); text += "{"; needsComma = false }

    private mutating func separate() {
        if needsComma { text += "," }
    }

    private mutating func key(_ key: String) {
        separate()
        appendString(key)
        text += ":"
        needsComma = false
    }

    private mutating func appendString(_ value: String) {
        text += "\""
        // Ids, types and timestamps never need escaping: append them whole.
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            text += value
            text += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
