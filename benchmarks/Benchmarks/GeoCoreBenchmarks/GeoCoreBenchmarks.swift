import Benchmark
import BenchmarkFixtures
import GeoCore

/// Polyline codec (W6) and coordinate validation. Each iteration handles the
/// 1,000-point fixture line. The codec's samples run 1,000 iterations each, so
/// nanoseconds per point = sample wall clock / 10^6: with one iteration per
/// sample, the framework's own work around each sample (reading the clock and
/// the malloc counters) added about 1.5 µs to a 4 µs sample.
/// Names use only letters, digits and underscores: ordo-one/benchmark writes
/// threshold files with spaces replaced but looks them up with the raw name.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .wayline(warmupIterations: 10, maxIterations: 10_000)

    let line = Fixtures.line()
    var codec = Benchmark.defaultConfiguration
    codec.scalingFactor = .kilo
    let encoded5 = try! Polyline.encode(line, precision: 5)
    let encoded6 = try! Polyline.encode(line, precision: 6)

    Benchmark("polyline_encode_p5_1000_points", configuration: codec) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try Polyline.encode(line, precision: 5))
        }
    }
    Benchmark("polyline_decode_p5_1000_points", configuration: codec) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try Polyline.decode(encoded5, precision: 5))
        }
    }
    Benchmark("polyline_encode_p6_1000_points", configuration: codec) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try Polyline.encode(line, precision: 6))
        }
    }
    Benchmark("polyline_decode_p6_1000_points", configuration: codec) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try Polyline.decode(encoded6, precision: 6))
        }
    }
    Benchmark("coordinate_validate_1000_pairs") { benchmark in
        let pairs = line.map { ($0.latitude, $0.longitude) }
        for _ in benchmark.scaledIterations {
            for (latitude, longitude) in pairs {
                blackHole(try Coordinate(latitude: latitude, longitude: longitude))
            }
        }
    }
}
