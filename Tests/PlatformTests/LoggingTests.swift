import Sovereignty
import Storage
import SQLKit
import Logging
import Foundation
import HummingbirdTesting
import Platform
import Testing
import TestSupport

@Suite("Logs")
struct LoggingTests {
    @Test func oneJSONLinePerRequestWithoutPersonalData() async throws {
        let capture = LogCapture()
        let secrets = ["jisoo.log@example.kr", "Park Ji-soo", "hr.log@fuji.example", "Fuji Metal HR", "Busan"]
        try await PlatformHarness.withPlatform(sink: capture.sink) { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let worker = try await Scenario.register(
                    client, email: secrets[0], name: secrets[1], country: "KR", profile: Scenario.weldingWorkerProfile)
                let employer = try await Scenario.register(
                    client, role: "employer", email: secrets[2], name: secrets[3], country: "JP", company: "Fuji Metal K.K.")
                _ = try await Scenario.postJob(client, token: employer.token)
                _ = try await client.execute(uri: "/api/v1/users/me", method: .get, headers: JSONRequest.headers(token: worker.token))
                _ = try await client.execute(uri: "/api/v1/matching/jobs", method: .get, headers: JSONRequest.headers(token: worker.token))
                // A rejected request echoes nothing of its body into the logs either.
                _ = try await client.execute(uri: "/api/v1/users", method: .post, headers: JSONRequest.headers(),
                                             body: JSONRequest.body(["email": secrets[0], "role": "nobody"]))
            }
        }
        let text = capture.text
        for secret in secrets + [secrets[0].lowercased()] {
            #expect(!text.contains(secret), "log contains personal data: \(secret)")
        }
        let requests = capture.lines.filter { $0["message"] as? String == "request finished" }
        #expect(requests.count == 6)
        for line in requests {
            #expect((line["request_id"] as? String)?.isEmpty == false)
            #expect(line["role"] as? String == "gateway")
            #expect(line["region"] != nil)
        }
        #expect(requests.contains { $0["region"] as? String == "kr-seoul" })
        #expect(requests.contains { $0["region"] as? String == "jp-tokyo" })
        #expect(text.split(separator: "\n").allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })
    }
}
