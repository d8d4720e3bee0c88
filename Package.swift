// swift-tools-version: 6.1
import PackageDescription

// Compiler settings live here once: Swift 6 language mode everywhere, and the
// upcoming features that make concurrency and imports explicit.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "wayline",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "wayline", targets: ["wayline"]),
        .library(name: "GeoCore", targets: ["GeoCore"]),
        .library(name: "Geometry", targets: ["Geometry"]),
        .library(name: "Cache", targets: ["Cache"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // Already a dependency of postgres-nio; named here for TLS settings of direct connections.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // Already dependencies of hummingbird; named here for the HTTP parser's
        // errors and the channel handler that answers them.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Metrics: libraries count through swift-metrics (already a dependency
        // of hummingbird); the executable exports them with swift-prometheus.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Token signatures (HS256, RS256, ES256) and JWKS: no signature code of our own.
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
        // Already a dependency of jwt-kit; named here for the token cache's SHA-256.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        // Geofence webhooks: an HTTP client with TLS, timeouts and pooling, rather than one of our own.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // Pure Swift: coordinates, distances, polyline codec. No server or database code.
        .target(name: "GeoCore", swiftSettings: strict),

        // The road model: OpenStreetMap objects → the network a car may drive, under OSRM's car profile. Pure Swift.
        .target(name: "RoadModel", dependencies: ["GeoCore"], swiftSettings: strict),

        // Thin system-library wrappers; Swift code never includes the C headers directly.
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),

        .target(name: "Geometry", dependencies: ["GeoCore", "CGEOS", "CPROJ"], swiftSettings: strict),

        .target(
            name: "Storage",
            dependencies: [
                "GeoCore",
                "Geometry",
                "RoadModel",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Cache",
            dependencies: [
                "Storage",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            // Release builds let the API module specialise the cache's generic
            // code for its payload: unspecialised, every hit of
            // `TieredCache<ByteBuffer>.get` looked up generic metadata and copied
            // entries through value witnesses. In a W5 profile the cache's part
            // of the server's samples fell from 5.1 % to 3.7 %. Not for the
            // other modules: no gain was measured there. Unsafe flags are
            // accepted from root and local packages, which is how Wayline is built.
            swiftSettings: strict + [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]
        ),
        // Tokens, identities, the access policy and rate limits: no HTTP, no database.
        .target(
            name: "Auth",
            dependencies: [
                "GeoCore",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // Route orchestration: snapping, the route cache in memory and in the
        // `routes` table, single flight. No HTTP.
        .target(
            name: "Routing",
            dependencies: ["GeoCore", "Storage", "Cache", .product(name: "Metrics", package: "swift-metrics")],
            swiftSettings: strict
        ),
        // The Prometheus export of what the libraries count: help texts, buckets, exposition.
        .target(
            name: "Webhooks",
            dependencies: [
                "Storage",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Telemetry",
            dependencies: [
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "API",
            dependencies: [
                "GeoCore", "Geometry", "Storage", "Cache", "Auth", "Routing", "Webhooks",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The API contract, served at /openapi.json from the binary itself.
            resources: [.embedInCode("OpenAPI/openapi.json")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "wayline",
            dependencies: [
                "API", "Storage", "Auth", "Telemetry", "Webhooks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        .target(
            name: "TestSupport",
            dependencies: ["Storage", "GeoCore", .product(name: "PostgresNIO", package: "postgres-nio")],
            path: "Tests/TestSupport",
            swiftSettings: strict
        ),
        .testTarget(name: "GeoCoreTests", dependencies: ["GeoCore", "Geometry", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "RoadModelTests", dependencies: ["RoadModel", "GeoCore"], swiftSettings: strict),
        .testTarget(
            name: "AuthTests",
            dependencies: [
                "Auth",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "CacheTests", dependencies: ["Cache", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "GeometryTests", dependencies: ["Geometry", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Geometry", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "APITests",
            dependencies: [
                "API", "Auth", "Routing", "Telemetry", "TestSupport", "Webhooks",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["CarScenarios"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
