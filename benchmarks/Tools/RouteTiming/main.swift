// W4: route computation in-process, timed per query. Reads the network, its
// turns and the vertex pairs bench.sh exported (CSV: gid,source,target,cost_s,
// reverse_cost_s,length_m; from,via,to,cost; source,target), answers every
// pair `rounds` times, and prints one JSON result line with the median and
// p99 per query. The same pairs go to pgr_trsp through pgbench in the same run.
import Foundation
import GeoCore

let arguments = CommandLine.arguments
guard arguments.count == 6, let rounds = Int(arguments[5]) else {
    fatalError("usage: RouteTiming NETWORK_NAME EDGES.csv TURNS.csv PAIRS.csv ROUNDS")
}
let name = arguments[1]

func rows(_ path: String) throws -> [[Substring]] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",") }
}

let edges = try rows(arguments[2]).map { field in
    RoadEdge(id: Int64(field[0])!, source: Int64(field[1])!, target: Int64(field[2])!, cost: Double(field[3])!,
             reverseCost: Double(field[4])!, lengthMeters: Double(field[5])!, points: [])
}
let turns = try rows(arguments[3]).map { RoadTurn(from: Int64($0[0])!, via: Int64($0[1])!, to: Int64($0[2])!, seconds: Double($0[3])!) }
let pairs = try rows(arguments[4]).map { (Int64($0[0])!, Int64($0[1])!) }
let built = ContinuousClock().measure { _ = RoadRouter(graph: RoadGraph(edges: edges, turns: turns)) }
let router = RoadRouter(graph: RoadGraph(edges: edges, turns: turns))

var nanoseconds: [Double] = []
var checksum = 0.0
let clock = ContinuousClock()
for _ in 0..<rounds {
    for (source, target) in pairs {
        let start = clock.now
        let cost = router.shortestPath(fromVertex: source, toVertex: target)?.cost
        let elapsed = clock.now - start
        nanoseconds.append(Double(elapsed.components.attoseconds) / 1e9 + Double(elapsed.components.seconds) * 1e9)
        checksum += cost ?? 0
    }
}
nanoseconds.sort()
let result: [String: Any] = [
    "workload": "W4", "system": "wayline", "operation": name,
    "p50_ms": nanoseconds[nanoseconds.count / 2] / 1e6, "p99_ms": nanoseconds[nanoseconds.count * 99 / 100] / 1e6,
    "note": "\(router.graph.vertexCount) road arcs (turn-expanded), hierarchy built in \(built)", "checksum": checksum,
    "command": "benchmarks/.build/release/RouteTiming \(name) (\(pairs.count) pairs × \(rounds), cost and path per query)",
]
print(String(decoding: try JSONSerialization.data(withJSONObject: result), as: UTF8.self))
