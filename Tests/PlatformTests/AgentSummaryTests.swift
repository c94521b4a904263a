import AgentService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Platform
import ServiceLifecycle
import Synchronization
import Testing
import TestSupport

/// An OpenAI-compatible chat-completions server on loopback that records what it is sent.
final class FakeChatServer: Sendable {
    let requests = Mutex<[String]>([])
    let failing: Bool

    init(failing: Bool = false) {
        self.failing = failing
    }

    var received: [String] { requests.withLock { $0 } }

    func run<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/v1/chat/completions") { [self] request, _ -> Response in
            var request = request
            let text = String(buffer: try await request.collectBody(upTo: 1 << 20))
            requests.withLock { $0.append(text) }
            if failing { return Response(status: .internalServerError) }
            let answer = #"{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"A welder with eight years of experience."},"finish_reason":"stop"}]}"#
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: answer)))
        }
        let port = Mutex(0)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port ?? 0 } })
        let group = ServiceGroup(services: [app], logger: Logger(label: "fake-llm"))
        return try await withThrowingTaskGroup(of: T?.self) { tasks in
            tasks.addTask { try await group.run(); return nil }
            while port.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(10)) }
            do {
                let result = try await body(port.withLock { $0 })
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
        }
    }
}

@Suite("Summaries and the language model")
struct AgentSummaryTests {
    static let resume = "溶接工として8年の経験があります。フォークリフトの免許を持っています。連絡先は秘密です。"

    static func summarize(_ client: some TestClientProtocol, token: String, kind: String = "resume", text: String = resume) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/agent/summary", method: .post, headers: JSONRequest.headers(token: token),
                                 body: JSONRequest.body(["kind": kind, "text": text]))
    }

    @Test func withoutAModelTheSummaryIsDeterministicAndOffline() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let worker = try await Scenario.register(client, email: "a@example.kr", country: "KR")
                let response = try await Self.summarize(client, token: worker.token)
                #expect(response.status == .ok, "\(response.text)")
                #expect(response.json["source"] as? String == "deterministic")
                let summary = try #require(response.json["summary"] as? String)
                #expect(summary.hasPrefix("溶接工として8年の経験があります。フォークリフトの免許を持っています。"))
                #expect(summary.contains("Skills:") && summary.contains("welding"), "\(summary)")
                let empty = try await Self.summarize(client, token: worker.token, text: "  ")
                #expect(empty.status == .unprocessableContent)
            }
        }
    }

    @Test func aResumeReachesAModelAbroadOnlyWithConsentAndEveryDecisionIsAudited() async throws {
        let server = FakeChatServer()
        try await server.run { port in
            try await PlatformHarness.withPlatform(configure: { config in
                config.languageModel = LanguageModelSettings(endpoint: URL(string: "http://127.0.0.1:\(port)/v1")!, model: "test-model",
                                                             processingJurisdiction: "US")
            }) { platform, _ in
                try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                    let worker = try await Scenario.register(client, email: "a@example.kr", country: "KR")
                    let refused = try await Self.summarize(client, token: worker.token)
                    #expect(refused.status == .forbidden)
                    #expect(refused.json["type"] as? String == "urn:iworkz:problem:transfer-not-permitted")
                    #expect((refused.json["detail"] as? String)?.contains("ai-summary") == true, "\(refused.text)")
                    let disguised = try await Self.summarize(client, token: worker.token, kind: "job_ad")
                    #expect(disguised.status == .forbidden, "a worker's text is personal whatever its kind")
                    #expect(server.received.isEmpty, "nothing was sent to the model")

                    let notice = try await client.execute(uri: "/api/v1/transfers/notice?destination=US&purpose=ai-summary", method: .get)
                    let consent = try await client.execute(
                        uri: "/api/v1/users/me/consents", method: .post, headers: JSONRequest.headers(token: worker.token),
                        body: JSONRequest.body(["destination": "US", "purpose": "ai-summary",
                                                "notice_version": try #require(notice.json["version"] as? String)]))
                    #expect(consent.status == .created, "\(consent.text)")
                    let allowed = try await Self.summarize(client, token: worker.token)
                    #expect(allowed.status == .ok, "\(allowed.text)")
                    #expect(allowed.json["source"] as? String == "llm:test-model")
                    #expect(allowed.json["summary"] as? String == "A welder with eight years of experience.")
                    #expect(server.received.count == 1)
                    #expect(server.received.first?.contains("test-model") == true)
                    #expect(server.received.first?.contains("溶接工") == true)
                    #expect(server.received.first?.contains("a@example.kr") == false, "only the text goes, not the profile")

                    let events = try await platform.cell("kr-seoul")!.audit.entries().map(\.event)
                    #expect(events == ["transfer-refused", "transfer-refused", "consent-given", "transfer-allowed"])

                    let employer = try await Scenario.register(client, role: "employer", email: "hr@fuji.example", country: "JP", company: "F")
                    let ad = try await Self.summarize(client, token: employer.token, kind: "job_ad", text: "Welder wanted in Osaka. Full time.")
                    #expect(ad.status == .ok, "a job ad needs no transfer decision: \(ad.text)")
                    #expect(server.received.count == 2)
                    let foreignResume = try await Self.summarize(client, token: employer.token, kind: "resume")
                    #expect(foreignResume.status == .forbidden, "only the person a résumé describes may send it")
                }
            }
        }
    }

    @Test func aFailingModelIsA502ProblemNotAHang() async throws {
        let server = FakeChatServer(failing: true)
        try await server.run { port in
            try await PlatformHarness.withPlatform(configure: { config in
                config.languageModel = LanguageModelSettings(endpoint: URL(string: "http://127.0.0.1:\(port)/v1")!, model: "m",
                                                             processingJurisdiction: "JP", timeoutSeconds: 5)
            }) { platform, _ in
                try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                    let worker = try await Scenario.register(client, email: "ken@example.jp", country: "JP")
                    let response = try await Self.summarize(client, token: worker.token)
                    #expect(response.status == .badGateway)
                    #expect(response.json["type"] as? String == "urn:iworkz:problem:model-unavailable")
                    #expect(server.received.count == 1, "same jurisdiction: no transfer decision needed")
                    #expect(try await platform.cell("jp-tokyo")!.audit.entries().isEmpty)
                }
            }
        }
    }

    @Test func agentYAMLWithoutAnLLMSectionKeepsTheAgentOffline() throws {
        #expect(try LanguageModelSettings.parse(yaml: "# nothing\n") == nil)
        let settings = try LanguageModelSettings.parse(yaml: """
            llm: { endpoint: "https://api.example.com/v1", model: m, processing_jurisdiction: us, api_key_env: KEY }
            """)
        #expect(settings?.processingJurisdiction == "US")
        #expect(throws: AgentConfigurationError.self) { try LanguageModelSettings.parse(yaml: "llm: { endpoint: 'ftp://x', model: m, processing_jurisdiction: US }") }
    }
}
