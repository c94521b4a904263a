import AsyncHTTPClient
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import Instrumentation
import Logging
import NIOCore
import NIOEmbedded
import ServerKit
import ServiceLifecycle
import Synchronization
import Testing

/// An HTTP upstream against real loopback servers whose faults the test controls.
@Suite("HTTP upstream")
struct HTTPUpstreamTests {
    /// A backend on loopback: answers 200 with what it saw, or fails as told.
    final class Backend: Sendable {
        enum Mode { case healthy, failing, slow }
        let mode = Mutex(Mode.healthy)
        let hits = Atomic<Int>(0)
        let seen = Mutex<[String: String]>([:])

        func router() -> Router<BasicRequestContext> {
            let router = Router()
            router.get("/health") { [self] _, _ -> Response in
                Response(status: mode.withLock { $0 } == .healthy ? .ok : .serviceUnavailable)
            }
            let answer: @Sendable (Request, BasicRequestContext) async throws -> Response = { [self] request, _ in
                hits.add(1, ordering: .relaxed)
                let body = try await request.body.collect(upTo: 1 << 20)
                seen.withLock { seen in
                    for name in ["x-request-id", "authorization", "traceparent", "connection", "x-forwarded-for", "x-iworkz-peer"] {
                        seen[name] = HTTPField.Name(name).flatMap { request.headers[$0] }
                    }
                    seen["body"] = String(buffer: body)
                    seen["path"] = request.uri.string
                }
                switch mode.withLock({ $0 }) {
                case .healthy:
                    return Response(status: .created, headers: [.contentType: "application/json", HTTPField.Name("X-Backend")!: "yes"],
                                    body: .init(byteBuffer: ByteBuffer(string: #"{"ok":true}"#)))
                case .failing:
                    return Response(status: .serviceUnavailable)
                case .slow:
                    try await Task.sleep(for: .seconds(10))
                    return Response(status: .ok)
                }
            }
            router.get("/api/v1/things", use: answer)
            router.post("/api/v1/things", use: answer)
            return router
        }
    }

    /// Runs `body` with servers for `backends`, their base URLs, and an upstream over them.
    static func withBackends(_ backends: [Backend], settings: UpstreamSettings = Self.fast,
                             _ body: @Sendable (HTTPUpstream, [String]) async throws -> Void) async throws {
        let ports = Mutex([Int](repeating: 0, count: backends.count))
        let applications = backends.enumerated().map { index, backend in
            Application(router: backend.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                        onServerRunning: { channel in ports.withLock { $0[index] = channel.localAddress!.port! } },
                        logger: Logger(label: "backend") { _ in SwiftLogNoOpLogHandler() })
        }
        let group = ServiceGroup(services: applications, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let client = HTTPClient(eventLoopGroupProvider: .singleton,
                                configuration: .init(timeout: .init(connect: .seconds(1), read: .seconds(2))))
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                while ports.withLock({ $0.contains(0) }) { try await Task.sleep(for: .milliseconds(20)) }
                let urls = ports.withLock { $0 }.map { "http://127.0.0.1:\($0)" }
                let upstream = HTTPUpstream(region: "jp-tokyo", endpoints: urls, client: client, settings: settings)
                try await body(upstream, urls)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    static var fast: UpstreamSettings {
        var settings = UpstreamSettings()
        // Generous: a loaded test machine must not turn a healthy answer into a timeout.
        settings.requestTimeout = .seconds(15)
        settings.ejectAfterFailures = 2
        settings.ejectionDuration = .seconds(60)
        return settings
    }

    static func request(_ method: HTTPRequest.Method, body: String = "") -> Request {
        var fields: HTTPFields = [.authorization: "Bearer token-1", HTTPField.Name("X-Request-ID")!: "req-42",
                                  HTTPField.Name("traceparent")!: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", .connection: "close"]
        if !body.isEmpty { fields[.contentType] = "application/json" }
        return Request(head: HTTPRequest(method: method, scheme: "http", authority: "gateway", path: "/api/v1/things?x=1", headerFields: fields),
                       body: .init(buffer: ByteBuffer(string: body)))
    }

    static func context() -> AppRequestContext {
        AppRequestContext(source: ApplicationRequestContextSource(channel: EmbeddedChannel(), logger: Logger(label: "t") { _ in SwiftLogNoOpLogHandler() }))
    }

    @Test func forwardsTheRequestWithItsIdentityHeadersAndRelaysTheAnswer() async throws {
        let backend = Backend()
        try await Self.withBackends([backend]) { upstream, _ in
            let plain = Self.request(.post, body: #"{"a":1}"#)
            var head = plain.head
            head.headerFields[HTTPField.Name("X-Forwarded-For")!] = "10.0.0.1"
            head.headerFields[HTTPField.Name("X-Iworkz-Peer")!] = "kr-seoul/backend-api"
            let request = Request(head: head, body: plain.body)
            var context = Self.context()
            context.clientAddress = "203.0.113.9"
            let response = try await upstream.forward(request, context: context)
            #expect(response.status == .created)
            #expect(response.headers[HTTPField.Name("X-Backend")!] == "yes")
            let seen = backend.seen.withLock { $0 }
            #expect(seen["x-request-id"] == "req-42")
            #expect(seen["authorization"] == "Bearer token-1", "the role behind verifies the token again")
            // The trace context travels: the client's as it came, or, once tracing is bootstrapped in
            // this process, the upstream call's own span's.
            let traceparent = try #require(seen["traceparent"])
            if InstrumentationSystem.instrument is NoOpInstrument {
                #expect(traceparent == "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
            } else {
                #expect(traceparent.split(separator: "-").map(\.count) == [2, 32, 16, 2], "\(traceparent)")
            }
            #expect(seen["connection"] != "close", "hop-by-hop headers stay on their connection")
            #expect(seen["x-forwarded-for"] == "203.0.113.9", "the client's address as the gateway settled it, not as the client said")
            #expect(seen["x-iworkz-peer"] == nil, "who calls is for the callee's certificate check to say")
            #expect(seen["body"] == #"{"a":1}"#)
            #expect(seen["path"] == "/api/v1/things?x=1")
        }
    }

    @Test func anIdempotentRequestMovesToAnotherEndpointButAPostIsSentOnce() async throws {
        let bad = Backend(), good = Backend()
        bad.mode.withLock { $0 = .failing }
        try await Self.withBackends([bad, good]) { upstream, _ in
            for _ in 0..<4 {
                let response = try await upstream.forward(Self.request(.get), context: Self.context())
                #expect(response.status == .created, "a GET reaches the healthy endpoint")
            }
            #expect(upstream.isEjected(0), "two failures in a row eject the failing endpoint")
            let hitsBefore = bad.hits.load(ordering: .relaxed)
            for _ in 0..<4 { _ = try await upstream.forward(Self.request(.get), context: Self.context()) }
            #expect(bad.hits.load(ordering: .relaxed) == hitsBefore, "an ejected endpoint gets no traffic")
        }
        let failing = Backend()
        failing.mode.withLock { $0 = .failing }
        try await Self.withBackends([failing, Backend()]) { upstream, _ in
            var statuses: [Int] = []
            for _ in 0..<2 {
                do {
                    statuses.append(Int(try await upstream.forward(Self.request(.post, body: "{}"), context: Self.context()).status.code))
                } catch let problem as Problem {
                    statuses.append(Int(problem.status.code))
                }
            }
            #expect(failing.hits.load(ordering: .relaxed) == 1, "a POST is never sent twice: \(statuses)")
        }
    }

    @Test func aRegionWithoutAHealthyEndpointIsA503NamingItAndHealthChecksBringItBack() async throws {
        let only = Backend()
        only.mode.withLock { $0 = .failing }
        try await Self.withBackends([only]) { upstream, _ in
            await upstream.checkAll()
            #expect(upstream.isEjected(0))
            let problem = await #expect(throws: Problem.self) { try await upstream.forward(Self.request(.get), context: Self.context()) }
            #expect(problem?.status == .serviceUnavailable)
            #expect(problem?.slug == "upstream-unavailable")
            #expect(problem?.members["region"] == "jp-tokyo")
            #expect(problem?.detail.contains("jp-tokyo") == true)
            only.mode.withLock { $0 = .healthy }
            await upstream.checkAll()
            #expect(!upstream.isEjected(0), "a passing health check returns the endpoint at once")
            let answered = try await upstream.forward(Self.request(.get), context: Self.context())
            #expect(answered.status == .created)
        }
    }

    @Test func runningAsAServiceItChecksPeriodicallyAndStopsOnShutdown() async throws {
        let backend = Backend()
        backend.mode.withLock { $0 = .failing }
        var settings = Self.fast
        settings.healthCheckInterval = .milliseconds(50)
        try await Self.withBackends([backend], settings: settings) { upstream, _ in
            let group = ServiceGroup(services: [upstream], logger: Logger(label: "checks") { _ in SwiftLogNoOpLogHandler() })
            #expect(!upstream.hasEndpointInRotation, "not ready before an endpoint has answered")
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var waited = 0
                while !upstream.isEjected(0), waited < 100 { try await Task.sleep(for: .milliseconds(20)); waited += 1 }
                #expect(upstream.isEjected(0), "a failing health check ejects the endpoint")
                backend.mode.withLock { $0 = .healthy }
                waited = 0
                while upstream.isEjected(0), waited < 100 { try await Task.sleep(for: .milliseconds(20)); waited += 1 }
                #expect(!upstream.isEjected(0), "the next passing check brings it back")
                #expect(upstream.hasEndpointInRotation, "and makes the upstream ready")
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }

    @Test func aBodyOverTheRelayLimitIsTheClientsFault() async throws {
        var settings = Self.fast
        settings.maxBodyBytes = 8
        let backend = Backend()
        try await Self.withBackends([backend], settings: settings) { upstream, _ in
            let problem = await #expect(throws: Problem.self) {
                try await upstream.forward(Self.request(.get, body: "0123456789abcdef"), context: Self.context())
            }
            #expect(problem?.status == .contentTooLarge)
            #expect(backend.hits.load(ordering: .relaxed) == 0, "nothing is relayed")
        }
    }

    @Test func aSlowEndpointTimesOutAndAnUnreachableOneIsSkipped() async throws {
        let slow = Backend()
        slow.mode.withLock { $0 = .slow }
        var impatient = Self.fast
        impatient.requestTimeout = .seconds(1)
        try await Self.withBackends([slow], settings: impatient) { upstream, _ in
            let started = ContinuousClock.now
            await #expect(throws: Problem.self) { try await upstream.forward(Self.request(.post, body: "{}"), context: Self.context()) }
            #expect(ContinuousClock.now - started < .seconds(9), "the request timeout, not the backend, decides")
        }
        // Port 9 on loopback: nothing listens, the connection is refused.
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let upstream = HTTPUpstream(region: "kr-seoul", endpoints: ["http://127.0.0.1:9"], client: client, settings: Self.fast)
        let problem = await #expect(throws: Problem.self) { try await upstream.forward(Self.request(.get), context: Self.context()) }
        #expect(problem?.members["region"] == "kr-seoul")
        try await client.shutdown()
    }
}
