import Foundation
import Hummingbird
import Logging
import NIOCore
import Observability
import ServiceLifecycle
import Synchronization
import Testing

/// One cross-region request — a worker in kr-seoul applies to a jp-tokyo job — traced across the
/// gateway and both regions' backend-api, exported over OTLP/HTTP to a receiver in this process.
@Suite("Tracing")
struct TracingTests {
    @Test func aCrossRegionApplicationIsOneTreeOfSpansWithoutPersonalData() async throws {
        let receiver = try await SpanReceiver.shared()
        try await DistributedHarness.with { platform in
            let worker = try await platform.register([
                "role": "worker", "email": "jisoo.park@example.kr", "display_name": "Park Ji-soo", "country_of_residence": "KR",
                "profile": ["skills": ["welding"], "residence": ["status": "specified-skilled-worker-1", "expires_on": "2028-01-31"],
                            "languages": [["language": "ja", "test": "JLPT", "level": "N3"]], "location": ["country": "KR"]],
            ])
            let employer = try await platform.register([
                "role": "employer", "email": "hr@fuji-metal.example", "display_name": "Fuji Metal HR", "country_of_residence": "JP",
                "company_name": "Fuji Metal K.K.", "corporate_number": "1180301018771",
            ])
            let posted = try await platform.call(.POST, "/api/v1/jobs", json: [
                "title": "Welder", "description": "Steel frame welding.", "required_skills": ["welding"],
                "eligible_residence_statuses": ["specified-skilled-worker-1"], "location": ["country": "JP", "prefecture": "Osaka"],
                "employment_type": "full-time", "field": "industrial-manufacturing",
            ], token: employer.token)
            let job = try #require(posted.body["id"] as? String)
            try await platform.waitForCopy(of: job, in: "kr-seoul")
            let notice = try await platform.call(.GET, "/api/v1/transfers/notice?destination=JP&purpose=job-application")
            let consent = try await platform.call(.POST, "/api/v1/users/me/consents", json: [
                "destination": "JP", "purpose": "job-application", "notice_version": try #require(notice.body["version"] as? String),
            ], token: worker.token)
            #expect(consent.status == 201)

            let requestID = "trace-\(UUID().uuidString.lowercased())"
            let applied = try await platform.call(.POST, "/api/v1/users/me/applications", json: ["job_id": job], token: worker.token,
                                                  headers: [("X-Request-ID", requestID)])
            #expect(applied.status == 201)

            let trace = try await receiver.trace(rootedAt: requestID) { spans in
                spans.contains { $0.name == "transfer decision" }
                    && spans.contains { $0.attributes["http.route"] == "/internal/v1/applications/{id}" && $0.kind == "server" }
            }
            let byID = Dictionary(trace.map { ($0.spanID, $0) }) { first, _ in first }
            let root = try #require(trace.first { $0.attributes["iworkz.request_id"] == requestID && $0.parentSpanID.isEmpty })
            #expect(root.kind == "server" && root.parentSpanID.isEmpty, "the gateway's server span is the root")
            #expect(root.name == "POST /api/v1/users/*")
            for span in trace where span.spanID != root.spanID {
                #expect(byID[span.parentSpanID] != nil, "\(span.name): every span hangs from another of the trace")
            }
            func children(of span: SpanReceiver.Span) -> [SpanReceiver.Span] { trace.filter { $0.parentSpanID == span.spanID } }
            func descendants(of span: SpanReceiver.Span) -> [SpanReceiver.Span] { children(of: span).flatMap { [$0] + descendants(of: $0) } }

            let stages = Set(children(of: root).map(\.name))
            #expect(stages.isSuperset(of: ["firewall", "authenticate", "rate limit"]), "\(stages)")
            let toKorea = try #require(children(of: root).first { $0.kind == "client" && $0.attributes["iworkz.region"] == "kr-seoul" })
            let korea = try #require(children(of: toKorea).first { $0.kind == "server" })
            #expect(korea.attributes["iworkz.role"] == "backend-api")
            #expect(korea.attributes["http.route"] == "/api/v1/users/me/applications")
            let inKorea = descendants(of: korea)
            let decision = try #require(inKorea.first { $0.name == "transfer decision" })
            #expect(decision.attributes["iworkz.transfer.outcome"] == "allow")
            #expect(decision.attributes["iworkz.transfer.source"] == "KR" && decision.attributes["iworkz.transfer.destination"] == "JP")
            #expect(inKorea.contains { $0.attributes["db.system.name"] == "sqlite" })
            let toJapan = try #require(inKorea.first { $0.kind == "client" && $0.attributes["iworkz.region"] == "jp-tokyo" })
            let japan = try #require(children(of: toJapan).first { $0.kind == "server" })
            #expect(japan.attributes["http.route"] == "/internal/v1/applications/{id}")
            #expect(korea.attributes["iworkz.request_id"] == requestID && japan.attributes["iworkz.request_id"] == requestID,
                    "the request id travels on every hop")
            #expect(descendants(of: japan).contains { $0.attributes["db.operation.name"] == "INSERT" })

            // Nothing that names the person: not their id, email, name or token.
            for span in trace {
                for (key, value) in span.attributes {
                    for personal in [worker.id, "jisoo", "Park", worker.token, employer.id] {
                        #expect(!value.contains(personal), "\(span.name) \(key) carries personal data")
                    }
                }
            }
        }
    }
}

/// An OTLP/HTTP receiver (JSON) in this process, and the process-wide tracer sending to it. The
/// tracer can be bootstrapped once per process, so both live until the process ends.
final class SpanReceiver: Sendable {
    struct Span: Sendable {
        let traceID: String
        let spanID: String
        let parentSpanID: String
        let name: String
        let kind: String
        let attributes: [String: String]
    }

    private let spans = Mutex<[Span]>([])
    private static let instance = Mutex<SpanReceiver?>(nil)

    static func shared() async throws -> SpanReceiver {
        if let existing = instance.withLock({ $0 }) { return existing }
        let receiver = SpanReceiver()
        let port = Mutex(0)
        let router = Router()
        router.post("/v1/traces") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 32 << 20)
            receiver.receive(Data(body.readableBytesView))
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
        }
        let server = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                 onServerRunning: { channel in port.withLock { $0 = channel.localAddress!.port! } },
                                 logger: Logger(label: "otlp") { _ in SwiftLogNoOpLogHandler() })
        Task.detached { try? await server.run() }
        while port.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(20)) }
        var settings = TracingBootstrap.Settings(endpoint: "http://127.0.0.1:\(port.withLock { $0 })", sampleRatio: 1,
                                                 serviceName: "iworkz-test")
        settings.json = true
        settings.exportDelay = .milliseconds(100)
        // Every other suite running in this process traces too once this one has bootstrapped.
        settings.queueSize = 1 << 20
        guard let exporter = try TracingBootstrap.bootstrap(settings) else { throw HarnessError("tracing did not start") }
        Task.detached { try? await exporter.run() }
        instance.withLock { $0 = receiver }
        return receiver
    }

    private func receive(_ body: Data) {
        guard let document = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return }
        var found: [Span] = []
        for resource in document["resourceSpans"] as? [[String: Any]] ?? [] {
            for scope in resource["scopeSpans"] as? [[String: Any]] ?? [] {
                for span in scope["spans"] as? [[String: Any]] ?? [] {
                    var attributes: [String: String] = [:]
                    for attribute in span["attributes"] as? [[String: Any]] ?? [] {
                        guard let key = attribute["key"] as? String, let value = attribute["value"] as? [String: Any] else { continue }
                        attributes[key] = value.values.first.map { "\($0)" } ?? ""
                    }
                    let kind = "\(span["kind"] ?? "")".lowercased()
                    found.append(Span(
                        traceID: span["traceId"] as? String ?? "", spanID: span["spanId"] as? String ?? "",
                        parentSpanID: span["parentSpanId"] as? String ?? "", name: span["name"] as? String ?? "",
                        kind: kind.contains("server") || kind == "2" ? "server" : kind.contains("client") || kind == "3" ? "client" : "internal",
                        attributes: attributes))
                }
            }
        }
        spans.withLock { $0 += found }
    }

    /// Every span of the trace whose gateway span carries `requestID`, once `isComplete` says the
    /// spans the test looks for have arrived and no more arrive (a loaded machine sends late batches).
    func trace(rootedAt requestID: String, isComplete: ([Span]) -> Bool) async throws -> [Span] {
        let deadline = ContinuousClock.now + .seconds(60)
        var last = -1
        while ContinuousClock.now < deadline {
            let all = spans.withLock { $0 }
            if let root = all.first(where: { $0.attributes["iworkz.request_id"] == requestID && $0.parentSpanID.isEmpty }) {
                let trace = all.filter { $0.traceID == root.traceID }
                if isComplete(trace), trace.count == last { return trace }
                last = trace.count
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        let all = spans.withLock { $0 }
        let root = all.first { $0.attributes["iworkz.request_id"] == requestID && $0.parentSpanID.isEmpty }
        return all.filter { $0.traceID == root?.traceID }
    }
}
