/// A request's query parameters, read straight out of the request target:
/// the first value given for a name, percent-decoded.
///
/// Hummingbird's `queryParameters` builds a dictionary of every pair on each
/// call and the controllers built a `[String: String]` from it (hashing each
/// name twice more), about 2 % of the CPU in a W1 profile; a nearby query
/// names five parameters at most, and finding each by scanning fifty bytes
/// allocates nothing.
struct QueryParameters {
    private let query: Substring

    /// - Parameter target: the request target, `/path?query#fragment`.
    init(_ target: String) {
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else {
            query = ""
            return
        }
        let afterMark = target[target.utf8.index(after: mark)...]
        query = afterMark.utf8.firstIndex(of: UInt8(ascii: "#")).map { afterMark[..<$0] } ?? afterMark
    }

    /// The first value given for `name` (empty for a bare `name`), percent-decoded;
    /// as sent when its escapes are not valid UTF-8.
    subscript(name: String) -> String? {
        for (candidate, value) in pairs where candidate.utf8.elementsEqual(name.utf8) {
            let text = String(value)
            return text.percentDecoded ?? text
        }
        return nil
    }

    /// Each name given, once, in the order first given.
    var names: [String] {
        var seen: [String] = []
        for (name, _) in pairs where !seen.contains(where: { $0.utf8.elementsEqual(name.utf8) }) {
            seen.append(String(name))
        }
        return seen
    }

    /// The `name=value` pairs in order, without empty ones; found one at a
    /// time, since splitting the query would make an array of them.
    private var pairs: some Sequence<(name: Substring, value: Substring)> {
        sequence(state: query) { rest -> (name: Substring, value: Substring)? in
            while !rest.isEmpty {
                let end = rest.utf8.firstIndex(of: UInt8(ascii: "&")) ?? rest.endIndex
                let pair = rest[..<end]
                rest = end == rest.endIndex ? rest[end...] : rest[rest.utf8.index(after: end)...]
                guard !pair.isEmpty else { continue }
                guard let equals = pair.utf8.firstIndex(of: UInt8(ascii: "=")) else { return (pair, pair[pair.endIndex...]) }
                return (pair[..<equals], pair[pair.utf8.index(after: equals)...])
            }
            return nil
        }
    }
}
