// swift-tools-version: 6.1
import PackageDescription

// In-process benchmark suites, one per module with hot code. A nested package
// so that ordo-one/benchmark and its malloc interposer stay out of the service's
// own dependency graph.
let package = Package(
    name: "wayline-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "wayline", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(
            name: "BenchmarkFixtures",
            dependencies: [
                .product(name: "GeoCore", package: "wayline"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Fixtures"
        ),
        suite("GeoCoreBenchmarks", measuring: ["GeoCore"]),
        suite("GeometryBenchmarks", measuring: ["Geometry"]),
        suite("SpatialIndexBenchmarks", measuring: ["GeoCore", "Geometry"]),
        suite("RoutingBenchmarks", measuring: ["GeoCore"]),
        suite("CacheBenchmarks", measuring: ["Cache"]),
        // W4 of the harness: per-query route timing on an exported network.
        .executableTarget(
            name: "RouteTiming",
            dependencies: [.product(name: "GeoCore", package: "wayline")],
            path: "Tools/RouteTiming"
        ),
        // W7: the many-to-many table, timed per 100 × 100 table.
        .executableTarget(
            name: "TableTiming",
            dependencies: [.product(name: "GeoCore", package: "wayline")],
            path: "Tools/TableTiming"
        ),
    ],
    swiftLanguageModes: [.v6]
)

/// One benchmark suite: `Benchmarks/<name>`, run by the benchmark plugin, over
/// the service's `modules`.
func suite(_ name: String, measuring modules: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["BenchmarkFixtures", .product(name: "Benchmark", package: "benchmark")]
            + modules.map { .product(name: $0, package: "wayline") },
        path: "Benchmarks/\(name)",
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}
