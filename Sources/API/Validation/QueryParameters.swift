/// A request's query parameters, read straight out of the request target:
/// the first value given for a name, percent-decoded.
///
/// Hummingbird's `queryParameters` builds a dictionary of every pair on each
/// call and the controllers built a `[String: String]` from it (hashing each
/// name twice more), about 2 % of the CPU in a W1 profile. A nearby query
/// names five parameters at most: each is found by scanning the query's
/// fifty-odd bytes in place, which allocates nothing. In place as bytes, not
/// as `Substring`s: slicing and searching those cost more than the
/// dictionaries did (a W1 profile of a first version).
struct QueryParameters {
    private let target: String
    /// Byte offsets of the query (between `?` and `#`) in `target`.
    private let query: Range<Int>

    /// - Parameter target: the request target, `/path?query#fragment`.
    init(_ target: String) {
        var target = target
        target.makeContiguousUTF8()
        self.target = target
        query = target.utf8.withContiguousStorageIfAvailable { bytes in
            guard let mark = bytes.firstIndex(of: UInt8(ascii: "?")) else { return bytes.count..<bytes.count }
            return (mark + 1)..<(bytes[(mark + 1)...].firstIndex(of: UInt8(ascii: "#")) ?? bytes.count)
        } ?? 0..<0
    }

    /// The first value given for `name` (empty for a bare `name`), percent-decoded;
    /// as sent when its escapes are not valid UTF-8.
    subscript(name: String) -> String? {
        value(name) { String(decoding: $0, as: UTF8.self) }
    }

    /// `read` applied to the bytes of the first value given for `name`,
    /// decoded as the subscript decodes it; nil when `name` is not given.
    /// Numbers are read from these bytes without a String in between.
    func value<Result>(_ name: String, _ read: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        var name = name
        return name.withUTF8 { name in
            var found: Result?
            forEachPair { candidate, value in
                guard candidate.elementsEqual(name) else { return true }
                guard value.contains(UInt8(ascii: "%")) else {
                    found = read(UnsafeBufferPointer(rebasing: value))
                    return false
                }
                let text = String(decoding: value, as: UTF8.self)
                var decoded = text.percentDecoded ?? text
                found = decoded.withUTF8(read)
                return false
            }
            return found
        }
    }

    /// Every value given for `name`, in order, as an HTML form encodes text:
    /// `+` is a space (Python's `urlencode`, and so requests, sends spaces so),
    /// then percent escapes are decoded as the subscript decodes them. For
    /// free text (attribute filters); the other parameters are names and
    /// numbers, where `+` is a sign.
    func formValues(_ name: String) -> [String] {
        var name = name
        return name.withUTF8 { name in
            var found: [String] = []
            forEachPair { candidate, value in
                if candidate.elementsEqual(name) {
                    let text = String(decoding: value.map { $0 == UInt8(ascii: "+") ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
                    found.append(value.contains(UInt8(ascii: "%")) ? text.percentDecoded ?? text : text)
                }
                return true
            }
            return found
        }
    }

    /// Every name given with its first value, decoded as the subscript decodes it.
    var firstValues: [String: String] {
        var names: [String] = []
        forEachPair { name, _ in
            names.append(String(decoding: name, as: UTF8.self))
            return true
        }
        var values: [String: String] = [:]
        for name in names where values[name] == nil { values[name] = self[name] }
        return values
    }

    /// The first name given that satisfies `predicate` (an unknown option, say).
    func firstName(where predicate: (String) -> Bool) -> String? {
        var found: String?
        forEachPair { name, _ in
            let text = String(decoding: name, as: UTF8.self)
            guard predicate(text) else { return true }
            found = text
            return false
        }
        return found
    }

    /// Calls `body` with each non-empty `name=value` pair's bytes, in order,
    /// while it returns true.
    private func forEachPair(_ body: (Slice<UnsafeBufferPointer<UInt8>>, Slice<UnsafeBufferPointer<UInt8>>) -> Bool) {
        _ = target.utf8.withContiguousStorageIfAvailable { bytes in
            var start = query.lowerBound
            while start < query.upperBound {
                let end = bytes[start..<query.upperBound].firstIndex(of: UInt8(ascii: "&")) ?? query.upperBound
                if start < end {
                    let pair = bytes[start..<end]
                    let equals = pair.firstIndex(of: UInt8(ascii: "=")) ?? end
                    guard body(bytes[start..<equals], bytes[min(equals + 1, end)..<end]) else { return }
                }
                start = end + 1
            }
        }
    }
}
