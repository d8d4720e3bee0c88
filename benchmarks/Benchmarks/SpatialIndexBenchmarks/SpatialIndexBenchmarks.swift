import Benchmark
import BenchmarkFixtures
import GeoCore
import Geometry

/// The live driver index (W1's in-memory path): k = 10 within 2 km among the
/// standard dataset's 80,000 `current` drivers, within 50 km among 80,000
/// spread over the globe, moves, and what the index costs
/// in memory at 100k and 1M drivers (peak resident memory of building it).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .wayline(warmupIterations: 10, maxIterations: 20_000)

    let geodesic = WGS84Geodesic()
    /// k = 10 searches within `radiusMeters`, cycling through `queries`.
    func nearest(_ name: String, in index: MovingPointIndex, queries: [Coordinate], radiusMeters: Double) {
        Benchmark(name) { benchmark in
            var query = 0
            for _ in benchmark.scaledIterations {
                query = (query + 1) % queries.count
                blackHole(index.nearest(to: queries[query], radiusMeters: radiusMeters, limit: 10) {
                    geodesic.distanceMeters(from: $0, to: $1)
                })
            }
        }
    }

    let drivers = Fixtures.drivers(count: 80_000)
    let queries = Fixtures.drivers(count: 1_000, seed: 9).map(\.coordinate)
    let loaded = indexed(drivers)
    nearest("nearest_k10_2km_80k_drivers", in: loaded, queries: queries, radiusMeters: 2_000)

    // The sparse case: drivers all over the globe, 50 km radii (the API's
    // largest), most searches finding none or one.
    nearest(
        "nearest_k10_50km_80k_drivers_worldwide", in: indexed(Fixtures.driversWorldwide(count: 80_000)),
        queries: Fixtures.driversWorldwide(count: 1_000, seed: 9).map(\.coordinate), radiusMeters: 50_000
    )

    // 1,000 moves per iteration, after the copy-on-write copy of the loaded index.
    Benchmark("move_1000_drivers_80k_drivers") { benchmark in
        var moving = loaded
        moving.upsert(PointID(high: 1, low: 0), at: queries[0], updatedAt: 0)
        benchmark.startMeasurement()
        for step in 1...1_000 {
            let id = PointID(high: 0, low: UInt64(step * 79 % drivers.count))
            blackHole(moving.upsert(id, at: queries[step % queries.count], updatedAt: Double(step)))
        }
        benchmark.stopMeasurement()
    }

    for count in [100_000, 1_000_000] {
        let fleet = Fixtures.drivers(count: count, seed: 3)
        Benchmark(
            "build_index_\(count)_drivers",
            configuration: .init(
                metrics: [.wallClock, .peakMemoryResident, .peakMemoryResidentDelta],
                maxDuration: .seconds(5), maxIterations: 3, thresholds: [:]
            )
        ) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(indexed(fleet).count)
            }
        }
    }
}

/// An index of `drivers`, ids by position.
private func indexed(_ drivers: [Fixtures.Driver]) -> MovingPointIndex {
    var index = MovingPointIndex()
    for (id, driver) in drivers.enumerated() {
        index.upsert(PointID(high: 0, low: UInt64(id)), at: driver.coordinate, updatedAt: 0)
    }
    return index
}
