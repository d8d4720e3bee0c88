/// Splits a SQL script into its statements.
///
/// PostgresNIO speaks only the extended query protocol, which takes one
/// statement per query, so a migration file has to be cut at its top-level
/// semicolons. The scanner knows what can hide a semicolon: 'strings' (with ''
/// escapes), E'strings' (with backslash escapes), "identifiers", $tag$ dollar
/// quotes $tag$, -- line comments and nested /* block comments */. Statements
/// that hold only comments and white space are dropped.
public enum SQLScript {
    public static func statements(in script: String) -> [String] {
        let bytes = Array(script.utf8)
        var statements: [String] = []
        var start = 0
        var hasCode = false
        var index = 0

        func flush(upTo end: Int) {
            if hasCode {
                let text = String(decoding: bytes[start..<end], as: UTF8.self)
                statements.append(text.trimmingWhitespace())
            }
            hasCode = false
        }

        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "-") where next(bytes, index) == UInt8(ascii: "-"):
                index = skipLineComment(bytes, from: index)
            case UInt8(ascii: "/") where next(bytes, index) == UInt8(ascii: "*"):
                index = skipBlockComment(bytes, from: index)
            case UInt8(ascii: "'"):
                let escapes = index > 0 && (bytes[index - 1] | 0x20) == UInt8(ascii: "e")
                    && (index < 2 || !isIdentifier(bytes[index - 2]))
                index = skipQuoted(bytes, from: index, quote: byte, backslashEscapes: escapes)
                hasCode = true
            case UInt8(ascii: "\""):
                index = skipQuoted(bytes, from: index, quote: byte, backslashEscapes: false)
                hasCode = true
            case UInt8(ascii: "$") where index == 0 || !isIdentifier(bytes[index - 1]):
                index = skipDollarQuoted(bytes, from: index)
                hasCode = true
            case UInt8(ascii: ";"):
                flush(upTo: index)
                index += 1
                start = index
            default:
                if !isWhitespace(byte) { hasCode = true }
                index += 1
            }
        }
        flush(upTo: bytes.count)
        return statements
    }

    private static func next(_ bytes: [UInt8], _ index: Int) -> UInt8? {
        index + 1 < bytes.count ? bytes[index + 1] : nil
    }

    private static func skipLineComment(_ bytes: [UInt8], from index: Int) -> Int {
        var index = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
        return index
    }

    private static func skipBlockComment(_ bytes: [UInt8], from index: Int) -> Int {
        var depth = 0
        var index = index
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "/"), next(bytes, index) == UInt8(ascii: "*") {
                depth += 1
                index += 2
            } else if bytes[index] == UInt8(ascii: "*"), next(bytes, index) == UInt8(ascii: "/") {
                depth -= 1
                index += 2
                if depth == 0 { return index }
            } else {
                index += 1
            }
        }
        return index
    }

    private static func skipQuoted(_ bytes: [UInt8], from index: Int, quote: UInt8, backslashEscapes: Bool) -> Int {
        var index = index + 1
        while index < bytes.count {
            if backslashEscapes, bytes[index] == UInt8(ascii: "\\") {
                index += 2
            } else if bytes[index] == quote {
                // A doubled quote is an escaped quote, not the end.
                if next(bytes, index) == quote { index += 2 } else { return index + 1 }
            } else {
                index += 1
            }
        }
        return index
    }

    /// `$tag$ … $tag$` where the tag is empty or an identifier not starting with
    /// a digit. A `$` that starts no such tag (a `$1` parameter) is ordinary text.
    private static func skipDollarQuoted(_ bytes: [UInt8], from index: Int) -> Int {
        var end = index + 1
        while end < bytes.count, isIdentifier(bytes[end]), bytes[end] != UInt8(ascii: "$") { end += 1 }
        let tagIsValid = end < bytes.count && bytes[end] == UInt8(ascii: "$")
            && (end == index + 1 || !isDigit(bytes[index + 1]))
        guard tagIsValid else { return index + 1 }
        let tag = bytes[index...end]
        var search = end + 1
        while search + tag.count <= bytes.count {
            if bytes[search] == UInt8(ascii: "$"), bytes[search..<(search + tag.count)].elementsEqual(tag) {
                return search + tag.count
            }
            search += 1
        }
        return bytes.count
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static func isIdentifier(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || byte >= 0x80
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
