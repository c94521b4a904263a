import Sovereignty
import Storage
import SQLKit
import Logging
import Foundation
import HTTPTypes
import HummingbirdTesting
import Platform
import Testing
import TestSupport

@Suite("Live server")
struct LiveServerTests {
    @Test func theTourWorksOverTCP() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.live) { client in
                let health = try await client.execute(uri: "/health", method: .get)
                #expect(health.status == .ok)
                #expect(health.json["status"] as? String == "ok")
                let ready = try await client.execute(uri: "/ready", method: .get)
                #expect(ready.status == .ok)
                #expect((ready.json["cells"] as? [String: String])?.count == 7)

                let worker = try await Scenario.register(
                    client, email: "jisoo@example.kr", country: "KR", profile: Scenario.weldingWorkerProfile)
                #expect(worker.servedBy == "kr-seoul")
                let employer = try await Scenario.register(
                    client, role: "employer", email: "hr@fuji.example", country: "JP", company: "Fuji Metal K.K.")
                #expect(employer.servedBy == "jp-tokyo")
                let jobID = try await Scenario.postJob(client, token: employer.token)
                var ineligible = Scenario.weldingJob(title: "Interpreter")
                ineligible["eligible_residence_statuses"] = ["engineer-humanities-international"]
                let ineligibleID = try await Scenario.postJob(client, token: employer.token, job: ineligible)

                let matches = try await client.execute(
                    uri: "/api/v1/matching/jobs", method: .get, headers: JSONRequest.headers(token: worker.token))
                #expect(matches.status == .ok)
                #expect(matches.headers[.servedBy] == "kr-seoul", "matching runs in the worker's cell")
                #expect(matches.headers[.contentType] == "application/json; charset=utf-8")
                #expect(matches.headers[.requestIDHeader]?.isEmpty == false)
                let list = try #require(matches.json["matches"] as? [[String: Any]])
                let first = try #require(list.first)
                #expect((first["job"] as? [String: Any])?["id"] as? String == jobID)
                #expect(!list.contains { ($0["job"] as? [String: Any])?["id"] as? String == ineligibleID })
                let score = try #require(first["score"] as? Double)
                let parts = try #require(first["explanation"] as? [[String: Any]])
                let sum = parts.compactMap { $0["points"] as? Double }.reduce(0, +)
                #expect(abs(sum - score) < 0.0001, "the explanation sums to the score")

                let hidden = try await client.execute(uri: "/metrics", method: .get)
                #expect(hidden.status == .notFound, "metrics are not on the public listener")
                try await platform.operationsApplication(host: "127.0.0.1", port: 0).test(.live) { operations in
                    let metrics = try await operations.execute(uri: "/metrics", method: .get)
                    #expect(metrics.status == .ok)
                    #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
                    #expect(metrics.text.contains("http_server_request_duration_seconds_bucket"))
                    #expect(metrics.text.contains(#"http_route="/api/v1/matching/*""#))
                    #expect(metrics.text.contains(#"iworkz_region="kr-seoul""#))
                    #expect(metrics.text.contains(#"http_response_status_code="201""#))
                    #expect(try await operations.execute(uri: "/health", method: .get).status == .ok)
                    #expect(try await operations.execute(uri: "/ready", method: .get).status == .ok)
                    #expect(try await operations.execute(uri: "/api/v1/jobs", method: .get).status == .notFound)
                }

                let document = try await client.execute(uri: "/openapi.yaml", method: .get)
                #expect(document.status == .ok)
                #expect(document.text.hasPrefix("openapi: 3.1"))
            }
        }
    }
}
