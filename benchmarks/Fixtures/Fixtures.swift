import Foundation
import GeoCore

/// Inputs shared by the in-process suites and the side-by-side harness, so the
/// numbers compare the same work. Deterministic: the same seed gives the same data.
public enum Fixtures {
    /// A 1,000-point line that wanders like a road around Kigali (steps of
    /// about 10 m), from a fixed seed. `harness/fixtures.py` builds the very
    /// same line for the Python baselines (same SplitMix64, same arithmetic).
    public static func line(count: Int = 1_000, seed: UInt64 = 42) -> [Coordinate] {
        var state = seed
        var latitude = -1.95
        var longitude = 30.06
        var line: [Coordinate] = []
        line.reserveCapacity(count)
        for _ in 0..<count {
            line.append(try! Coordinate(latitude: latitude, longitude: longitude))
            latitude += (unitInterval(&state) - 0.5) * 0.0002
            longitude += (unitInterval(&state) - 0.5) * 0.0002
        }
        return line
    }

    /// A driver of the standard dataset: uniformly in lat −2.05…−1.85,
    /// lng 29.95…30.25 (the box `harness/fixtures.py` fills the database with).
    public struct Driver: Sendable {
        public let coordinate: Coordinate
    }

    public static func drivers(count: Int, seed: UInt64 = 1) -> [Driver] {
        var state = seed
        return (0..<count).map { _ in
            let latitude = -2.05 + unitInterval(&state) * 0.20
            let longitude = 29.95 + unitInterval(&state) * 0.30
            return Driver(coordinate: try! Coordinate(latitude: latitude, longitude: longitude))
        }
    }

    /// Drivers spread evenly over the whole globe (80,000 leave about one
    /// per 6,000 km²): the sparse case, where a search's radius spans
    /// thousands of grid cells and few are occupied.
    public static func driversWorldwide(count: Int, seed: UInt64 = 1) -> [Driver] {
        var state = seed
        return (0..<count).map { _ in
            let latitude = asin(2 * unitInterval(&state) - 1) * 180 / .pi
            let longitude = unitInterval(&state) * 360 - 180
            return Driver(coordinate: try! Coordinate(latitude: latitude, longitude: longitude))
        }
    }

    /// A square street grid of `side` × `side` crossings 100 m apart (around
    /// Kigali), speeds between 20 and 60 km/h, every seventh street one-way:
    /// a deterministic network for the router's suites.
    public static func streetGrid(side: Int) -> [RoadEdge] {
        var state: UInt64 = 3
        var edges: [RoadEdge] = []
        func crossing(_ x: Int, _ y: Int) -> Coordinate {
            try! Coordinate(latitude: -1.95 + Double(y) * 0.0009, longitude: 30.06 + Double(x) * 0.0009)
        }
        for y in 0..<side {
            for x in 0..<side {
                for (dx, dy) in [(1, 0), (0, 1)] where x + dx < side && y + dy < side {
                    let seconds = 100 / ((20 + unitInterval(&state) * 40) / 3.6)
                    let oneWay = edges.count % 7 == 0
                    edges.append(RoadEdge(
                        id: Int64(edges.count + 1), source: Int64(y * side + x), target: Int64((y + dy) * side + x + dx),
                        cost: seconds, reverseCost: oneWay ? -1 : seconds, lengthMeters: 100,
                        points: [crossing(x, y), crossing(x + dx, y + dy)]
                    ))
                }
            }
        }
        return edges
    }

    /// `count` keys drawn from `keys` with Zipf's law (exponent 1): the
    /// popularity skew of real cache traffic, for hit-ratio measurements.
    public static func zipfTrace(count: Int, keys: Int, seed: UInt64 = 5) -> [Int] {
        var cumulative: [Double] = []
        var total = 0.0
        for rank in 1...keys {
            total += 1 / Double(rank)
            cumulative.append(total)
        }
        var state = seed
        return (0..<count).map { _ in
            let target = unitInterval(&state) * total
            var low = 0, high = keys - 1
            while low < high {
                let middle = (low + high) / 2
                if cumulative[middle] < target { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    /// SplitMix64 mapped to [0, 1).
    private static func unitInterval(_ state: inout UInt64) -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
    }
}
