import Benchmark
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Logging
import NIOEmbedded
import Platform
import RateLimiting
import ServerKit
import Sovereignty

/// The cost of the gateway pipeline (WAF, correlation id, JWT verification, region routing, rate
/// limit, response-cache miss, metrics) on an authenticated GET, against the same cell handler called
/// directly. The ratio of their throughputs is the figure the architecture budgets (≥ 0.9).
struct Fixture: @unchecked Sendable {
    let platform: Platform
    let token: String
    let path: String
    let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }

    func request(bypassCache: Bool) -> Request {
        var fields: HTTPFields = [.authorization: "Bearer \(token)", .userAgent: "bench/1.0"]
        if bypassCache { fields[.cacheControl] = "no-cache" }
        return Request(head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: path, headerFields: fields),
                       body: .init(buffer: .init()))
    }

    func context() -> AppRequestContext {
        AppRequestContext(source: ApplicationRequestContextSource(channel: EmbeddedChannel(), logger: logger))
    }
}

nonisolated(unsafe) var fixture: Fixture!

func makeFixture() async throws -> Fixture {
    let data = FileManager.default.temporaryDirectory.appendingPathComponent("iworkz-bench-\(UUID().uuidString)")
    let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("config")
    var loaded = try LoadedConfiguration.load(from: config)
    // Limits high enough never to refuse, so the benchmark measures the work of checking them.
    loaded.rateLimits = RateLimitConfiguration(policies: [
        RateLimitPolicy(name: "per-ip", scope: .ip, limit: 1_000_000_000, periodSeconds: 1, burst: 1_000_000_000),
        RateLimitPolicy(name: "per-user", scope: .user, limit: 1_000_000_000, periodSeconds: 1, burst: 1_000_000_000),
    ])
    let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
    let platform = try await Platform.start(config: loaded, dataDirectory: data.path, openAPI: "", bcryptCost: 4, logger: logger)
    _ = try await DemoData.load(into: platform)
    let jobs = try await platform.cell("jp-tokyo")!.database.sql.raw("SELECT id FROM jobs WHERE origin_region = 'jp-tokyo' LIMIT 1").first()!
    let jobID = try jobs.decode(column: "id", as: String.self)
    let worker = Principal(userID: RegionalID.generate(kind: .user, regionCode: "jp1", millisecondsSince1970: 1), role: .worker, homeRegion: "jp-tokyo")
    return Fixture(platform: platform, token: try await platform.issuer.mint(for: worker), path: "/api/v1/jobs/\(jobID)")
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal], warmupIterations: 200, maxDuration: .seconds(8), maxIterations: 200_000)

    Benchmark("handler called directly (GET /api/v1/jobs/{id})") { benchmark in
        let handler = fixture.platform.cellHandlers["jp-tokyo"]!
        for _ in benchmark.scaledIterations {
            let response = try await handler(fixture.request(bypassCache: true), fixture.context())
            precondition(response.status == .ok)
        }
    } setup: {
        fixture = try await makeFixture()
    }

    Benchmark("through the gateway, authenticated, cache miss") { benchmark in
        for _ in benchmark.scaledIterations {
            let response = try await fixture.platform.gateway.respond(to: fixture.request(bypassCache: true), context: fixture.context())
            precondition(response.status == .ok)
        }
    } setup: {
        fixture = try await makeFixture()
    }

    Benchmark("through the gateway, authenticated, cache hit") { benchmark in
        for _ in benchmark.scaledIterations {
            let response = try await fixture.platform.gateway.respond(to: fixture.request(bypassCache: false), context: fixture.context())
            precondition(response.status == .ok)
        }
    } setup: {
        fixture = try await makeFixture()
    }
}
