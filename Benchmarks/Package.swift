// swift-tools-version: 6.2
// Benchmarks live in their own package so the test build never compiles them; run them in release:
//   cd Benchmarks && swift package benchmark
import PackageDescription

let package = Package(
    name: "iworkz-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "iworkz", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
    ],
    targets: [
        .executableTarget(
            name: "GatewayPipeline",
            dependencies: [
                .product(name: "IworkzPlatform", package: "iworkz"),
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Benchmarks/GatewayPipeline",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "CandidateListing",
            dependencies: [
                .product(name: "IworkzPlatform", package: "iworkz"),
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            path: "Benchmarks/CandidateListing",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "RedisRateLimit",
            dependencies: [
                .product(name: "IworkzPlatform", package: "iworkz"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/RedisRateLimit",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "FirewallScreen",
            dependencies: [
                .product(name: "IworkzPlatform", package: "iworkz"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/FirewallScreen",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "JobSearch",
            dependencies: [
                .product(name: "IworkzPlatform", package: "iworkz"),
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            path: "Benchmarks/JobSearch",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "MatchingIndex",
            dependencies: [
                .product(name: "IworkzPlatform", package: "iworkz"),
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            path: "Benchmarks/MatchingIndex",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
