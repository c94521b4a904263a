import AsyncHTTPClient
import Foundation
import Gateway
import Identity
import TokenVerification
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOEmbedded
import Observability
import ServerKit
import Sovereignty
import Testing

/// The gateway in front of regions, one of which cannot be reached: its requests get a 503 problem
/// naming it, and the other region answers as usual.
@Suite("Gateway upstreams")
struct GatewayUpstreamTests {
    @Test func anUnreachableRegionIsA503NamingItAndOthersAreUnaffected() async throws {
        let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config")
        let catalog = try RegionCatalog(yaml: String(contentsOf: config.appendingPathComponent("regions.yaml"), encoding: .utf8))
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let tokyo = InProcessUpstream { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"jobs":[]}"#)))
        }
        // Port 9 on loopback: nothing listens.
        let seoul = HTTPUpstream(region: "kr-seoul", endpoints: ["http://127.0.0.1:9"], client: client, settings: HTTPUpstreamTests.fast)
        let gateway = GatewayResponder(
            routes: RouteTable(rules: [.init(path: "/api/v1/jobs", service: "job-service", region: "geo-routing")]),
            resolver: RegionResolver(catalog: catalog), cells: ["jp-tokyo": tokyo, "kr-seoul": seoul],
            local: { _, _ in Response(status: .notFound) }, localPaths: [],
            tokens: AccessTokenVerifier(issuer: "https://iworkz.test") { [:] }, metrics: HTTPMetrics(),
            endpoints: EndpointTemplates([("GET", "/api/v1/jobs")], anonymous: [("GET", "/api/v1/jobs")]))
        func ask(_ region: String) async throws -> (Response, [String: Any]) {
            let request = Request(
                head: HTTPRequest(method: .get, scheme: "http", authority: "gateway", path: "/api/v1/jobs", headerFields: [.region: region]),
                body: .init(buffer: ByteBuffer()))
            let response = try await gateway.respond(to: request, context: HTTPUpstreamTests.context())
            var body = response.body
            let collector = Collector()
            try await body.write(collector)
            let object = (try? JSONSerialization.jsonObject(with: Data(collector.bytes))) as? [String: Any] ?? [:]
            return (response, object)
        }
        let (down, problem) = try await ask("kr-seoul")
        #expect(down.status == .serviceUnavailable)
        #expect(down.headers[.contentType] == "application/problem+json")
        #expect(problem["type"] as? String == "urn:iworkz:problem:upstream-unavailable")
        #expect(problem["region"] as? String == "kr-seoul")
        #expect(down.headers[.retryAfter] != nil)
        let (up, _) = try await ask("jp-tokyo")
        #expect(up.status == .ok, "Tokyo is unaffected")
        try await client.shutdown()
    }

    /// Gathers a response body's bytes.
    final class Collector: ResponseBodyWriter, @unchecked Sendable {
        var bytes: [UInt8] = []
        func write(_ buffer: ByteBuffer) async throws { bytes += Array(buffer.readableBytesView) }
        func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
