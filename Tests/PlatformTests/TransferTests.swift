import Foundation
import HTTPTypes
import HummingbirdTesting
import Platform
import SQLKit
import Sovereignty
import Testing
import TestSupport
import Transfers

@Suite("Cross-border applications")
struct TransferTests {
    @Test func aKoreanWorkerReachesAJapaneseEmployerOnlyWithConsentAndEveryDecisionIsAudited() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let worker = try await Scenario.register(client, email: "jisoo@example.kr", name: "Park Ji-soo", country: "KR",
                                                         profile: Scenario.weldingWorkerProfile)
                let employer = try await Scenario.register(client, role: "employer", email: "hr@fuji.example", country: "JP", company: "Fuji")
                let firstJob = try await Scenario.postJob(client, token: employer.token)
                let secondJob = try await Scenario.postJob(client, token: employer.token, job: Scenario.weldingJob(title: "Welder, Kobe"))
                let auth = JSONRequest.headers(token: worker.token)
                let kr = try #require(platform.cell("kr-seoul")), jp = try #require(platform.cell("jp-tokyo"))

                let refused = try await client.execute(uri: "/api/v1/users/me/applications", method: .post, headers: auth,
                                                       body: JSONRequest.body(["job_id": firstJob]))
                #expect(refused.status == .forbidden)
                #expect(refused.json["type"] as? String == "urn:iworkz:problem:transfer-not-permitted")
                #expect((refused.json["detail"] as? String)?.contains("consent") == true, "the problem names the missing basis: \(refused.text)")
                #expect(try await Self.applicationRows(in: jp) == 0, "nothing reached the Japanese cell")
                #expect(try await kr.audit.entries().map(\.event) == ["transfer-refused"])
                #expect(try await jp.audit.entries().isEmpty)

                let notice = try await client.execute(uri: "/api/v1/transfers/notice?destination=JP&purpose=job-application", method: .get)
                #expect(notice.status == .ok)
                let version = try #require(notice.json["version"] as? String)
                #expect((notice.json["text"] as? String)?.contains("APPI") == true || (notice.json["text"] as? String)?.contains("Japan") == true)
                let stale = try await client.execute(uri: "/api/v1/users/me/consents", method: .post, headers: auth, body: JSONRequest.body(
                    ["destination": "JP", "purpose": "job-application", "notice_version": "1999-01-01"]))
                #expect(stale.status == .conflict, "consent to a notice the person was not shown is refused")
                let consent = try await client.execute(uri: "/api/v1/users/me/consents", method: .post, headers: auth, body: JSONRequest.body(
                    ["destination": "JP", "purpose": "job-application", "notice_version": version]))
                #expect(consent.status == .created, "\(consent.text)")
                let consentID = try #require(consent.json["id"] as? String)
                #expect(consent.json["notice_text"] as? String == notice.json["text"] as? String, "the notice shown is kept with the consent")

                let sent = try await client.execute(uri: "/api/v1/users/me/applications", method: .post, headers: auth,
                                                    body: JSONRequest.body(["job_id": firstJob]))
                #expect(sent.status == .created, "\(sent.text)")
                let transfer = try #require(sent.json["transfer"] as? [String: Any])
                #expect(transfer["basis"] as? String == "consent")
                #expect(transfer["consent_id"] as? String == consentID)
                #expect(sent.headers[.servedBy] == "kr-seoul", "the decision is made where the data lives")

                let received = try await client.execute(uri: "/api/v1/jobs/\(firstJob)/applications", method: .get,
                                                        headers: JSONRequest.headers(token: employer.token))
                #expect(received.status == .ok)
                #expect(received.headers[.servedBy] == "jp-tokyo")
                let applications = try #require(received.json["applications"] as? [[String: Any]])
                #expect(applications.count == 1)
                let applicant = try #require(applications.first?["applicant"] as? [String: Any])
                #expect(applicant["display_name"] as? String == "Park Ji-soo")
                #expect(Set(applicant.keys) == ["display_name", "skills", "languages", "residence_status", "desired_salary"],
                        "only the minimum data set travels")
                #expect(try await Self.text(of: jp).contains("jisoo@example.kr") == false, "the email never reaches the Japanese cell")
                #expect(try await kr.audit.entries().map(\.event) == ["transfer-refused", "consent-given", "transfer-allowed"])
                let jpEvents = try await jp.audit.entries()
                #expect(jpEvents.map(\.event) == ["application-received"])
                #expect(jpEvents.first?.body.contains(consentID) == true, "both logs hold the decision and the consent it rests on")

                let other = try await client.execute(uri: "/api/v1/jobs/\(firstJob)/applications", method: .get,
                                                     headers: JSONRequest.headers(token: worker.token))
                #expect(other.status == .forbidden, "only the employer reads a job's applications")

                let withdrawn = try await client.execute(uri: "/api/v1/users/me/consents/\(consentID)", method: .delete, headers: auth)
                #expect(withdrawn.status == .ok)
                #expect(withdrawn.json["withdrawn_at"] is String)
                let afterWithdrawal = try await client.execute(uri: "/api/v1/users/me/applications", method: .post, headers: auth,
                                                               body: JSONRequest.body(["job_id": secondJob]))
                #expect(afterWithdrawal.status == .forbidden, "withdrawal stops later transfers")
                #expect(try await Self.applicationRows(in: jp) == 1)
                for cell in [kr, jp] { #expect(try await cell.audit.verify().isIntact) }

                let export = try await client.execute(uri: "/api/v1/users/me/export", method: .get, headers: auth)
                #expect(export.status == .ok)
                #expect(export.headers[.servedBy] == "kr-seoul")
                #expect((export.json["user"] as? [String: Any])?["email"] as? String == "jisoo@example.kr")
                #expect((export.json["consents"] as? [[String: Any]])?.first?["withdrawn_at"] is String)
                #expect((export.json["applications_sent"] as? [Any])?.count == 1)
                #expect((export.json["audit_entries"] as? [[String: Any]])?.compactMap { $0["event"] as? String }
                        == ["transfer-refused", "consent-given", "transfer-allowed", "consent-withdrawn", "transfer-refused"])
                #expect(!export.text.contains("$2"), "no password hash in an export")
            }
        }
    }

    /// Starts the platform on `folder` with the shipped transfer rules as `edit` leaves them (an operator's
    /// edit before a restart), runs `body` against its router, and closes it.
    static func run<T: Sendable>(on folder: URL, rules edit: (String) -> String = { $0 },
                                 _ body: @Sendable (Platform, any TestClientProtocol) async throws -> T) async throws -> T {
        let rules = try String(contentsOf: PlatformHarness.configDirectory.appendingPathComponent("transfer-rules.yaml"), encoding: .utf8)
        let policy = try TransferPolicy(yaml: edit(rules))
        let platform = try await PlatformHarness.start(dataDirectory: folder) { $0.policy = policy }
        do {
            let result = try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in try await body(platform, client) }
            await platform.close()
            return result
        } catch {
            await platform.close()
            throw error
        }
    }

    /// Registers a worker of `country` who consents to applications to Japan.
    static func consentingWorker(_ client: any TestClientProtocol, email: String, country: String) async throws -> Scenario.Account {
        let worker = try await Scenario.register(client, email: email, country: country, profile: Scenario.weldingWorkerProfile)
        let notice = try await client.execute(uri: "/api/v1/transfers/notice?destination=JP&purpose=job-application", method: .get)
        let consent = try await client.execute(uri: "/api/v1/users/me/consents", method: .post, headers: JSONRequest.headers(token: worker.token),
                                               body: JSONRequest.body(["destination": "JP", "purpose": "job-application",
                                                                       "notice_version": try #require(notice.json["version"] as? String)]))
        try #require(consent.status == .created, "\(consent.text)")
        return worker
    }

    static func apply(_ client: any TestClientProtocol, _ worker: Scenario.Account, to job: String) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/users/me/applications", method: .post, headers: JSONRequest.headers(token: worker.token),
                                 body: JSONRequest.body(["job_id": job]))
    }

    /// An operator records a PIPC suspension order (PIPA Art. 28-9) for one employer and restarts: applications
    /// from Korea to that employer are refused from then on, whatever consent the worker gave; the audit
    /// entries name the employer, so the log is the record of each provision (APPI Art. 29, PIPA).
    @Test func aSuspensionOrderStopsApplicationsToItsEmployerAfterARestart() async throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (worker, employer, jobs) = try await Self.run(on: folder) { platform, client in
            let worker = try await Self.consentingWorker(client, email: "minho@example.kr", country: "KR")
            let employer = try await Scenario.register(client, role: "employer", email: "hr@kobe.example", country: "JP", company: "Kobe Steelworks")
            let jobs = [try await Scenario.postJob(client, token: employer.token),
                        try await Scenario.postJob(client, token: employer.token, job: Scenario.weldingJob(title: "Welder, Kobe"))]
            let sent = try await Self.apply(client, worker, to: jobs[0])
            #expect(sent.status == .created, "\(sent.text)")
            let allowed = try #require(try await platform.cell("kr-seoul")?.audit.entries().last)
            #expect(allowed.event == "transfer-allowed")
            #expect(allowed.body.contains(employer.id), "the record of the provision names its recipient")
            return (worker, employer, jobs)
        }
        let order = "  suspension_orders: [{ id: pipc-order-test, from: KR, recipient: \(employer.id), reference: PIPC-TEST-1, since: \"2000-01-01\", article: \"PIPA Art. 28-9(1)\" }]"
        try await Self.run(on: folder, rules: { $0.replacingOccurrences(of: "  suspension_orders: []", with: order) }) { platform, client in
            let refused = try await Self.apply(client, worker, to: jobs[1])
            #expect(refused.status == .forbidden)
            #expect((refused.json["detail"] as? String)?.contains("PIPC-TEST-1") == true, "\(refused.text)")
            let entry = try #require(try await platform.cell("kr-seoul")?.audit.entries().last)
            #expect(entry.event == "transfer-refused")
            #expect(entry.body.contains("pipc-order-test"))
            #expect(try await Self.applicationRows(in: try #require(platform.cell("jp-tokyo"))) == 1, "only the first application arrived")
        }
    }

    /// 28 CFR Part 202: once an operator finds an employer to be a covered person, US workers' applications to it
    /// are counted over twelve months and refused past the bulk threshold (lowered here to one person).
    @Test func applicationsToACoveredPersonAreCountedAgainstTheBulkThreshold() async throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (workers, employer, job) = try await Self.run(on: folder) { _, client in
            let workers = [try await Self.consentingWorker(client, email: "ann@example.com", country: "US"),
                           try await Self.consentingWorker(client, email: "bob@example.com", country: "US")]
            let employer = try await Scenario.register(client, role: "employer", email: "hr@osaka.example", country: "JP", company: "Osaka Works")
            return (workers, employer, try await Scenario.postJob(client, token: employer.token))
        }
        let covered = { (rules: String) in
            rules.replacingOccurrences(of: "  covered_persons: []", with: "  covered_persons: [\(employer.id)]")
                .replacingOccurrences(of: "bulk_thresholds: { personal: 100000,", with: "bulk_thresholds: { personal: 1,")
        }
        try await Self.run(on: folder, rules: covered) { platform, client in
            let first = try await Self.apply(client, workers[0], to: job)
            #expect(first.status == .created, "one person is not more than the threshold: \(first.text)")
            let second = try await Self.apply(client, workers[1], to: job)
            #expect(second.status == .forbidden, "two are: \(second.text)")
            #expect((second.json["detail"] as? String)?.contains("covered person") == true)
            let us = try #require(platform.cell("us-east-1"))
            #expect(try await us.audit.entries().last?.body.contains("us-covered-persons") == true)
        }
    }

    @Test func aSameJurisdictionApplicationNeedsNoTransfer() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                var profile = Scenario.weldingWorkerProfile
                profile["location"] = ["country": "JP", "city": "Osaka"]
                let worker = try await Scenario.register(client, email: "ken@example.jp", country: "JP", profile: profile)
                let employer = try await Scenario.register(client, role: "employer", email: "hr@osaka.example", country: "JP", company: "O")
                let job = try await Scenario.postJob(client, token: employer.token)
                let sent = try await client.execute(uri: "/api/v1/users/me/applications", method: .post,
                                                    headers: JSONRequest.headers(token: worker.token), body: JSONRequest.body(["job_id": job]))
                #expect(sent.status == .created, "\(sent.text)")
                #expect((sent.json["transfer"] as? [String: Any])?["rule"] as? String == "same-jurisdiction")
            }
        }
    }

    @Test func editingOrRemovingAnAuditEntryIsDetected() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            let audit = try #require(platform.cell("kr-seoul")).audit
            for index in 0..<4 { try await audit.append(event: "test", details: ["n": index]) }
            let intact = try await audit.verify()
            #expect(intact.isIntact && intact.entries == 4)
            let sql = try #require(platform.cell("kr-seoul")).database.sql
            try await sql.raw("UPDATE audit_log SET body = '{\"n\":9}' WHERE seq = 2").run()
            #expect(try await audit.verify().problem == "entry 2 was altered")
            try await sql.raw("UPDATE audit_log SET body = '{\"n\":1}' WHERE seq = 2").run()
            #expect(try await audit.verify().isIntact)
            try await sql.raw("DELETE FROM audit_log WHERE seq = 3").run()
            #expect(try await audit.verify().problem == "entry 3 is missing (found 4 next)")
            try await sql.raw("DELETE FROM audit_log WHERE seq = 4").run()
            #expect(try await audit.verify().problem?.contains("entries were removed") == true, "cutting the end off is seen by the head")
        }
    }

    static func applicationRows(in cell: Cell) async throws -> Int {
        try await cell.database.sql.raw("SELECT count(*) AS n FROM applications").first()!.decode(column: "n", as: Int.self)
    }

    /// Every text column of every table of a cell, to look for data that must not be there.
    static func text(of cell: Cell) async throws -> String {
        var all = ""
        for table in ["users", "jobs", "applications", "audit_log", "consents"] {
            for row in try await cell.database.sql.raw("SELECT * FROM \(unsafeRaw: table)").all() {
                for column in row.allColumns { all += (try? row.decode(column: column, as: String.self)) ?? "" }
            }
        }
        return all
    }
}
