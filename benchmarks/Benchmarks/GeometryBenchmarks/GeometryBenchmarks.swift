import Benchmark
import BenchmarkFixtures
import Geometry

/// GEOS and PROJ wrappers on the 1,000-point fixture line.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .wayline(warmupIterations: 5, maxIterations: 2_000)

    let line = Fixtures.line()
    let geodesic = WGS84Geodesic()
    let simplifier = LineSimplifier()
    let projection = try! LocalProjection(around: line[500])

    Benchmark("geodesic_length_1000_points") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(geodesic.lengthMeters(of: line))
        }
    }
    Benchmark("simplify_1000_points_10_m") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try simplifier.simplify(line, toleranceMeters: 10, projection: projection))
        }
    }
    Benchmark("project_1000_points_to_utm") { benchmark in
        for _ in benchmark.scaledIterations {
            for coordinate in line {
                blackHole(try projection.project(coordinate))
            }
        }
    }
}
