import Benchmark
import BenchmarkFixtures
import GeoCore

/// The router (W4's in-process path) on a 100 × 100 street grid: queries on
/// the contraction hierarchy, snapping, a whole route with its shape, and
/// building the hierarchy.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .wayline(warmupIterations: 10, maxIterations: 20_000)

    let side = 100
    let edges = Fixtures.streetGrid(side: side)
    let router = RoadRouter(graph: RoadGraph(edges: edges))
    let points = Fixtures.drivers(count: 1_000, seed: 4).map {
        // Spread over the grid's square (about 9 km a side) instead of the drivers' box.
        try! Coordinate(latitude: -1.95 + ($0.coordinate.latitude + 2.05) / 0.2 * 0.089,
                        longitude: 30.06 + ($0.coordinate.longitude - 29.95) / 0.3 * 0.089)
    }
    let vertices = points.indices.map { Int64(($0 * 7_919) % (side * side)) }

    Benchmark("shortest_path_10k_vertices") { benchmark in
        var pair = 0
        for _ in benchmark.scaledIterations {
            pair = (pair + 1) % (vertices.count - 1)
            blackHole(router.shortestPath(fromVertex: vertices[pair], toVertex: vertices[pair + 1]))
        }
    }

    Benchmark("snap_10k_vertices") { benchmark in
        var point = 0
        for _ in benchmark.scaledIterations {
            point = (point + 1) % points.count
            blackHole(router.snap(points[point], maximumDistanceMeters: 500))
        }
    }

    Benchmark("route_with_shape_10k_vertices") { benchmark in
        var pair = 0
        for _ in benchmark.scaledIterations {
            pair = (pair + 1) % (points.count - 1)
            blackHole(try? router.route(from: points[pair], to: points[pair + 1], maximumSnapMeters: 500))
        }
    }

    Benchmark("build_hierarchy_10k_vertices", configuration: .wayline(warmupIterations: 1, maxIterations: 5)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(RoadRouter(graph: RoadGraph(edges: edges)))
        }
    }
}
