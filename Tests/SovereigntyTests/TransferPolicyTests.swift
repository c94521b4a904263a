import Sovereignty
import Testing

@Suite("Transfer policy")
struct TransferPolicyTests {
    /// Destinations each source may send personal data to on automatic bases alone (no consent, no contract).
    static let automaticallyLawful: [String: Set<String>] = [
        "JP": ["EU", "UK"],
        "KR": ["EU"],
        "EU": ["JP", "KR", "UK"],
        "UK": ["EU", "KR"],
        "US": ["JP", "KR", "EU", "UK", "SG", "CN", "RU", "IR", "KP", "CU", "VE"],
        "SG": [],
    ]

    @Test func decidesEveryPairOfJurisdictionsInTheRulesFile() throws {
        let policy = try ConfigFiles.policy()
        let codes = policy.jurisdictions.map(\.code)
        #expect(codes.count >= 6)
        for source in codes {
            for destination in codes {
                let decision = policy.decide(from: source, to: destination, dataClasses: [.personal])
                let expected = source == destination
                    || Self.automaticallyLawful[source.code, default: []].contains(destination.code)
                #expect(decision.isAllowed == expected, "\(source) → \(destination): \(decision.reason)")
                if decision.isAllowed, source != destination {
                    #expect(decision.basis?.isAutomatic == true)
                    #expect(!decision.article.isEmpty, "an allowed transfer cites its article")
                    #expect(policy.rules.contains { $0.id == decision.ruleID })
                } else if !decision.isAllowed {
                    #expect(decision.basis == nil)
                }
            }
        }
    }

    @Test func everyRuleIsReachable() throws {
        let policy = try ConfigFiles.policy()
        for rule in policy.rules where rule.effect == .permit {
            let destination = policy.jurisdictions.map(\.code).first { candidate in
                candidate != rule.from && policy.decide(from: rule.from, to: candidate, dataClasses: rule.dataClasses, bases: [rule.basis!]).ruleID == rule.id
            }
            #expect(destination != nil, "rule \(rule.id) never decides a transfer")
        }
    }

    @Test func seedBackupFromSingaporeToJapanNeedsTheContract() throws {
        let policy = try ConfigFiles.policy()
        let withoutContract = policy.decide(from: "SG", to: "JP", dataClasses: [.personal, .sensitive])
        #expect(withoutContract.outcome == .deny)
        #expect(withoutContract.ruleID == "no-basis")
        #expect(withoutContract.alternatives.contains { $0.basis == .contractualClauses && $0.ruleID == "sg-legally-bound" })
        let withContract = policy.decide(from: "SG", to: "JP", dataClasses: [.personal, .sensitive], bases: [.contractualClauses])
        #expect(withContract.outcome == .allow)
        #expect(withContract.ruleID == "sg-legally-bound")
        #expect(withContract.article.contains("PDPA s.26"))
    }

    @Test func seedBackupFromTheUKToTheEUIsAdequate() throws {
        let decision = try ConfigFiles.policy().decide(from: "UK", to: "EU", dataClasses: [.personal, .sensitive])
        #expect(decision.outcome == .allow)
        #expect(decision.ruleID == "uk-adequacy")
        #expect(decision.basis == .adequacy)
    }

    @Test func koreanConsentPermitsATransferToJapan() throws {
        let policy = try ConfigFiles.policy()
        #expect(!policy.decide(from: "KR", to: "JP", dataClasses: [.personal]).isAllowed)
        let decision = policy.decide(from: "KR", to: "JP", dataClasses: [.personal], bases: [.consent])
        #expect(decision.isAllowed)
        #expect(decision.ruleID == "kr-separate-consent")
        #expect(decision.article == "PIPA Art. 28-8(1)(1)")
    }

    @Test func koreanEquivalencyExcludesSensitiveData() throws {
        let policy = try ConfigFiles.policy()
        #expect(policy.decide(from: "KR", to: "EU", dataClasses: [.personal]).ruleID == "kr-eu-equivalency")
        #expect(!policy.decide(from: "KR", to: "EU", dataClasses: [.personal, .sensitive]).isAllowed)
        #expect(policy.decide(from: "KR", to: "EU", dataClasses: [.sensitive], bases: [.consent]).isAllowed)
    }

    @Test func americanSensitiveDataNeverGoesToCountriesOfConcern() throws {
        let policy = try ConfigFiles.policy()
        let decision = policy.decide(from: "US", to: "CN", dataClasses: [.sensitive], bases: Set(LegalBasis.allCases))
        #expect(decision.outcome == .deny)
        #expect(decision.ruleID == "us-countries-of-concern")
        #expect(decision.article.contains("28 CFR Part 202"))
        #expect(policy.decide(from: "US", to: "JP", dataClasses: [.sensitive]).isAllowed)
    }

    @Test func euToUSNeedsDataPrivacyFrameworkCertification() throws {
        let policy = try ConfigFiles.policy()
        #expect(!policy.decide(from: "EU", to: "US", dataClasses: [.personal]).isAllowed)
        #expect(policy.decide(from: "EU", to: "US", dataClasses: [.personal], bases: [.certification]).ruleID == "eu-us-dpf")
    }

    @Test func publicDataGoesEverywhereAndUnknownJurisdictionsAreDenied() throws {
        let policy = try ConfigFiles.policy()
        #expect(policy.decide(from: "SG", to: "KP", dataClasses: [.public]).ruleID == "public-data")
        let unknown = policy.decide(from: "JP", to: "ZZ", dataClasses: [.personal], bases: Set(LegalBasis.allCases))
        #expect(unknown.outcome == .deny)
        #expect(unknown.ruleID == "unknown-jurisdiction")
    }

    @Test(arguments: [
        ("version: x\nrevision_due: 2027-01-01\njurisdictions: [{code: JP, name: J, law: L}]\nrules: [{id: a, from: JP, to: [XX], basis: consent, article: A}]", "unknown destination jurisdiction XX"),
        ("version: x\nrevision_due: 2027-01-01\njurisdictions: [{code: JP, name: J, law: L}]\nrules: [{id: a, from: XX, to: ['*'], basis: consent, article: A}]", "unknown source jurisdiction XX"),
        ("version: x\nrevision_due: 2027-01-01\njurisdictions: [{code: JP, name: J, law: L}]\nrules: [{id: a, from: JP, to: ['*'], article: A}]", "a permit needs a basis"),
        ("version: x\nrevision_due: 2027-01-01\njurisdictions: [{code: JP, name: J, law: L}, {code: KR, name: K, law: L}]\nrules: [{id: a, from: JP, to: [KR], basis: consent, article: A}, {id: a, from: KR, to: [JP], basis: consent, article: A}]", "rule a is declared twice"),
        ("version: x\nrevision_due: 2027-01-01\njurisdictions: [{code: JP, name: J, law: L}]\nrules: [{id: a, from: JP, to: ['*'], basis: sympathy, article: A}]", "rules[0].basis"),
    ])
    func rejectsInvalidRules(yaml: String, expected: String) {
        let error = #expect(throws: SovereigntyError.self) { try TransferPolicy(yaml: yaml) }
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "") should mention \(expected)")
    }
}
