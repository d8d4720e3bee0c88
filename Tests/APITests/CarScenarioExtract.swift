import Foundation

/// Many scenarios as one OpenStreetMap XML extract, each in a place of its
/// own (side by side along the equator, 5 km apart, farther than any
/// snapping reaches), so that one import serves them all.
struct CarScenarioExtract {
    private(set) var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n" + #"<osm version="0.6" generator="wayline tests">"# + "\n"
    /// Each scenario's letters and digits, by scenario index.
    private(set) var points: [[Character: (lng: Double, lat: Double)]] = []

    init(_ scenarios: [CarScenario]) throws {
        var west = -170.0
        for (index, scenario) in scenarios.enumerated() {
            try add(scenario, index: index, origin: (lng: west, lat: 1))
            west = (points[index].values.map(\.lng).max() ?? west) + 0.05
        }
        xml += "</osm>\n"
    }

    private mutating func add(_ scenario: CarScenario, index: Int, origin: (lng: Double, lat: Double)) throws {
        let base = Int64(index + 1) * 1_000
        let located = scenario.points(origin: origin)
        points.append(located)
        func node(_ letter: Character) throws -> Int64 {
            guard located[letter] != nil, letter.isLetter else { throw ScenarioError.unknown(scenario.title, String(letter)) }
            return base + Int64(letter.unicodeScalars.first!.value)
        }
        let nodeTags = Dictionary(scenario.nodes.compactMap { row in row["node"].flatMap(\.first).map { ($0, row) } }, uniquingKeysWith: { a, _ in a })
        for (letter, point) in located.sorted(by: { $0.key < $1.key }) where letter.isLetter {
            let tags = (nodeTags[letter] ?? [:]).filter { $0.key != "node" }
            xml += #" <node id="\#(try node(letter))" version="1" lat="\#(point.lat)" lon="\#(point.lng)">"# + Self.tags(tags) + "</node>\n"
        }
        var wayIDs: [String: Int64] = [:]
        for (offset, row) in scenario.ways.enumerated() {
            guard let letters = row["nodes"] else { throw ScenarioError.syntax(scenario.file, "a way without nodes in \(scenario.title)") }
            let id = base + Int64(offset) + 1
            wayIDs[letters] = id
            var tags = row.filter { $0.key != "nodes" }
            if row["highway"] == nil, row["route"] == nil { tags["highway"] = "primary" }
            tags["name"] = tags["name"] ?? letters
            let references = try letters.map { #"<nd ref="\#(try node($0))"/>"# }.joined()
            xml += #" <way id="\#(id)" version="1">"# + references + Self.tags(tags) + "</way>\n"
        }
        for (offset, row) in scenario.relations.enumerated() {
            func way(_ name: String) throws -> Int64 {
                // A relation may name a way by its letters either way round.
                guard let id = wayIDs[name] ?? wayIDs[String(name.reversed())] else { throw ScenarioError.unknown(scenario.title, name) }
                return id
            }
            var members = ""
            var tags: [String: String] = [:]
            for (key, value) in row.sorted(by: { $0.key < $1.key }) {
                switch key {
                case "way:from", "way:to":
                    members += #"<member type="way" ref="\#(try way(value))" role="\#(key.dropFirst(4))"/>"#
                case "node:via":
                    members += #"<member type="node" ref="\#(try node(value.first ?? " "))" role="via"/>"#
                case "way:via":
                    for name in value.split(separator: ",") {
                        members += #"<member type="way" ref="\#(try way(name.trimmingCharacters(in: .whitespaces)))" role="via"/>"#
                    }
                default: tags[key] = value
                }
            }
            xml += #" <relation id="\#(base + Int64(offset) + 1)" version="1">"# + members + Self.tags(tags) + "</relation>\n"
        }
    }

    private static func tags(_ tags: [String: String]) -> String {
        tags.sorted { $0.key < $1.key }.map { #"<tag k="\#(escape($0.key))" v="\#(escape($0.value))"/>"# }.joined()
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
