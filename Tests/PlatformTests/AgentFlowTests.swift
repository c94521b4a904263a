import Foundation
import HTTPTypes
import HummingbirdTesting
import Platform
import Testing
import TestSupport

@Suite("ai-agent over the API")
struct AgentFlowTests {
    @Test func extractsSkillsAndReviewsAdsForSignedInCallersInTheirCell() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let worker = try await Scenario.register(client, email: "minh@example.kr", country: "KR")
                let resume = JSONRequest.body(["text": "용접공 3년, 지게차 운전 가능. TIG welding, 日本語 N3."])
                let anonymous = try await client.execute(uri: "/api/v1/agent/skills", method: .post, headers: JSONRequest.headers(), body: resume)
                #expect(anonymous.status == .unauthorized, "résumé text is personal data: no token, no processing")
                let skills = try await client.execute(
                    uri: "/api/v1/agent/skills", method: .post, headers: JSONRequest.headers(token: worker.token), body: resume)
                #expect(skills.status == .ok, "\(skills.text)")
                #expect(skills.headers[.servedBy] == "kr-seoul", "the text is processed in the worker's home cell")
                let found = Set((skills.json["skills"] as? [[String: Any]] ?? []).compactMap { $0["skill"] as? String })
                #expect(found == ["welding", "forklift", "tig-welding", "japanese-language"])

                let empty = try await client.execute(
                    uri: "/api/v1/agent/skills", method: .post, headers: JSONRequest.headers(token: worker.token), body: JSONRequest.body(["text": " "]))
                #expect(empty.status == .unprocessableContent)
                #expect(empty.json["type"] as? String == "urn:iworkz:problem:validation-failed")

                let employer = try await Scenario.register(client, role: "employer", email: "hr@example.jp", country: "JP", company: "E")
                var ad = Scenario.weldingJob()
                ad["description"] = "35歳以下の方。日本人のみ。"
                ad["salary"] = ["min": 900, "max": 1000, "currency": "JPY", "period": "hour"]
                let review = try await client.execute(
                    uri: "/api/v1/agent/review", method: .post, headers: JSONRequest.headers(token: employer.token), body: JSONRequest.body(ad))
                #expect(review.status == .ok, "\(review.text)")
                let rules = Set((review.json["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String })
                #expect(rules.isSuperset(of: ["jp-age-limit", "jp-nationality", "jp-minimum-wage", "jp-mandatory-insurance"]), "\(rules)")
                #expect(review.json["rules_as_of"] as? String == "2026-02-13")
            }
        }
    }
}
