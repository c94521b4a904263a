import Foundation
import HTTPTypes
import HummingbirdTesting
import Platform
import Testing
import TestSupport

@Suite("Job postings")
struct JobFlowTests {
    @Test func onlyTheOwnerEditsAndClosesAndEveryCellSeesTheChange() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let owner = try await Scenario.register(client, role: "employer", email: "a@example.jp", country: "JP", company: "A")
                let rival = try await Scenario.register(client, role: "employer", email: "b@example.jp", country: "JP", company: "B")
                let jobID = try await Scenario.postJob(client, token: owner.token)
                var edited = Scenario.weldingJob(title: "Senior welder, Osaka")
                edited["required_skills"] = ["welding", "tig welding"]

                let forbidden = try await client.execute(uri: "/api/v1/jobs/\(jobID)", method: .patch,
                                                         headers: JSONRequest.headers(token: rival.token), body: JSONRequest.body(edited))
                #expect(forbidden.status == .forbidden)
                let updated = try await client.execute(uri: "/api/v1/jobs/\(jobID)", method: .patch,
                                                       headers: JSONRequest.headers(token: owner.token), body: JSONRequest.body(edited))
                #expect(updated.status == .ok)
                #expect(updated.json["title"] as? String == "Senior welder, Osaka")

                let seoul = try await client.execute(uri: "/api/v1/jobs?skill=TIG%20welding", method: .get, headers: JSONRequest.headers(region: "kr-seoul"))
                #expect((seoul.json["jobs"] as? [[String: Any]])?.map { $0["id"] as? String } == [jobID], "the replica in kr-seoul is current")

                let closed = try await client.execute(uri: "/api/v1/jobs/\(jobID)/close", method: .post, headers: JSONRequest.headers(token: owner.token))
                #expect(closed.json["status"] as? String == "closed")
                let again = try await client.execute(uri: "/api/v1/jobs/\(jobID)", method: .patch,
                                                     headers: JSONRequest.headers(token: owner.token), body: JSONRequest.body(edited))
                #expect(again.status == .conflict)
                #expect(again.json["type"] as? String == "urn:iworkz:problem:job-closed")
                for region in ["eu-west-1", "jp-tokyo", "uk-west-1"] {
                    let open = try await client.execute(uri: "/api/v1/jobs", method: .get, headers: JSONRequest.headers(region: region))
                    #expect((open.json["jobs"] as? [Any])?.isEmpty == true, "closed postings leave the open list in \(region)")
                }
            }
        }
    }

    @Test func listsFilterAndPageWithACursor() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let employer = try await Scenario.register(client, role: "employer", email: "a@example.kr", country: "KR", company: "A")
                var ids: [String] = []
                for index in 0..<5 {
                    var job = Scenario.weldingJob(title: "용접공 \(index)")
                    job["location"] = ["country": "KR", "prefecture": index.isMultiple(of: 2) ? "Busan" : "Incheon"]
                    job["employment_type"] = index == 4 ? "part-time" : "full-time"
                    ids.append(try await Scenario.postJob(client, token: employer.token, job: job))
                }
                var seen: [String] = []
                var cursor: String?
                repeat {
                    let page = try await client.execute(uri: "/api/v1/jobs?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), method: .get)
                    seen += (page.json["jobs"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                    cursor = page.json["next_cursor"] as? String
                } while cursor != nil
                #expect(seen == ids.reversed(), "pages walk every posting once, newest first")
                for cursor in [ids[0], "0", "-1", "1e3", "99999999999999999999", "%201"] {
                    let bad = try await client.execute(uri: "/api/v1/jobs?cursor=\(cursor)", method: .get)
                    #expect(bad.status == .unprocessableContent, "cursor \(cursor): \(bad.text.prefix(200))")
                }
                let busan = try await client.execute(uri: "/api/v1/jobs?prefecture=Busan", method: .get)
                #expect((busan.json["jobs"] as? [Any])?.count == 3)
                let partTime = try await client.execute(uri: "/api/v1/jobs?employment_type=part-time&country=kr", method: .get)
                #expect((partTime.json["jobs"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ids[4]])
                let text = try await client.execute(uri: "/api/v1/jobs?q=%EC%9A%A9%EC%A0%91%EA%B3%B5%203", method: .get)
                #expect((text.json["jobs"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ids[3]])
                // Korean without the space, and a word inside a longer one: bigrams find both.
                let joined = try await client.execute(uri: "/api/v1/jobs?q=\("접공".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", method: .get)
                #expect((joined.json["jobs"] as? [[String: Any]])?.count == 5, "\(joined.text.prefix(300))")
                let prefix = try await client.execute(uri: "/api/v1/jobs?q=weld", method: .get)
                #expect((prefix.json["jobs"] as? [[String: Any]])?.count == 5, "a Latin word also matches as a prefix")
                let none = try await client.execute(uri: "/api/v1/jobs?q=%22%29%20OR%20%2A", method: .get)
                #expect(none.status == .ok, "FTS syntax in a query is data, not syntax: \(none.text.prefix(200))")
            }
        }
    }

    @Test func aWorkerUpdatesTheirProfileAndMatchesChange() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let worker = try await Scenario.register(client, email: "w@example.kr", country: "KR", profile: ["skills": ["cooking"]])
                let employer = try await Scenario.register(client, role: "employer", email: "e@example.jp", country: "JP", company: "E")
                _ = try await Scenario.postJob(client, token: employer.token)
                let before = try await client.execute(uri: "/api/v1/matching/jobs", method: .get, headers: JSONRequest.headers(token: worker.token))
                #expect(before.json["eligible"] as? Int == 0, "no residence status, no language: the job is filtered out")
                let update = try await client.execute(uri: "/api/v1/users/me", method: .patch, headers: JSONRequest.headers(token: worker.token),
                                                      body: JSONRequest.body(["profile": Scenario.weldingWorkerProfile]))
                #expect(update.status == .ok)
                #expect((update.json["profile"] as? [String: Any])?["skills"] as? [String] == ["welding", "forklift"])
                let after = try await client.execute(uri: "/api/v1/matching/jobs", method: .get, headers: JSONRequest.headers(token: worker.token))
                #expect(after.json["eligible"] as? Int == 1)
                let empty = try await client.execute(uri: "/api/v1/users/me", method: .patch, headers: JSONRequest.headers(token: worker.token),
                                                     body: JSONRequest.body([:] as [String: Any]))
                #expect(empty.status == .unprocessableContent)
                let duplicate = try await client.execute(uri: "/api/v1/users", method: .post, headers: JSONRequest.headers(), body: JSONRequest.body(
                    ["role": "worker", "email": "W@example.kr", "display_name": "Again", "country_of_residence": "KR"]))
                #expect(duplicate.status == .conflict)
                #expect(duplicate.json["type"] as? String == "urn:iworkz:problem:email-taken")
                let other = try await client.execute(uri: "/api/v1/users/\(employer.id)", method: .get, headers: JSONRequest.headers(token: worker.token))
                #expect(other.status == .forbidden, "a person reads only their own record")
            }
        }
    }
}
