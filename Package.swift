// swift-tools-version: 6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// Tests import broadly on purpose; strict import visibility is for the product code.
let testSwiftSettings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "iworkz",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "iworkz", targets: ["iworkz"]),
        // For the benchmark package (Benchmarks/), which builds in release on its own.
        .library(name: "IworkzPlatform", targets: [
            "Platform", "Gateway", "ServerKit", "Sovereignty", "Identity", "TokenVerification", "MatchingEngine", "Workforce", "JobService", "Storage",
            "AgentService", "WebFirewall", "TextMatching", "Transfers", "UserService", "RateLimiting", "RedisClient",
        ]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: ["CommandLineArguments", "YAML"]),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // OTLP over HTTP only: the default traits pull in gRPC.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        // Tests only: runs the built executable (Foundation's Process.run crashes now and then on Linux).
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
    ],
    targets: [
        // The heart of the system: regions, jurisdictions, data classes, transfer rules, regional ids.
        .target(
            name: "Sovereignty",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // Shared vocabulary of the job market: language levels, residence statuses, places, pay.
        .target(name: "Workforce", dependencies: ["Yams"], swiftSettings: swiftSettings),
        .target(
            name: "Observability",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Identities of roles and regions in certificates, a development CA, TLS 1.3 with client certificates.
        .target(
            name: "MutualTLS",
            dependencies: [
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        // A small RESP2/RESP3 client: no Redis library is available in the package mirror.
        .target(
            name: "RedisClient",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
        // GCRA rate limits with in-memory and Redis stores.
        .target(
            name: "RateLimiting",
            dependencies: ["RedisClient", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        // Linear-time text matching: regular expressions whose shape is checked at load, searched
        // through the toolchain's own ICU (the library Foundation links on Linux), and a byte-level
        // Aho–Corasick keyword automaton.
        .target(
            name: "TextMatching",
            swiftSettings: swiftSettings,
            linkerSettings: [.linkedLibrary("_FoundationICU", .when(platforms: [.linux]))]
        ),
        // Request-shape limits, IP lists and signature rules with anomaly scoring.
        .target(
            name: "WebFirewall",
            dependencies: ["Yams", "TextMatching"],
            swiftSettings: swiftSettings
        ),
        // Response cache stores (byte-bounded LRU, Redis) and HTTP caching rules.
        .target(
            name: "ResponseCache",
            dependencies: ["RedisClient", .product(name: "Crypto", package: "swift-crypto"), .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Storage",
            dependencies: [
                "Sovereignty",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Envelope encryption: key-encryption keys per cell, per-person data keys, crypto-shredding, rotation.
        .target(
            name: "KeyManagement",
            dependencies: [
                "Storage",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // A small S3 client: Signature V4, buckets, versioning, objects and versions (no S3 SDK in the mirror).
        .target(
            name: "S3Client",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Object stores: the protocol, and a versioned filesystem driver with lifecycle rules.
        .target(
            name: "ObjectStorage",
            dependencies: ["S3Client", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ServerKit",
            dependencies: [
                "Sovereignty",
                "Observability",
                "Workforce",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Access-token verification (ES256 JWTs against a JWKS, local or fetched from the issuers): what
        // the gateway and every role use; it links no service.
        .target(
            name: "TokenVerification",
            dependencies: [
                "Sovereignty", "ServerKit",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // OAuth2 authorization server: JWT access tokens (ES256), signing-key ring and rotation, JWKS.
        .target(
            name: "Identity",
            dependencies: [
                "Sovereignty", "ServerKit", "Storage", "UserService", "TokenVerification", "RedisClient",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "UserService",
            dependencies: [
                "Sovereignty", "ServerKit", "Storage", "Workforce", "KeyManagement", "ObjectStorage", "Yams", "TextMatching",
                .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "SQLKit", package: "sql-kit"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "JobService",
            dependencies: [
                "Sovereignty", "ServerKit", "Storage", "Workforce",
                .product(name: "SQLKit", package: "sql-kit"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MatchingEngine",
            dependencies: [
                "Sovereignty", "ServerKit", "UserService", "JobService", "Workforce", "Yams",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // ai-agent: skill extraction, job-ad compliance review and summaries, deterministic and offline by
        // default; an OpenAI-compatible model only when configured, behind a transfer decision.
        .target(
            name: "AgentService",
            dependencies: [
                "ServerKit", "JobService", "Workforce", "Yams", "Sovereignty", "TextMatching",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Consents, cross-border applications under the transfer policy, and the tamper-evident audit log.
        .target(
            name: "Transfers",
            dependencies: [
                "Sovereignty", "ServerKit", "Storage", "UserService", "JobService", "Workforce", "Yams", "KeyManagement", "MatchingEngine", "AgentService",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
        // The cross-region ports' HTTP adapters and the backend-api's internal routes that answer them.
        .target(
            name: "Peering",
            dependencies: [
                "Sovereignty", "ServerKit", "JobService", "MatchingEngine", "Transfers", "MutualTLS", "Storage", "Observability",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Gateway",
            dependencies: [
                "Sovereignty", "ServerKit", "Observability", "RateLimiting", "TokenVerification", "WebFirewall", "ResponseCache", "Yams", "MutualTLS",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Composition root of the all-in-one process: wires concrete drivers into services and cells.
        .target(
            name: "Platform",
            dependencies: [
                "Sovereignty", "Observability", "Storage", "ServerKit", "Gateway", "RateLimiting", "RedisClient", "Identity", "TokenVerification", "WebFirewall", "ResponseCache",
                "UserService", "JobService", "MatchingEngine", "AgentService", "Transfers", "KeyManagement", "ObjectStorage", "S3Client", "Peering", "MutualTLS",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "iworkz",
            dependencies: [
                "Platform", "Gateway", "Sovereignty", "Observability", "Identity", "Transfers", "Storage", "KeyManagement", "UserService", "ServerKit",
                "MutualTLS", "S3Client",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "Platform", "Observability", "Storage",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "SovereigntyTests",
            dependencies: ["Sovereignty"],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "KeyManagementTests",
            dependencies: [
                "KeyManagement", "Storage", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"), .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "ObjectStorageTests",
            dependencies: ["ObjectStorage", "S3Client", .product(name: "AsyncHTTPClient", package: "async-http-client")],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "S3ClientTests",
            dependencies: ["S3Client", .product(name: "AsyncHTTPClient", package: "async-http-client")],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "RedisClientTests",
            dependencies: [
                "RedisClient", "ResponseCache", "RateLimiting", "Platform", "Gateway", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "RateLimitingTests",
            dependencies: ["RateLimiting", "RedisClient", .product(name: "Logging", package: "swift-log")],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "IdentityTests",
            dependencies: [
                "Identity", "TokenVerification", "ServerKit", "Sovereignty",
                .product(name: "JWTKit", package: "jwt-kit"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(name: "TextMatchingTests", dependencies: ["TextMatching"], swiftSettings: testSwiftSettings),
        .testTarget(
            name: "MutualTLSTests",
            dependencies: [
                "MutualTLS",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "WebFirewallTests",
            dependencies: ["WebFirewall", "TextMatching"],
            resources: [.copy("Fixtures")],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway", "ServerKit", "Sovereignty", "RateLimiting", "MutualTLS", "Identity", "TokenVerification", "Observability",
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "ServerKitTests",
            dependencies: ["ServerKit", "Sovereignty", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "AgentServiceTests",
            dependencies: ["AgentService", "JobService", "Workforce"],
            resources: [.copy("Fixtures")],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "MatchingEngineTests",
            dependencies: ["MatchingEngine", "JobService", "UserService", "Workforce", "Sovereignty", "ServerKit"],
            swiftSettings: testSwiftSettings
        ),
        // Every store's behaviour, the same on SQLite, PostgreSQL and PostgreSQL through PgBouncer.
        .testTarget(
            name: "StoreContractTests",
            dependencies: [
                "TestSupport", "Storage", "UserService", "JobService", "Identity", "Transfers", "Peering", "KeyManagement", "Sovereignty",
                "Workforce", "RedisClient", .product(name: "SQLKit", package: "sql-kit"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "PlatformTests",
            dependencies: [
                "Platform", "TestSupport", "Gateway", "ServerKit", "Sovereignty", "Storage", "Observability",
                "UserService", "JobService", "MatchingEngine", "Workforce", "RateLimiting", "ResponseCache", "KeyManagement", "Transfers", "WebFirewall",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                "MutualTLS", "Peering",
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: testSwiftSettings
        ),
    ]
)
