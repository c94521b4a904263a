import Foundation
import HTTPTypes
import HummingbirdTesting
import Platform
import Testing
import TestSupport

@Suite("Candidates for a job")
struct CandidateTests {
    static var sponsoredWeldingJob: [String: Any] {
        var job = Scenario.weldingJob()
        job["visa_sponsorship"] = true
        return job
    }

    static func optIn(_ client: some TestClientProtocol, token: String, destination: String = "JP") async throws -> String {
        let notice = try await client.execute(
            uri: "/api/v1/transfers/notice?destination=\(destination)&purpose=candidate-discovery", method: .get)
        #expect(notice.status == .ok, "\(notice.text)")
        let consent = try await client.execute(uri: "/api/v1/users/me/consents", method: .post, headers: JSONRequest.headers(token: token),
                                               body: JSONRequest.body(["destination": destination, "purpose": "candidate-discovery",
                                                                       "notice_version": try #require(notice.json["version"] as? String)]))
        #expect(consent.status == .created, "\(consent.text)")
        return try #require(consent.json["id"] as? String)
    }

    @Test func anEmployerSeesLocalWorkersAndPseudonymousCardsOfOptedInWorkersAbroad() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let employer = try await Scenario.register(client, role: "employer", email: "hr@fuji.example", country: "JP", company: "Fuji")
                let job = try await Scenario.postJob(client, token: employer.token, job: Self.sponsoredWeldingJob)
                var localProfile = Scenario.weldingWorkerProfile
                localProfile["location"] = ["country": "JP", "prefecture": "Osaka", "city": "Osaka"]
                let local = try await Scenario.register(client, email: "ken@example.jp", name: "Sato Ken", country: "JP", profile: localProfile)
                let optedIn = try await Scenario.register(client, email: "jisoo@example.kr", name: "Park Ji-soo", country: "KR",
                                                          profile: Scenario.weldingWorkerProfile)
                let silent = try await Scenario.register(client, email: "minho@example.kr", name: "Lee Min-ho", country: "KR",
                                                         profile: Scenario.weldingWorkerProfile)
                var cookProfile = Scenario.weldingWorkerProfile
                cookProfile["skills"] = ["cooking"]
                let unrelated = try await Scenario.register(client, email: "cook@example.kr", name: "Cho Cook", country: "KR", profile: cookProfile)
                let consentID = try await Self.optIn(client, token: optedIn.token)
                _ = try await Self.optIn(client, token: unrelated.token)

                // Before: any self-registered employer listed the cell's workers without their consent.
                let unverified = try await client.execute(uri: "/api/v1/jobs/\(job)/candidates", method: .get,
                                                          headers: JSONRequest.headers(token: employer.token))
                #expect(unverified.status == .forbidden)
                #expect(unverified.json["type"] as? String == "urn:iworkz:problem:employer-not-verified")
                try await Scenario.verifyEmployer(platform, employer.id)
                let beforeConsent = try await client.execute(uri: "/api/v1/jobs/\(job)/candidates", method: .get,
                                                             headers: JSONRequest.headers(token: employer.token))
                #expect((beforeConsent.json["local"] as? [Any])?.isEmpty == true, "a local worker is shown only with consent: \(beforeConsent.text)")
                let localConsent = try await Self.optIn(client, token: local.token, destination: "JP")

                let response = try await client.execute(uri: "/api/v1/jobs/\(job)/candidates", method: .get,
                                                        headers: JSONRequest.headers(token: employer.token))
                #expect(response.status == .ok, "\(response.text)")
                #expect(response.headers[.servedBy] == "jp-tokyo")
                let locals = try #require(response.json["local"] as? [[String: Any]])
                #expect(locals.compactMap { $0["worker_id"] as? String } == [local.id])
                #expect(locals.first?["display_name"] as? String == "Sato Ken")
                let cards = try #require(response.json["cards"] as? [[String: Any]])
                #expect(cards.count == 1, "only the opted-in worker who shares a skill is shown: \(response.text)")
                let card = try #require(cards.first)
                let cardID = try #require(card["card_id"] as? String)
                #expect(cardID.hasPrefix("crd_kr1_"))
                #expect(card["home_region"] as? String == "kr-seoul")
                #expect((card["eligibility"] as? [String: Any])?["eligible"] as? Bool == true)
                let text = response.text
                for secret in [optedIn.id, silent.id, "Park Ji-soo", "jisoo@example.kr", "Busan", "Lee Min-ho", unrelated.id] {
                    #expect(!text.contains(secret), "\(secret) is on a card")
                }
                let profile = try #require(card["profile"] as? [String: Any])
                #expect(Set(profile.keys) == ["skills", "languages", "residence_status", "desired_salary", "desired_area"])
                #expect((profile["desired_area"] as? [String: Any])?["country"] as? String == "KR")

                let again = try await client.execute(uri: "/api/v1/jobs/\(job)/candidates", method: .get,
                                                     headers: JSONRequest.headers(token: employer.token))
                #expect((again.json["cards"] as? [[String: Any]])?.first?["card_id"] as? String == cardID, "a card id is stable")

                let kr = try #require(platform.cell("kr-seoul")), jp = try #require(platform.cell("jp-tokyo"))
                let shownLocally = try await jp.audit.entries().filter { $0.event == "candidates-disclosed" }
                #expect(shownLocally.count == 2 && shownLocally.allSatisfy { $0.body.contains(localConsent) && $0.body.contains(local.id) })
                let disclosed = try await kr.audit.entries().filter { $0.event == "cards-disclosed" }
                #expect(disclosed.count == 3, "once per listing that reached the cell")
                #expect(disclosed.first?.body.contains(consentID) == true, "the home cell records the consent each card rests on")
                let received = try await jp.audit.entries().filter { $0.event == "cards-received" }
                #expect(received.count == 3)
                #expect(received.allSatisfy { $0.body.contains(cardID) && !$0.body.contains(optedIn.id) },
                        "the employer's cell learns the card, never the person")

                let other = try await Scenario.register(client, role: "employer", email: "hr@other.example", country: "JP", company: "Other")
                for token in [other.token, local.token] {
                    let refused = try await client.execute(uri: "/api/v1/jobs/\(job)/candidates", method: .get,
                                                           headers: JSONRequest.headers(token: token))
                    #expect(refused.status == .forbidden)
                }

                let export = try await client.execute(uri: "/api/v1/users/me/export", method: .get, headers: JSONRequest.headers(token: optedIn.token))
                #expect((export.json["candidate_cards"] as? [[String: Any]])?.first?["card_id"] as? String == cardID,
                        "the worker's export names their card")

                let withdrawn = try await client.execute(uri: "/api/v1/users/me/consents/\(consentID)", method: .delete,
                                                         headers: JSONRequest.headers(token: optedIn.token))
                #expect(withdrawn.status == .ok)
                let after = try await client.execute(uri: "/api/v1/jobs/\(job)/candidates", method: .get,
                                                     headers: JSONRequest.headers(token: employer.token))
                #expect((after.json["cards"] as? [Any])?.isEmpty == true, "withdrawal takes the card away")
                let localWithdrawn = try await client.execute(uri: "/api/v1/users/me/consents/\(localConsent)", method: .delete,
                                                              headers: JSONRequest.headers(token: local.token))
                #expect(localWithdrawn.status == .ok)
                let gone = try await client.execute(uri: "/api/v1/jobs/\(job)/candidates", method: .get,
                                                    headers: JSONRequest.headers(token: employer.token))
                #expect((gone.json["local"] as? [Any])?.isEmpty == true, "a local worker's withdrawal takes them off the list")
                #expect(after.json["unavailable"] as? [String] == [])
            }
        }
    }
}
