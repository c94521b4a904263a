import Foundation
import HummingbirdTesting
import Platform
import ServerKit
import Sovereignty
import Testing
import TestSupport
import Transfers

/// What each law requires a person to be told before consenting to a transfer, checked notice by
/// notice, language by language, destination by destination.
@Suite("Transfer notices")
struct TransferNoticeTests {
    static func configuration() throws -> (purposes: TransferPurposes, policy: TransferPolicy, yaml: String) {
        let directory = PlatformHarness.configDirectory
        let yaml = try String(contentsOf: directory.appendingPathComponent("transfers.yaml"), encoding: .utf8)
        let policy = try TransferPolicy(yaml: String(contentsOf: directory.appendingPathComponent("transfer-rules.yaml"), encoding: .utf8))
        return (try TransferPurposes(yaml: yaml), policy, yaml)
    }

    /// The checklists as the laws state them; the configuration must not ask for less.
    static let checklists: [String: Set<String>] = [
        "JP": ["country", "protection-system", "recipient-measures"],  // APPI Enforcement Rules Art. 17(2)
        "KR": ["items", "country", "timing-method", "recipient-contact", "purpose-retention", "refusal"],  // PIPA Art. 28-8(2)
        "EU": ["risks"],  // GDPR Art. 49(1)(a)
        "UK": ["risks"],  // UK GDPR Art. 49(1)(a)
        "SG": ["protection-summary"],  // PDP Regulations 2021 reg. 10(3)
    ]

    @Test func everyNoticeCarriesWhatEachRegimeRequiresInEveryLanguage() throws {
        let (purposes, policy, _) = try Self.configuration()
        for (regime, elements) in Self.checklists {
            #expect(Set(purposes.noticeRequirements[regime] ?? []).isSuperset(of: elements), "\(regime)'s checklist")
        }
        let destinations = ["JP", "KR", "EU", "UK", "US", "SG"]
        for purpose in purposes.purposes.values {
            for (regime, elements) in Self.checklists {
                for element in elements {
                    #expect(purpose.noticeElements.contains(element), "\(purpose.id) lacks \(element), which \(regime) requires")
                }
            }
            for destination in destinations {
                let info = try #require(policy.jurisdictions.first { $0.code.code == destination })
                for language in TransferPurposes.languages {
                    let system = purposes.protectionSystem(of: destination, name: info.name, language: language)
                    let text = purpose.notice(destination: info.name, law: info.law, protectionSystem: system, language: language)
                    #expect(text.contains(info.name), "\(purpose.id) → \(destination) (\(language)) names the country")
                    #expect(text.contains(system), "\(purpose.id) → \(destination) (\(language)) describes its protection system")
                    #expect(!text.contains("{"), "\(purpose.id) → \(destination) (\(language)) has no placeholder left: \(text)")
                    #expect(text.components(separatedBy: "\n\n").count == purpose.noticeElements.count)
                }
            }
        }
    }

    @Test func theNoticesAreWrittenInTheirLanguages() throws {
        let (purposes, policy, _) = try Self.configuration()
        let info = try #require(policy.jurisdictions.first { $0.code.code == "US" })
        let purpose = try #require(purposes.purposes["job-application"])
        func text(_ language: String) -> String {
            purpose.notice(destination: info.name, law: info.law,
                           protectionSystem: purposes.protectionSystem(of: "US", name: info.name, language: language), language: language)
        }
        #expect(text("ja").unicodeScalars.contains { (0x3040...0x30FF).contains($0.value) }, "Japanese kana")
        #expect(text("ko").unicodeScalars.contains { (0xAC00...0xD7A3).contains($0.value) }, "Hangul")
        #expect(text("en").contains("You may refuse"))
        let unassessed = purposes.protectionSystem(of: "KP", name: "North Korea", language: "en")
        #expect(unassessed.contains("has not assessed"))
    }

    @Test func aNoticeThatOmitsWhatALawRequiresIsRefused() throws {
        let (_, _, yaml) = try Self.configuration()
        // Without the refusal sections, Korea's checklist is not met.
        let lines = yaml.components(separatedBy: "\n")
        var kept: [String] = [], skipping = false
        for line in lines {
            if line.hasPrefix("        - element: ") { skipping = line.hasSuffix("refusal") }
            if !skipping { kept.append(line) }
        }
        let error = #expect(throws: TransfersConfigurationError.self) { try TransferPurposes(yaml: kept.joined(separator: "\n")) }
        #expect(error?.description.contains("lacks refusal, which KR requires") == true, "\(error?.description ?? "")")
    }

    @Test func theConsentKeepsTheNoticeInTheLanguageItWasRead() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let worker = try await Scenario.register(client, email: "minji@example.kr", country: "KR")
                let korean = try await client.execute(uri: "/api/v1/transfers/notice?destination=JP&purpose=job-application&lang=ko", method: .get)
                #expect(korean.status == .ok)
                #expect(korean.json["language"] as? String == "ko")
                let text = try #require(korean.json["text"] as? String)
                #expect(text.contains("일본에 있으며"), "the destination is named in the reader's language: \(text.prefix(200))")
                #expect(!text.contains("Japan"))
                let version = try #require(korean.json["version"] as? String)
                let consent = try await client.execute(
                    uri: "/api/v1/users/me/consents", method: .post, headers: JSONRequest.headers(token: worker.token),
                    body: JSONRequest.body(["destination": "JP", "purpose": "job-application", "notice_version": version, "language": "ko"]))
                #expect(consent.status == .created, "\(consent.text)")
                #expect(consent.json["notice_text"] as? String == korean.json["text"] as? String)
                #expect(consent.json["kind"] as? String == "pipa-separate", "Korea's law asks for separate consent, and the record says which form was given")
                let unknown = try await client.execute(uri: "/api/v1/transfers/notice?destination=JP&purpose=job-application&lang=fr", method: .get)
                #expect(unknown.status == .unprocessableContent)
            }
        }
    }

    /// A consent given before its form was recorded (or in another form) does not carry a transfer.
    @Test func aConsentOfAnotherFormIsNoEvidence() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let worker = try await Scenario.register(client, email: "seojun@example.kr", country: "KR", profile: Scenario.weldingWorkerProfile)
                let employer = try await Scenario.register(client, role: "employer", email: "hr@kobe.example", country: "JP", company: "Kobe")
                let job = try await Scenario.postJob(client, token: employer.token)
                let kr = try #require(platform.cell("kr-seoul"))
                let notice = try await client.execute(uri: "/api/v1/transfers/notice?destination=JP&purpose=job-application", method: .get)
                let version = try #require(notice.json["version"] as? String)
                try await kr.consents.insert(Consent(
                    id: "before-forms", userID: try #require(RegionalID(worker.id)), destination: "JP", purpose: "job-application",
                    noticeVersion: version, noticeText: "an older notice", kind: .unrecorded, givenAt: "2026-11-30T00:00:00Z"))
                let refused = try await client.execute(uri: "/api/v1/users/me/applications", method: .post,
                                                       headers: JSONRequest.headers(token: worker.token), body: JSONRequest.body(["job_id": job]))
                #expect(refused.status == .forbidden, "\(refused.text)")
                let given = try await client.execute(
                    uri: "/api/v1/users/me/consents", method: .post, headers: JSONRequest.headers(token: worker.token),
                    body: JSONRequest.body(["destination": "JP", "purpose": "job-application", "notice_version": version]))
                #expect(given.status == .created, "the same notice consented to in the required form is a new consent: \(given.text)")
                let sent = try await client.execute(uri: "/api/v1/users/me/applications", method: .post,
                                                    headers: JSONRequest.headers(token: worker.token), body: JSONRequest.body(["job_id": job]))
                #expect(sent.status == .created, "\(sent.text)")
            }
        }
    }
}
