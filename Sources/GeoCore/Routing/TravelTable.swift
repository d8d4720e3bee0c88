/// Travel times and distances from every source to every destination:
/// OSRM's table service. `nil` where no open road joins the two.
public struct TravelTable: Sendable, Equatable {
    public let sourceCount: Int
    public let destinationCount: Int
    /// Row-major: source i, destination j at `i * destinationCount + j`.
    public let durations: [Double?]
    public let distances: [Double?]

    public func duration(_ source: Int, _ destination: Int) -> Double? { durations[source * destinationCount + destination] }
    public func distance(_ source: Int, _ destination: Int) -> Double? { distances[source * destinationCount + destination] }
}

/// The backward half of a table: what one backward search up the hierarchy
/// from each destination left at the vertices it settled, so that any
/// number of sources can be timed against the destinations, in one table or
/// in several (nearby by road time times drivers a group at a time).
public struct DestinationBuckets: Sendable {
    public let destinations: [RoadEnd]
    /// Every (vertex, destination, cost, length), sorted by vertex, so that a
    /// forward search reads each vertex's bucket as one contiguous run.
    fileprivate let entries: [BucketEntry]
    /// Where each vertex's run starts and ends (empty for most vertices).
    fileprivate let runStart: [Int32]
    fileprivate let runEnd: [Int32]
    /// The destinations' snaps by edge: ends on a common edge also compare the way along it.
    fileprivate let onEdge: [Int32: [(destination: Int, snap: RoadSnap)]]
}

extension RoadRouter {
    /// The table between snapped ends, by the bucket method on the
    /// hierarchy: one backward search up from each destination leaves its
    /// costs in buckets at the vertices it settles, then one forward search
    /// up from each source meets them; no route per pair. Ends on one edge
    /// also compare the way along it, as `route` does.
    public func table(from sources: [RoadEnd], to destinations: [RoadEnd]) -> TravelTable {
        table(from: sources, to: buckets(to: destinations))
    }

    /// The backward searches of a table to `destinations`.
    public func buckets(to destinations: [RoadEnd]) -> DestinationBuckets {
        var entries: [BucketEntry] = []
        withUpwardSearch { search in
            for (j, end) in destinations.enumerated() {
                let seeds = end.snaps.flatMap(destinationSeeds).map(\.end)
                search.run(hierarchy.downwardArcs, stallingBy: hierarchy.upwardArcs, lengths: hierarchy.lengths, from: seeds) { vertex, cost, length in
                    entries.append(BucketEntry(vertex: vertex, destination: Int32(j), cost: cost, length: length))
                }
            }
        }
        entries.sort { $0.vertex < $1.vertex }
        var runStart = [Int32](repeating: 0, count: graph.vertexCount)
        var runEnd = [Int32](repeating: 0, count: graph.vertexCount)
        var first = 0
        for index in entries.indices where index + 1 == entries.count || entries[index + 1].vertex != entries[index].vertex {
            runStart[Int(entries[index].vertex)] = Int32(first)
            runEnd[Int(entries[index].vertex)] = Int32(index + 1)
            first = index + 1
        }
        var onEdge: [Int32: [(destination: Int, snap: RoadSnap)]] = [:]
        for (j, end) in destinations.enumerated() {
            for snap in end.snaps { onEdge[snap.edge, default: []].append((j, snap)) }
        }
        return DestinationBuckets(destinations: destinations, entries: entries, runStart: runStart, runEnd: runEnd, onEdge: onEdge)
    }

    /// The table from `sources` to the destinations of `buckets`: one forward search up from each source.
    public func table(from sources: [RoadEnd], to buckets: DestinationBuckets) -> TravelTable {
        let width = buckets.destinations.count
        var durations = [Double](repeating: .infinity, count: sources.count * width)
        var distances = [Double](repeating: 0, count: sources.count * width)
        withUpwardSearch { search in
            buckets.entries.withUnsafeBufferPointer { entries in
                for (i, end) in sources.enumerated() {
                    let seeds = end.snaps.flatMap(originSeeds).map(\.end)
                    let row = i * width
                    search.run(hierarchy.upwardArcs, stallingBy: hierarchy.downwardArcs, lengths: hierarchy.lengths, from: seeds) { vertex, cost, length in
                        let run = Int(buckets.runStart[Int(vertex)])..<Int(buckets.runEnd[Int(vertex)])
                        for entry in entries[run] where cost + entry.cost < durations[row + Int(entry.destination)] {
                            durations[row + Int(entry.destination)] = cost + entry.cost
                            distances[row + Int(entry.destination)] = length + entry.length
                        }
                    }
                }
            }
        }
        // Ends on a common edge: the way along it may beat the network's.
        for (i, end) in sources.enumerated() {
            for from in end.snaps {
                for (j, to) in buckets.onEdge[from.edge] ?? [] {
                    guard let cost = directCost(from, to)?.cost, cost < durations[i * width + j] else { continue }
                    durations[i * width + j] = cost
                    distances[i * width + j] = abs(to.fraction - from.fraction) * graph.edges[Int(from.edge)].lengthMeters
                }
            }
        }
        let reachable = durations.map { $0.isFinite }
        return TravelTable(
            sourceCount: sources.count, destinationCount: width,
            durations: zip(durations, reachable).map { $1 ? RoadTurn.seconds(ofWeight: $0) : nil }, distances: zip(distances, reachable).map { $1 ? $0 : nil }
        )
    }
}

/// What a backward search left at a vertex: the destination, and its cost and length from there.
private struct BucketEntry: Sendable {
    let vertex: Int32
    let destination: Int32
    let cost: Double
    let length: Double
}
