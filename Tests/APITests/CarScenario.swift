import Foundation

/// One behaviour scenario of the car profile, written as OSRM writes its
/// `features/car/*.feature` (a node map, ways, nodes, relations, and routes
/// with the way names they should follow), so that the same cases can be read
/// beside OSRM's. The file format is the subset of Gherkin those use:
///
///     Scenario: a title
///         Given a grid size of 200 meters        (optional; 100 by default)
///         Given the node map
///             """
///               a
///             d j b
///             """
///         And the ways | And the nodes | And the relations   (tables)
///         When I route I should get                           (a table)
///
/// In a map each character is half a grid cell wide and each row a cell
/// high. Letters are OpenStreetMap nodes; digits are points to route from
/// or to that are not nodes; anything else is drawing. A way's `highway` is
/// `primary` and its `name` its node letters unless its row says otherwise.
struct CarScenario {
    typealias Table = [[String: String]]

    var title: String
    var file: String
    var gridMeters = 100.0
    var map: [String] = []
    var ways: Table = []
    var nodes: Table = []
    var relations: Table = []
    var routes: Table = []

    /// The route a row expects, one name per way followed, consecutive repeats
    /// dropped (OSRM's `route` column repeats the last name for the arrival);
    /// empty when no route may be found.
    static func names(_ route: String) -> [String] {
        let names = route.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return names.enumerated().filter { $0.offset == 0 || names[$0.offset - 1] != $0.element }.map(\.element)
    }

    /// A `time` cell, `71s +-1`: the seconds and the tolerance (1 s when not given).
    static func time(_ cell: String) -> (seconds: Double, tolerance: Double) {
        let parts = cell.replacingOccurrences(of: "s", with: "").components(separatedBy: "+-").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        return (parts[0] ?? .nan, parts.count > 1 ? parts[1] ?? 1 : 1)
    }

    /// Every scenario of the `.feature` files in `directory`, in file order.
    static func load(directory: URL) throws -> [CarScenario] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".feature") }.sorted()
        return try files.flatMap { try parse(String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8), file: $0) }
    }

    static func parse(_ text: String, file: String) throws -> [CarScenario] {
        var scenarios: [CarScenario] = []
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[...]
        var current: CarScenario?
        var pendingTable: WritableKeyPath<CarScenario, Table>?
        while let raw = lines.popFirst() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") || line.hasPrefix("@") { continue }
            if line.hasPrefix("Scenario:") {
                if let current { scenarios.append(current) }
                current = CarScenario(title: String(line.dropFirst("Scenario:".count)).trimmingCharacters(in: .whitespaces), file: file)
                continue
            }
            guard current != nil else { continue }
            if line.hasPrefix("|") {
                guard let key = pendingTable else { throw ScenarioError.syntax(file, raw) }
                var rows = [raw]
                while let next = lines.first, next.trimmingCharacters(in: .whitespaces).hasPrefix("|") { rows.append(lines.removeFirst()) }
                current![keyPath: key] += table(rows)
                pendingTable = nil
            } else if line == "\"\"\"" {
                var map: [String] = []
                while let next = lines.popFirst(), next.trimmingCharacters(in: .whitespaces) != "\"\"\"" { map.append(next) }
                let indent = map.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map { $0.prefix { $0 == " " }.count }.min() ?? 0
                current!.map = map.map { String($0.dropFirst(min(indent, $0.prefix { $0 == " " }.count))) }
            } else if let grid = line.firstMatch(of: /a grid size of ([0-9.]+) meters/) {
                current!.gridMeters = Double(grid.1)!
            } else if line.hasSuffix("the ways") {
                pendingTable = \.ways
            } else if line.hasSuffix("the nodes") {
                pendingTable = \.nodes
            } else if line.hasSuffix("the relations") {
                pendingTable = \.relations
            } else if line.hasSuffix("I route I should get") {
                pendingTable = \.routes
            } else if !line.isEmpty, !line.hasSuffix("the node map"), !line.hasPrefix("Feature:"), !line.hasPrefix("Background:") {
                throw ScenarioError.syntax(file, raw)
            }
        }
        if let current { scenarios.append(current) }
        return scenarios
    }

    private static func table(_ rows: [String]) -> Table {
        func cells(_ row: String) -> [String] {
            row.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast().map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let header = cells(rows[0])
        return rows.dropFirst().map { row in
            Dictionary(zip(header, cells(row)).filter { !$0.1.isEmpty }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Where each letter and digit of the map lies, with the map's top-left
    /// corner at `origin` (longitude, latitude).
    func points(origin: (lng: Double, lat: Double)) -> [Character: (lng: Double, lat: Double)] {
        let metresPerDegree = 111_319.49
        var points: [Character: (lng: Double, lat: Double)] = [:]
        for (row, line) in map.enumerated() {
            for (column, character) in line.enumerated() where character.isLetter || character.isNumber {
                let east = Double(column) * 0.5 * gridMeters
                let south = Double(row) * gridMeters
                points[character] = (origin.lng + east / (metresPerDegree * cos(origin.lat * .pi / 180)), origin.lat - south / metresPerDegree)
            }
        }
        return points
    }
}

enum ScenarioError: Error, CustomStringConvertible {
    case syntax(String, String)
    case unknown(String, String)

    var description: String {
        switch self {
        case .syntax(let file, let line): "\(file): cannot read \"\(line)\""
        case .unknown(let scenario, let name): "\(scenario): no node or way \"\(name)\""
        }
    }
}
