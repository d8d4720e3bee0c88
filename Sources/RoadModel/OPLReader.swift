import Foundation

/// One object of an OpenStreetMap extract in osmium's OPL text format, as
/// `osmium cat -f opl,add_metadata=false` writes it: osmium (libosmium) reads
/// PBF and XML, and Wayline reads only its line-per-object output.
public enum OSMObject: Equatable {
    case node(id: Int64, longitude: Double, latitude: Double, tags: [String: String])
    case way(id: Int64, tags: [String: String], nodes: [Int64])
    case relation(id: Int64, tags: [String: String], members: [OSMMember])
}

public struct OSMMember: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case node, way, relation }
    public let kind: Kind
    public let id: Int64
    public let role: String
}

public enum OPLError: Error, CustomStringConvertible {
    case malformed(line: Int, reason: String)

    public var description: String {
        switch self {
        case .malformed(let line, let reason): "OPL line \(line): \(reason)"
        }
    }
}

/// Reads OPL lines one at a time, so an extract is never held whole in memory.
public struct OPLReader {
    private let file: UnsafeMutablePointer<FILE>
    private var lineNumber = 0

    public init(path: String) throws {
        guard let file = fopen(path, "r") else { throw OPLError.malformed(line: 0, reason: "cannot open \(path)") }
        self.file = file
    }

    public func close() { fclose(file) }

    /// The next object, nil at the end of the file.
    public mutating func next() throws -> OSMObject? {
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        while getline(&buffer, &capacity, file) > 0 {
            lineNumber += 1
            let line = String(cString: buffer!)
            let trimmed = line.hasSuffix("\n") ? line.dropLast() : Substring(line)
            if trimmed.isEmpty { continue }
            return try Self.parse(trimmed, line: lineNumber)
        }
        return nil
    }

    static func parse(_ line: Substring, line number: Int) throws -> OSMObject {
        let fields = line.split(separator: " ")
        guard let head = fields.first, let type = head.first, let id = Int64(head.dropFirst()) else {
            throw OPLError.malformed(line: number, reason: "no object type and id")
        }
        var tags: [String: String] = [:]
        var longitude: Double?
        var latitude: Double?
        var nodes: [Int64] = []
        var members: [OSMMember] = []
        for field in fields.dropFirst() {
            let value = field.dropFirst()
            switch field.first {
            case "T": tags = try parseTags(value, line: number)
            case "x": longitude = Double(value)
            case "y": latitude = Double(value)
            case "N": nodes = try value.split(separator: ",").map { reference in
                guard reference.first == "n", let node = Int64(reference.dropFirst()) else {
                    throw OPLError.malformed(line: number, reason: "bad node reference \(reference)")
                }
                return node
            }
            case "M": members = try value.split(separator: ",").map { try parseMember($0, line: number) }
            default: continue
            }
        }
        switch type {
        case "n":
            // A node without a location (deleted, or outside the extract) keeps NaN and is skipped by the builder.
            return .node(id: id, longitude: longitude ?? .nan, latitude: latitude ?? .nan, tags: tags)
        case "w": return .way(id: id, tags: tags, nodes: nodes)
        case "r": return .relation(id: id, tags: tags, members: members)
        default: throw OPLError.malformed(line: number, reason: "unknown object type \(type)")
        }
    }

    private static func parseTags(_ text: Substring, line: Int) throws -> [String: String] {
        var tags: [String: String] = [:]
        for pair in text.split(separator: ",") {
            guard let equals = pair.firstIndex(of: "=") else { throw OPLError.malformed(line: line, reason: "tag without =") }
            tags[try unescape(pair[..<equals], line: line)] = try unescape(pair[pair.index(after: equals)...], line: line)
        }
        return tags
    }

    private static func parseMember(_ text: Substring, line: Int) throws -> OSMMember {
        guard let at = text.firstIndex(of: "@"), let id = Int64(text[text.index(after: text.startIndex)..<at]) else {
            throw OPLError.malformed(line: line, reason: "bad member \(text)")
        }
        let kind: OSMMember.Kind
        switch text.first {
        case "n": kind = .node
        case "w": kind = .way
        case "r": kind = .relation
        default: throw OPLError.malformed(line: line, reason: "bad member type in \(text)")
        }
        return OSMMember(kind: kind, id: id, role: try unescape(text[text.index(after: at)...], line: line))
    }

    /// OPL writes `%hex%` for a character that would end a field (space, comma, `=`, `@`, `%`, …).
    static func unescape(_ text: Substring, line: Int) throws -> String {
        guard text.contains("%") else { return String(text) }
        var result = ""
        var rest = text[...]
        while let percent = rest.firstIndex(of: "%") {
            result += rest[..<percent]
            let after = rest.index(after: percent)
            guard let close = rest[after...].firstIndex(of: "%"),
                  let code = UInt32(rest[after..<close], radix: 16), let scalar = Unicode.Scalar(code) else {
                throw OPLError.malformed(line: line, reason: "bad escape in \(text)")
            }
            result.unicodeScalars.append(scalar)
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}
