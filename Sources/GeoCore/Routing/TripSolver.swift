/// The order in which to visit a set of stops, given the travel time from
/// each to each (OSRM's trip service): a round trip back to the first stop,
/// or a one-way trip with a fixed or free first and last stop.
///
/// Up to `exactLimit` stops it is exact (Held–Karp dynamic programming over
/// subsets, 2^n · n² steps). Above, farthest insertion (OSRM's own
/// construction) improved by Or-opt and 2-opt moves until none helps. Costs
/// may be asymmetric (one-way streets); nil is no way.
public struct TripSolver: Sendable {
    public struct Constraints: Sendable, Equatable {
        /// Back to the first stop at the end.
        public var roundTrip = true
        /// The trip starts at stop 0 (always so for a round trip, which may start anywhere).
        public var startAtFirst = false
        /// The trip ends at the last stop (for a round trip: visits it last before returning).
        public var endAtLast = false

        public init(roundTrip: Bool = true, startAtFirst: Bool = false, endAtLast: Bool = false) {
            self.roundTrip = roundTrip
            self.startAtFirst = startAtFirst
            self.endAtLast = endAtLast
        }
    }

    public static let exactLimit = 12

    let costs: [[Double]]
    let constraints: Constraints

    /// `costs[i][j]`: from stop i to stop j; nil where there is no way.
    public init(costs: [[Double?]], constraints: Constraints) {
        self.costs = costs.map { $0.map { $0 ?? .infinity } }
        self.constraints = constraints
    }

    private var count: Int { costs.count }
    /// The first stop is fixed for a round trip (a cycle has no start) or when asked.
    private var fixedFirst: Int? { constraints.roundTrip || constraints.startAtFirst ? 0 : nil }
    private var fixedLast: Int? { constraints.endAtLast && count > 1 ? count - 1 : nil }

    /// The stops in visiting order (each once; a round trip's return to the
    /// first is implied), or nil when no order joins them all.
    public func solve() -> [Int]? {
        guard count > 1 else { return count == 1 ? [0] : [] }
        let order = count <= Self.exactLimit ? exact() : heuristic()
        return order.flatMap { cost(of: $0).isFinite ? $0 : nil }
    }

    /// The trip's total cost in this order.
    public func cost(of order: [Int]) -> Double {
        var total = zip(order, order.dropFirst()).reduce(0) { $0 + costs[$1.0][$1.1] }
        if constraints.roundTrip, let first = order.first, let last = order.last { total += costs[last][first] }
        return total
    }

    // MARK: Exact

    /// Held–Karp: best[set][j] is the cheapest way through `set` ending at j.
    func exact() -> [Int]? {
        let n = count
        let full = (1 << n) - 1
        var best = [Double](repeating: .infinity, count: (1 << n) * n)
        var previous = [Int8](repeating: -1, count: (1 << n) * n)
        for start in 0..<n where fixedFirst.map({ $0 == start }) ?? (start != fixedLast || n == 1) {
            best[(1 << start) * n + start] = 0
        }
        for set in 1...full {
            for j in 0..<n where set & (1 << j) != 0 {
                let here = best[set * n + j]
                guard here.isFinite else { continue }
                for k in 0..<n where set & (1 << k) == 0 {
                    // The fixed last stop comes last.
                    if k == fixedLast, set | (1 << k) != full { continue }
                    let next = (set | (1 << k)) * n + k
                    let cost = here + costs[j][k]
                    if cost < best[next] {
                        best[next] = cost
                        previous[next] = Int8(j)
                    }
                }
            }
        }
        var end: Int?
        var lowest = Double.infinity
        for j in 0..<n where fixedLast.map({ $0 == j }) ?? true {
            let total = best[full * n + j] + (constraints.roundTrip ? costs[j][fixedFirst ?? 0] : 0)
            if total < lowest { lowest = total; end = j }
        }
        guard var at = end, lowest.isFinite else { return nil }
        var order: [Int] = []
        var set = full
        while at >= 0 {
            order.append(at)
            let before = Int(previous[set * n + at])
            set &= ~(1 << at)
            at = before
        }
        return order.reversed()
    }

    // MARK: Heuristic

    func heuristic() -> [Int]? {
        var order = farthestInsertion()
        improve(&order)
        return order
    }

    /// Starts from the fixed ends (or the two stops farthest apart) and adds
    /// the stop farthest from the trip so far where it costs least.
    private func farthestInsertion() -> [Int] {
        let n = count
        func distance(_ a: Int, _ b: Int) -> Double { min(costs[a][b], costs[b][a]) }
        var order: [Int] = []
        if let first = fixedFirst { order.append(first) }
        if let last = fixedLast, !order.contains(last) { order.append(last) }
        if order.count < 2 {
            let seed = order.first ?? 0
            let far = (0..<n).filter { $0 != seed }.max { distance(seed, $0) < distance(seed, $1) }!
            // A fixed last stop stays last.
            order = seed == fixedLast ? [far, seed] : [seed, far]
        }
        var inTrip = [Bool](repeating: false, count: n)
        for stop in order { inTrip[stop] = true }
        var nearest = (0..<n).map { stop in order.map { distance(stop, $0) }.min()! }
        while order.count < n {
            let next = (0..<n).filter { !inTrip[$0] }.max { nearest[$0] < nearest[$1] }!
            var bestPosition = 0
            var bestIncrease = Double.infinity
            for position in insertionPositions(order.count) {
                let increase = insertionCost(next, at: position, in: order)
                if increase < bestIncrease { bestIncrease = increase; bestPosition = position }
            }
            order.insert(next, at: bestPosition)
            inTrip[next] = true
            for stop in 0..<n { nearest[stop] = min(nearest[stop], distance(stop, next)) }
        }
        return order
    }

    /// Where a stop may go in an order of `length`: never before a fixed first stop or after a fixed last one.
    private func insertionPositions(_ length: Int) -> ClosedRange<Int> {
        (fixedFirst == nil ? 0 : 1)...(fixedLast == nil ? length : length - 1)
    }

    private func insertionCost(_ stop: Int, at position: Int, in order: [Int]) -> Double {
        var candidate = order
        candidate.insert(stop, at: position)
        return cost(of: candidate) - cost(of: order)
    }

    /// Or-opt (move a run of one to three stops elsewhere) and 2-opt
    /// (reverse a stretch) until no move lowers the cost; fixed ends stay.
    private func improve(_ order: inout [Int]) {
        let low = fixedFirst == nil ? 0 : 1
        let high = order.count - (fixedLast == nil ? 0 : 1)
        var current = cost(of: order)
        var improved = true
        while improved {
            improved = false
            for i in low..<high {
                for j in (i + 1)..<high {
                    var candidate = order
                    candidate[i...j].reverse()
                    let total = cost(of: candidate)
                    if total < current - 1e-9 { order = candidate; current = total; improved = true }
                }
            }
            for length in 1...3 {
                for i in low..<max(low, high - length + 1) {
                    var rest = order
                    let run = Array(rest[i..<(i + length)])
                    rest.removeSubrange(i..<(i + length))
                    for position in low...(rest.count - (order.count - high)) where position != i {
                        var candidate = rest
                        candidate.insert(contentsOf: run, at: position)
                        let total = cost(of: candidate)
                        if total < current - 1e-9 { order = candidate; current = total; improved = true; break }
                    }
                }
            }
        }
    }
}
