import AsyncHTTPClient
import Foundation
import NIOCore
import Sovereignty
import Testing

/// Through the gateway, the matching engine and the agent of each region run as roles of their own:
/// a Korean worker's matches include a Japanese posting the Korean engine learnt from its region's
/// catalog feed, a new posting reaches their match stream across the gateway, and the agent answers.
@Suite("Matching engine and agent as separate roles")
struct SeparateRolesTests {
    @Test func matchesStreamsAndTheAgentAnswerThroughTheGateway() async throws {
        try await DistributedHarness.with { platform in
            let worker = try await platform.register([
                "role": "worker", "email": "minji.kim@example.kr", "display_name": "Kim Min-ji", "country_of_residence": "KR",
                "profile": ["skills": ["welding"], "residence": ["status": "specified-skilled-worker-1", "expires_on": "2028-01-31"],
                            "languages": [["language": "ja", "test": "JLPT", "level": "N3"]], "location": ["country": "KR"]],
            ])
            let employer = try await platform.register([
                "role": "employer", "email": "hr@osaka-steel.example", "display_name": "Osaka Steel HR", "country_of_residence": "JP",
                "company_name": "Osaka Steel K.K.", "corporate_number": "1180301018771",
            ])
            let posting: [String: Any] = [
                "title": "Welder", "description": "Steel frame welding.", "required_skills": ["welding"],
                "eligible_residence_statuses": ["specified-skilled-worker-1"], "location": ["country": "JP", "prefecture": "Osaka"],
                "employment_type": "full-time", "field": "industrial-manufacturing",
            ]
            let first = try await platform.call(.POST, "/api/v1/jobs", json: posting, token: employer.token)
            let firstID = try #require(first.body["id"] as? String)

            // jp-tokyo's posting reaches kr-seoul's backend-api, then kr-seoul's engine follows it.
            var matched: [String] = []
            for _ in 0..<100 {
                let matches = try await platform.call(.GET, "/api/v1/matching/jobs", token: worker.token)
                #expect(matches.status == 200)
                #expect(matches.body["region"] as? String == "kr-seoul", "matching runs in the worker's region")
                matched = (matches.body["matches"] as? [[String: Any]] ?? []).compactMap { ($0["job"] as? [String: Any])?["id"] as? String }
                if matched.contains(firstID) { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(matched.contains(firstID))
            #expect(platform.engines[RegionID("kr-seoul")]?.isReady == true)

            // A new posting reaches the worker's open stream through the gateway, as it is indexed.
            var request = HTTPClientRequest(url: platform.gatewayURL + "/api/v1/matching/stream?min_score=0")
            request.headers.add(name: "Authorization", value: "Bearer \(worker.token)")
            let stream = try await platform.client.execute(request, timeout: .seconds(10))
            #expect(stream.status == .ok)
            #expect(stream.headers.first(name: "Content-Type") == "text/event-stream")
            // The engine subscribed the worker before the head was sent; read until a match arrives.
            let body = stream.body
            let reader = Task { () throws -> String in
                var text = ""
                for try await chunk in body {
                    text += String(buffer: chunk)
                    if text.contains("event: match") { break }
                }
                return text
            }
            let watchdog = Task {
                try await Task.sleep(for: .seconds(10))
                reader.cancel()
            }
            let second = try await platform.call(.POST, "/api/v1/jobs", json: posting, token: employer.token)
            let secondID = try #require(second.body["id"] as? String)
            let event = (try? await reader.value) ?? "no event before the timeout"
            watchdog.cancel()
            #expect(event.hasPrefix(": connected"))
            #expect(event.contains("event: match") && event.contains(secondID), "\(event)")

            // The agent answers in the caller's region, and only with a token.
            let skills = try await platform.call(.POST, "/api/v1/agent/skills", json: ["text": "I weld steel frames and drive a forklift."],
                                                 token: worker.token)
            #expect(skills.status == 200)
            #expect((skills.body["skills"] as? [[String: Any]])?.isEmpty == false)
            #expect(try await platform.call(.POST, "/api/v1/agent/skills", json: ["text": "welding"]).status == 401)

            // backend-api no longer answers the matching engine's routes itself: its region's engine does.
            #expect(try await platform.call(.GET, "/ready").body["roles"] as? [String: String] != nil)
        }
    }
}
