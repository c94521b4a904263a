import AsyncHTTPClient
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServerKit
import ServiceLifecycle
import Synchronization
import Testing

/// One contract for both adapters of the gateway's upstream port: the same cell handler, called in
/// process and served over HTTP behind an ``HTTPUpstream``, gives the same answers.
@Suite("Upstream contract")
struct UpstreamContractTests {
    /// A small cell: echoes what it was asked, answers problems for what it does not know.
    static let cell: @Sendable (Request, AppRequestContext) async throws -> Response = { request, context in
        let body = try await request.body.collect(upTo: 1 << 20)
        switch (request.method, request.uri.path) {
        case (.get, "/api/v1/things"):
            let query = request.uri.query ?? ""
            return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "private, no-store"],
                            body: .init(byteBuffer: ByteBuffer(string: #"{"query":"\#(query)","request_id":"\#(request.headers[.requestID] ?? "")"}"#)))
        case (.post, "/api/v1/things"):
            return Response(status: .created, headers: [.contentType: "application/json", .location: "/api/v1/things/1"],
                            body: .init(byteBuffer: body))
        case (.delete, _):
            return Response(status: .noContent)
        default:
            return Problem.notFound("no \(request.uri.path)").render(instance: request.uri.path, requestID: request.headers[.requestID])
        }
    }

    /// What both adapters must agree on.
    struct Answer: Equatable {
        let status: Int
        let contentType: String?
        let location: String?
        let body: String
    }

    static func answer(_ response: Response) async throws -> Answer {
        var body = response.body
        let collector = GatewayUpstreamTests.Collector()
        try await body.write(collector)
        return Answer(status: Int(response.status.code), contentType: response.headers[.contentType],
                      location: response.headers[.location], body: String(decoding: collector.bytes, as: UTF8.self))
    }

    static func requests() -> [Request] {
        func make(_ method: HTTPRequest.Method, _ path: String, _ body: String = "") -> Request {
            var fields: HTTPFields = [HTTPField.Name("X-Request-ID")!: "req-7"]
            if !body.isEmpty { fields[.contentType] = "application/json" }
            return Request(head: HTTPRequest(method: method, scheme: "http", authority: "gateway", path: path, headerFields: fields),
                           body: .init(buffer: ByteBuffer(string: body)))
        }
        return [
            make(.get, "/api/v1/things?q=welder&page=2"),
            make(.post, "/api/v1/things", #"{"name":"溶接","n":1}"#),
            make(.delete, "/api/v1/things/1"),
            make(.get, "/api/v1/nowhere"),
        ]
    }

    @Test func inProcessAndHTTPGiveTheSameAnswers() async throws {
        let inProcess = InProcessUpstream(Self.cell)
        let router = Router()
        router.get("/api/v1/**") { request, _ in try await Self.cell(request, HTTPUpstreamTests.context()) }
        router.post("/api/v1/**") { request, _ in try await Self.cell(request, HTTPUpstreamTests.context()) }
        router.delete("/api/v1/**") { request, _ in try await Self.cell(request, HTTPUpstreamTests.context()) }
        let port = Mutex(0)
        let server = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                 onServerRunning: { channel in port.withLock { $0 = channel.localAddress!.port! } },
                                 logger: Logger(label: "cell") { _ in SwiftLogNoOpLogHandler() })
        let group = ServiceGroup(services: [server], logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while port.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(20)) }
            let overHTTP = HTTPUpstream(region: "jp-tokyo", endpoints: ["http://127.0.0.1:\(port.withLock { $0 })"], client: client)
            for (inProcessRequest, httpRequest) in zip(Self.requests(), Self.requests()) {
                let local = try await Self.answer(inProcess.forward(inProcessRequest, context: HTTPUpstreamTests.context()))
                let remote = try await Self.answer(overHTTP.forward(httpRequest, context: HTTPUpstreamTests.context()))
                #expect(local == remote, "\(inProcessRequest.method) \(inProcessRequest.uri)")
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        try await client.shutdown()
    }
}
