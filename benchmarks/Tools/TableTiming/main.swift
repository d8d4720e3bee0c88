// W7: the 100 × 100 table in-process, timed per table. Reads the network
// bench.sh exported (edges CSV: gid,source,target,cost_s,reverse_cost_s,
// length_m; turns CSV: from,via,to,cost; vertices CSV: id,lng,lat) and the
// 100 vertex ids, snaps each vertex's coordinates as a request's are
// snapped, computes the table `rounds` times, and prints one JSON result
// line with its median and p99. The same vertices go to
// pgr_dijkstraCostMatrix and to pandana in the same run (neither knows turns).
import Foundation
import GeoCore

let arguments = CommandLine.arguments
guard arguments.count == 7, let rounds = Int(arguments[6]) else {
    fatalError("usage: TableTiming NETWORK_NAME EDGES.csv TURNS.csv VERTICES.csv IDS.csv ROUNDS")
}
let name = arguments[1]

func rows(_ path: String) throws -> [[Substring]] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",") }
}

var places: [Int64: Coordinate] = [:]
for field in try rows(arguments[4]) {
    places[Int64(field[0])!] = try Coordinate(latitude: Double(field[2])!, longitude: Double(field[1])!)
}
// Each edge drawn straight between its vertices: enough to snap a vertex's
// own coordinates onto it and its other edges.
let edges = try rows(arguments[2]).map { field in
    let (source, target) = (Int64(field[1])!, Int64(field[2])!)
    return RoadEdge(id: Int64(field[0])!, source: source, target: target, cost: Double(field[3])!,
                    reverseCost: Double(field[4])!, lengthMeters: Double(field[5])!, points: [places[source]!, places[target]!])
}
let turns = try rows(arguments[3]).map { RoadTurn(from: Int64($0[0])!, via: Int64($0[1])!, to: Int64($0[2])!, seconds: Double($0[3])!) }
let ids = try rows(arguments[5]).map { Int64($0[0])! }
let router = RoadRouter(graph: RoadGraph(edges: edges, turns: turns))
let ends = ids.map { router.snap(places[$0]!, maximumDistanceMeters: 1)! }

var milliseconds: [Double] = []
var checksum = 0.0
let clock = ContinuousClock()
for _ in 0..<rounds {
    let start = clock.now
    let table = router.table(from: ends, to: ends)
    let elapsed = clock.now - start
    milliseconds.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3)
    checksum += table.durations.reduce(0) { $0 + ($1 ?? 0) }
}
milliseconds.sort()
let result: [String: Any] = [
    "workload": "W7", "system": "wayline", "operation": name,
    "p50_ms": milliseconds[milliseconds.count / 2], "p99_ms": milliseconds[min(milliseconds.count - 1, milliseconds.count * 99 / 100)],
    "note": "\(ids.count) x \(ids.count), \(router.graph.vertexCount) vertices", "checksum": checksum,
    "command": "benchmarks/.build/release/TableTiming \(name) (\(ids.count) x \(ids.count) durations and distances, \(rounds) rounds)",
]
print(String(decoding: try JSONSerialization.data(withJSONObject: result), as: UTF8.self))
