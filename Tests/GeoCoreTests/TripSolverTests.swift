@testable import GeoCore
import Testing
import TestSupport

/// The trip solver against brute force: exact up to its limit under every
/// constraint OSRM's trip takes, and its heuristic close to exact.
@Suite(.timeLimit(.minutes(5)))
struct TripSolverTests {
    static let constraints: [TripSolver.Constraints] = [
        .init(roundTrip: true), .init(roundTrip: true, endAtLast: true),
        .init(roundTrip: false, startAtFirst: true), .init(roundTrip: false, endAtLast: true),
        .init(roundTrip: false, startAtFirst: true, endAtLast: true),
    ]

    /// Asymmetric travel times between random points (a one-way city), some pairs without a way.
    static func costs(_ n: Int, _ random: inout SeededGenerator, gaps: Bool = false) -> [[Double?]] {
        let points = (0..<n).map { _ in (Double(random.next() % 1000), Double(random.next() % 1000)) }
        return (0..<n).map { i in
            (0..<n).map { j in
                if i == j { return 0 }
                if gaps, random.next() % 10 == 0 { return nil }
                let straight = ((points[i].0 - points[j].0) * (points[i].0 - points[j].0) + (points[i].1 - points[j].1) * (points[i].1 - points[j].1)).squareRoot()
                return straight * (1 + Double(random.next() % 50) / 100)
            }
        }
    }

    /// Every order that meets the constraints, cheapest first.
    static func bruteForce(_ solver: TripSolver, _ n: Int, _ constraints: TripSolver.Constraints) -> Double {
        var best = Double.infinity
        func permute(_ order: inout [Int], _ k: Int) {
            if k == order.count {
                if (constraints.roundTrip || constraints.startAtFirst) && order[0] != 0 { return }
                if constraints.endAtLast && order[order.count - 1] != n - 1 { return }
                best = min(best, solver.cost(of: order))
                return
            }
            for i in k..<order.count {
                order.swapAt(k, i)
                permute(&order, k + 1)
                order.swapAt(k, i)
            }
        }
        var order = Array(0..<n)
        permute(&order, 0)
        return best
    }

    static func valid(_ order: [Int], _ n: Int, _ constraints: TripSolver.Constraints) -> Bool {
        Set(order) == Set(0..<n) && order.count == n
            && (!(constraints.roundTrip || constraints.startAtFirst) || order.first == 0)
            && (!constraints.endAtLast || order.last == n - 1)
    }

    @Test func exactEqualsBruteForce() {
        var random = SeededGenerator(seed: 7)
        for n in 2...7 {
            for constraints in Self.constraints {
                for _ in 0..<4 {
                    let solver = TripSolver(costs: Self.costs(n, &random, gaps: n > 3), constraints: constraints)
                    let expected = Self.bruteForce(solver, n, constraints)
                    let order = solver.solve()
                    #expect((order == nil) == !expected.isFinite, "n \(n) \(constraints)")
                    if let order {
                        #expect(Self.valid(order, n, constraints), "\(order) \(constraints)")
                        #expect(abs(solver.cost(of: order) - expected) < 1e-6, "n \(n) \(constraints)")
                    }
                }
            }
        }
    }

    /// On 12 stops, where the exact answer is known, the heuristic's trips
    /// are on average within 3 % of it, and always valid.
    @Test func heuristicIsCloseToExact() {
        var random = SeededGenerator(seed: 11)
        var gaps: [Double] = []
        for constraints in Self.constraints {
            for _ in 0..<6 {
                let solver = TripSolver(costs: Self.costs(12, &random), constraints: constraints)
                guard let exact = solver.exact(), let heuristic = solver.heuristic() else {
                    Issue.record("no trip on a complete graph")
                    continue
                }
                #expect(Self.valid(heuristic, 12, constraints), "\(heuristic) \(constraints)")
                gaps.append(solver.cost(of: heuristic) / solver.cost(of: exact) - 1)
            }
        }
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        print("trip heuristic on 12 stops: mean gap \(mean * 100) %, worst \((gaps.max() ?? 0) * 100) %")
        #expect(gaps.allSatisfy { $0 >= -1e-9 } && mean < 0.03)
    }

    /// Past the exact limit the solver still visits every stop once, as constrained.
    @Test func manyStopsGetAValidTrip() {
        var random = SeededGenerator(seed: 3)
        for constraints in Self.constraints {
            let solver = TripSolver(costs: Self.costs(40, &random), constraints: constraints)
            let order = solver.solve()
            #expect(order.map { Self.valid($0, 40, constraints) } == true, "\(constraints)")
        }
    }
}
