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
        .executableTarget(
            name: "GeoCoreBenchmarks",
            dependencies: [
                "BenchmarkFixtures",
                .product(name: "GeoCore", package: "wayline"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/GeoCoreBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "GeometryBenchmarks",
            dependencies: [
                "BenchmarkFixtures",
                .product(name: "Geometry", package: "wayline"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/GeometryBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "SpatialIndexBenchmarks",
            dependencies: [
                "BenchmarkFixtures",
                .product(name: "GeoCore", package: "wayline"),
                .product(name: "Geometry", package: "wayline"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/SpatialIndexBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "RoutingBenchmarks",
            dependencies: [
                "BenchmarkFixtures",
                .product(name: "GeoCore", package: "wayline"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/RoutingBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "CacheBenchmarks",
            dependencies: [
                "BenchmarkFixtures",
                .product(name: "Cache", package: "wayline"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/CacheBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // W4 of the harness: per-query route timing on an exported network.
        .executableTarget(
            name: "RouteTiming",
            dependencies: [.product(name: "GeoCore", package: "wayline")],
            path: "Tools/RouteTiming"
        ),
    ],
    swiftLanguageModes: [.v6]
)
