import Foundation
import HTTPTypes
import HummingbirdTesting
import Platform
import Testing
import TestSupport

@Suite("Real-time matches")
struct MatchStreamTests {
    @Test(.timeLimit(.minutes(1)))
    func aConnectedWorkerHearsOfANewPostingTheyMatchAndNotOfOthers() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let worker = try await Scenario.register(client, email: "jisoo@example.kr", country: "KR", profile: Scenario.weldingWorkerProfile)
                let employer = try await Scenario.register(client, role: "employer", email: "hr@fuji.example", country: "JP", company: "Fuji")
                try await LiveServer.run(platform) { port in
                    let stream = try await RawConnection.connect(port: port)
                    try await stream.send("GET /api/v1/matching/stream?min_score=40 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(worker.token)\r\n\r\n")
                    try await Self.wait { stream.text.contains(": connected") }
                    #expect(stream.text.hasPrefix("HTTP/1.1 200"), "\(stream.text.prefix(300))")
                    #expect(stream.text.lowercased().contains("content-type: text/event-stream"))
                    #expect(stream.text.lowercased().contains("x-served-by-region: kr-seoul"), "the stream runs in the worker's cell")

                    var cooking = Scenario.weldingJob(title: "Cook")
                    cooking["required_skills"] = ["cooking"]
                    cooking["field"] = "food-service"
                    let unrelated = try await Scenario.postJob(client, token: employer.token, job: cooking)
                    let welding = try await Scenario.postJob(client, token: employer.token)
                    try await Self.wait { stream.text.contains(welding) }
                    #expect(stream.text.contains("event: match\nid: \(welding)\ndata: {"), "\(stream.text.suffix(600))")
                    #expect(!stream.text.contains(unrelated), "a posting the worker does not match is not announced")
                    #expect(platform.cell("kr-seoul")?.matchNotifier.subscriberCount == 1)
                    // The stream stays open: shutting the server down must end it rather than wait for the client.
                }
                #expect(platform.cell("kr-seoul")?.matchNotifier.subscriberCount == 0, "shutdown ended the subscription")
            }
        }
    }

    /// Two replicas of the platform sharing Redis (as matching-engine replicas share it in production):
    /// a posting written through one reaches a worker streaming from the other.
    @Test(.timeLimit(.minutes(1)),
          .enabled(if: ProcessInfo.processInfo.environment["IWORKZ_TEST_REDIS_URL"] != nil, "IWORKZ_TEST_REDIS_URL is not set"))
    func aPostingWrittenOnOneReplicaReachesAWorkerStreamingFromAnotherThroughRedis() async throws {
        let url = try #require(ProcessInfo.processInfo.environment["IWORKZ_TEST_REDIS_URL"])
        let namespace = "iworkz-test-\(UUID().uuidString)"
        let (folderA, folderB) = (PlatformHarness.temporaryDataDirectory(), PlatformHarness.temporaryDataDirectory())
        defer {
            try? FileManager.default.removeItem(at: folderA)
            try? FileManager.default.removeItem(at: folderB)
        }
        let writer = try await PlatformHarness.start(dataDirectory: folderA, redisURL: url, redisNamespace: namespace)
        let reader = try await PlatformHarness.start(dataDirectory: folderB, redisURL: url, redisNamespace: namespace)
        try await reader.application(host: "127.0.0.1", port: 0).test(.router) { readerClient in
            let worker = try await Scenario.register(readerClient, email: "jisoo@example.kr", country: "KR", profile: Scenario.weldingWorkerProfile)
            try await writer.application(host: "127.0.0.1", port: 0).test(.router) { writerClient in
                let employer = try await Scenario.register(writerClient, role: "employer", email: "hr@fuji.example", country: "JP", company: "Fuji")
                // The writer's listeners run too, as every replica's do.
                try await LiveServer.run(writer) { _ in
                    try await LiveServer.run(reader) { port in
                        try await Self.wait { reader.cells.allSatisfy { $0.listensToJobEvents } && writer.cells.allSatisfy { $0.listensToJobEvents } }
                        let ready = try await readerClient.execute(uri: "/ready", method: .get)
                        #expect(ready.status == .ok, "the reader is ready once it listens to job events: \(ready.text)")
                        let stream = try await RawConnection.connect(port: port)
                        try await stream.send("GET /api/v1/matching/stream?min_score=40 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(worker.token)\r\n\r\n")
                        try await Self.wait { stream.text.contains(": connected") }
                        let job = try await Scenario.postJob(writerClient, token: employer.token)
                        try await Self.wait { stream.text.contains(job) }
                        #expect(stream.text.contains("event: match\nid: \(job)\ndata: {"), "\(stream.text.suffix(600))")
                        #expect(stream.text.components(separatedBy: "event: match").count == 2, "announced once")
                        #expect(reader.cell("kr-seoul")?.matchingIndex.count == 1, "the reader's index learnt the posting from the event")
                    }
                }
            }
        }
        await writer.close()
        await reader.close()
    }

    static func wait(_ condition: @Sendable () -> Bool) async throws {
        for _ in 0..<150 where !condition() { try await Task.sleep(for: .milliseconds(20)) }
    }
}
