import Foundation

/// Turns `type=restriction` relations into forbidden segment sequences.
///
/// `no_*` forbids from → (via) → to; `only_*` forbids from → (via) → every
/// other road at the last junction. A car obeys `restriction` and the
/// `restriction:motorcar|motor_vehicle|vehicle` keys, and is exempt when
/// `except` names one of those modes. `*_on_red` values are ignored.
struct RestrictionResolver {
    let profile: CarProfile
    let nodeIndex: [Int64: Int32]
    let segmentsAt: [NodeOfWay: [Int64]]
    /// The vertex at each node that is one (a blocking barrier is none).
    let vertexOf: [Int32: Int64]
    /// Segments ending at each node, of any way.
    private let segmentsAtNode: [Int32: [Int64]]
    /// Each way's segments in drawing order, with their end nodes.
    private let waySegments: [Int64: [(id: Int64, first: Int64, last: Int64)]]

    init(profile: CarProfile, nodeIndex: [Int64: Int32], segmentsAt: [NodeOfWay: [Int64]], segments: [RoadSegment], vertexOf: [Int32: Int64]) {
        self.profile = profile
        self.vertexOf = vertexOf
        self.nodeIndex = nodeIndex
        self.segmentsAt = segmentsAt
        var atNode: [Int32: [Int64]] = [:]
        for (key, ids) in segmentsAt { atNode[key.node, default: []] += ids }
        segmentsAtNode = atNode.mapValues { Array(Set($0)).sorted() }
        var ofWay: [Int64: [(id: Int64, first: Int64, last: Int64)]] = [:]
        for segment in segments { ofWay[segment.wayID, default: []].append((segment.id, segment.nodes.first!, segment.nodes.last!)) }
        waySegments = ofWay
    }

    /// The restriction value a car obeys, nil when the relation is not for cars.
    func value(_ tags: [String: String]) -> String? {
        if let except = tags["except"] {
            let exempt = Set(except.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) })
            if !exempt.isDisjoint(with: profile.restrictionModes) { return nil }
        }
        if let specific = profile.restrictionModes.lazy.compactMap({ tags["restriction:\($0)"] }).first { return specific }
        return tags["restriction"]
    }

    func applies(_ tags: [String: String]) -> Bool { value(tags) != nil }

    /// The forbidden sequences, nil when the relation does not apply or cannot be placed on the network.
    func resolve(id: Int64, tags: [String: String], members: [OSMMember]) -> [TurnRestriction]? {
        guard let value = value(tags) else { return nil }
        let only = value.hasPrefix("only_")
        // `no_right_turn_on_red` and the like bind at a red light only, which no router models.
        guard only || value.hasPrefix("no_"), !value.hasSuffix("_on_red") else { return nil }
        let from = members.filter { $0.role == "from" && $0.kind == .way }
        let to = members.filter { $0.role == "to" && $0.kind == .way }
        let via = members.filter { $0.role == "via" }
        guard from.count == 1, to.count == 1, !via.isEmpty else { return nil }
        let (fromWay, toWay) = (from[0].id, to[0].id)

        var prefixes: [[Int64]] = []
        let lastNode: Int32
        if via.count == 1, via[0].kind == .node {
            guard let node = nodeIndex[via[0].id] else { return nil }
            // A from or to way that runs on through the via node leaves the turn ambiguous: OSRM ignores such relations.
            guard (segmentsAt[NodeOfWay(way: fromWay, node: node)] ?? []).count <= 1,
                  (segmentsAt[NodeOfWay(way: toWay, node: node)] ?? []).count <= 1 else { return nil }
            prefixes = (segmentsAt[NodeOfWay(way: fromWay, node: node)] ?? []).map { [$0] }
            lastNode = node
        } else {
            guard via.allSatisfy({ $0.kind == .way }), let chain = chain(from: fromWay, via: via.map(\.id), to: toWay) else { return nil }
            prefixes = [chain.path]
            lastNode = chain.lastNode
        }
        let targets = segmentsAt[NodeOfWay(way: toWay, node: lastNode)] ?? []
        guard !prefixes.isEmpty, !targets.isEmpty else { return nil }
        let forbidden = only ? (segmentsAtNode[lastNode] ?? []).filter { !targets.contains($0) } : targets
        let turnVertex = prefixes.allSatisfy { $0.count == 1 } ? vertexOf[lastNode] : nil
        return prefixes.flatMap { prefix in forbidden.map { TurnRestriction(relationID: id, path: prefix + [$0], via: turnVertex) } }
    }

    /// The from segment and the via ways' segments, in travel order, from
    /// the from way to the node where the last via way meets the to way.
    private func chain(from fromWay: Int64, via viaWays: [Int64], to toWay: Int64) -> (path: [Int64], lastNode: Int32)? {
        let ways = [fromWay] + viaWays + [toWay]
        // The nodes where consecutive ways meet, at segment ends.
        var junctions: [Int64] = []
        for (a, b) in zip(ways, ways.dropFirst()) {
            let ends = Set((waySegments[a] ?? []).flatMap { [$0.first, $0.last] })
            guard let shared = (waySegments[b] ?? []).flatMap({ [$0.first, $0.last] }).first(where: ends.contains) else { return nil }
            junctions.append(shared)
        }
        guard let firstJunction = junctions.first.flatMap({ nodeIndex[$0] }),
              let fromSegment = segmentsAt[NodeOfWay(way: fromWay, node: firstJunction)]?.first else { return nil }
        var path = [fromSegment]
        for (position, way) in viaWays.enumerated() {
            guard let along = stretch(of: way, from: junctions[position], to: junctions[position + 1]) else { return nil }
            path += along
        }
        guard let last = nodeIndex[junctions.last!] else { return nil }
        return (path, last)
    }

    /// The segments of `way` between two of its nodes, in travel order.
    private func stretch(of way: Int64, from start: Int64, to end: Int64) -> [Int64]? {
        let pieces = waySegments[way] ?? []
        if let a = pieces.firstIndex(where: { $0.first == start }), let b = pieces.firstIndex(where: { $0.last == end }), a <= b {
            return pieces[a...b].map(\.id)
        }
        if let a = pieces.firstIndex(where: { $0.first == end }), let b = pieces.firstIndex(where: { $0.last == start }), a <= b {
            return pieces[a...b].reversed().map(\.id)
        }
        return nil
    }
}
