import Sovereignty
import Testing

@Suite("Transfer policy")
struct TransferPolicyTests {
    static let today = "2026-12-01"

    /// A question as the platform asks it; a backup (a processor, every day) unless told otherwise.
    static func ask(_ policy: TransferPolicy, _ from: Jurisdiction, _ to: Jurisdiction, _ classes: Set<DataClass> = [.personal],
                    recipient: TransferRecipient = .processor, flow: TransferFlow = .systematic, on day: String = today,
                    bases: Set<LegalBasis> = []) -> TransferPolicy.Decision {
        policy.decide(.init(from: from, to: to, dataClasses: classes, recipient: recipient, flow: flow, day: day, bases: bases))
    }

    /// Destinations each source may send personal data to on automatic bases alone (no consent, no contract).
    static let automaticallyLawful: [String: Set<String>] = [
        "JP": ["EU", "UK"],
        "KR": ["EU"],
        "EU": ["JP", "KR", "UK"],
        "UK": ["EU", "JP", "KR"],
        // Not the countries of concern: a recipient organised there is a covered person (28 CFR 202.211),
        // and uncounted data is taken to be bulk.
        "US": ["JP", "KR", "EU", "UK", "SG"],
        "SG": [],
    ]

    @Test func decidesEveryPairOfJurisdictionsInTheRulesFile() throws {
        let policy = try ConfigFiles.policy()
        let codes = policy.jurisdictions.map(\.code)
        #expect(codes.count >= 6)
        for source in codes {
            for destination in codes {
                let decision = Self.ask(policy, source, destination)
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

    /// The platform's flows between the cells' jurisdictions on 2026-12-01, each derived by hand from the
    /// law: an application (an employer, once, with the person's consent), candidate discovery (an
    /// employer, systematically, with consent) and a model summary (a processor, systematically, with
    /// consent). A dash is a refusal.
    static let platformFlows: [(String, String, application: String, discovery: String, summary: String)] = [
        ("JP", "KR", "jp-consent", "jp-consent", "jp-consent"),
        ("JP", "EU", "jp-adequacy", "jp-adequacy", "jp-adequacy"),
        ("JP", "UK", "jp-adequacy", "jp-adequacy", "jp-adequacy"),
        ("JP", "US", "jp-consent", "jp-consent", "jp-consent"),
        ("JP", "SG", "jp-consent", "jp-consent", "jp-consent"),
        ("KR", "JP", "kr-separate-consent", "kr-separate-consent", "kr-separate-consent"),
        ("KR", "EU", "kr-eu-equivalency", "kr-eu-equivalency", "kr-eu-equivalency"),
        ("KR", "UK", "kr-separate-consent", "kr-separate-consent", "kr-separate-consent"),
        ("KR", "US", "kr-separate-consent", "kr-separate-consent", "kr-separate-consent"),
        ("KR", "SG", "kr-separate-consent", "kr-separate-consent", "kr-separate-consent"),
        ("EU", "JP", "eu-adequacy", "eu-adequacy", "eu-adequacy"),
        ("EU", "KR", "eu-adequacy", "eu-adequacy", "eu-adequacy"),
        ("EU", "UK", "eu-adequacy", "eu-adequacy", "eu-adequacy"),
        // Art. 49 consent carries an occasional application, never a standing flow.
        ("EU", "US", "eu-explicit-consent", "-", "-"),
        ("EU", "SG", "eu-explicit-consent", "-", "-"),
        ("UK", "EU", "uk-approved-by-regulations", "uk-approved-by-regulations", "uk-approved-by-regulations"),
        ("UK", "JP", "uk-approved-by-regulations", "uk-approved-by-regulations", "uk-approved-by-regulations"),
        ("UK", "KR", "uk-approved-by-regulations", "uk-approved-by-regulations", "uk-approved-by-regulations"),
        ("UK", "US", "uk-explicit-consent", "-", "-"),
        ("UK", "SG", "uk-explicit-consent", "-", "-"),
        ("US", "JP", "us-no-restriction", "us-no-restriction", "us-no-restriction"),
        ("US", "KR", "us-no-restriction", "us-no-restriction", "us-no-restriction"),
        ("US", "EU", "us-no-restriction", "us-no-restriction", "us-no-restriction"),
        ("US", "UK", "us-no-restriction", "us-no-restriction", "us-no-restriction"),
        ("US", "SG", "us-no-restriction", "us-no-restriction", "us-no-restriction"),
        ("SG", "JP", "sg-consent", "sg-consent", "sg-consent"),
        ("SG", "KR", "sg-consent", "sg-consent", "sg-consent"),
        ("SG", "EU", "sg-consent", "sg-consent", "sg-consent"),
        ("SG", "UK", "sg-consent", "sg-consent", "sg-consent"),
        ("SG", "US", "sg-consent", "sg-consent", "sg-consent"),
    ]

    @Test func decidesThePlatformsFlowsBetweenEveryPairOfCells() throws {
        let policy = try ConfigFiles.policy()
        for (from, to, application, discovery, summary) in Self.platformFlows {
            let asked = [
                (application, Self.ask(policy, Jurisdiction(from), Jurisdiction(to), recipient: .thirdParty, flow: .occasional, bases: [.consent])),
                (discovery, Self.ask(policy, Jurisdiction(from), Jurisdiction(to), recipient: .thirdParty, flow: .systematic, bases: [.consent])),
                (summary, Self.ask(policy, Jurisdiction(from), Jurisdiction(to), recipient: .processor, flow: .systematic, bases: [.consent])),
            ]
            for (expected, decision) in asked {
                #expect((decision.isAllowed ? decision.ruleID : "-") == expected, "\(from) → \(to): \(decision.reason)")
            }
        }
        let cells = Set(Self.platformFlows.flatMap { [$0.0, $0.1] })
        #expect(Self.platformFlows.count == cells.count * (cells.count - 1), "every ordered pair of the cells' jurisdictions")
    }

    /// Giving data to an employer is a provision to a third party: Japan and Korea ask for consent
    /// whatever the destination, adequate or not; a processor needs none where the destination is adequate.
    @Test func anAdequateDestinationDoesNotLiftTheConsentAProvisionNeeds() throws {
        let policy = try ConfigFiles.policy()
        let withoutConsent = Self.ask(policy, "JP", "EU", recipient: .thirdParty, flow: .occasional)
        #expect(withoutConsent.outcome == .deny)
        #expect(withoutConsent.ruleID == "jp-third-party-provision")
        #expect(withoutConsent.article.contains("APPI Art. 27(1)"))
        #expect(withoutConsent.alternatives.map(\.basis) == [.consent])
        let withConsent = Self.ask(policy, "JP", "EU", recipient: .thirdParty, flow: .occasional, bases: [.consent])
        #expect(withConsent.isAllowed && withConsent.ruleID == "jp-adequacy" && withConsent.basis == .adequacy)
        #expect(withConsent.provisionRuleID == "jp-third-party-provision" && withConsent.provisionBasis == .consent && withConsent.reliesOnConsent)
        #expect(Self.ask(policy, "JP", "EU", recipient: .processor).isAllowed, "storage at a processor in the EU needs no consent")
        #expect(Self.ask(policy, "KR", "EU", recipient: .thirdParty, flow: .systematic).ruleID == "kr-third-party-provision")
        // A statutory duty stands in for consent.
        #expect(Self.ask(policy, "KR", "EU", recipient: .thirdParty, flow: .occasional, bases: [.legalObligation]).isAllowed)
    }

    /// PIPA Art. 28-8(1)(3) covers outsourced processing or storage only.
    @Test func koreanContractNecessityCarriesOutsourcingNotAnEmployer() throws {
        let policy = try ConfigFiles.policy()
        let storage = Self.ask(policy, "KR", "SG", recipient: .processor, bases: [.contractNecessity])
        #expect(storage.isAllowed && storage.ruleID == "kr-contract")
        let employer = Self.ask(policy, "KR", "SG", recipient: .thirdParty, flow: .occasional, bases: [.contractNecessity])
        #expect(!employer.isAllowed)
        #expect(employer.ruleID == "kr-third-party-provision")
        let employerWithConsent = Self.ask(policy, "KR", "SG", recipient: .thirdParty, flow: .occasional, bases: [.contractNecessity, .consent])
        #expect(employerWithConsent.ruleID == "kr-separate-consent", "the contract is no basis for the employer; the separate consent is")
    }

    /// Rules apply between their `since` and `until`, on both sides of the day.
    @Test func rulesApplyOnlyFromTheirDates() throws {
        let policy = try ConfigFiles.policy()
        let before = Self.ask(policy, "KR", "EU", recipient: .processor, on: "2025-09-15")
        #expect(!before.isAllowed, "the PIPC's recognition of the EU applies from 2025-09-16")
        #expect(Self.ask(policy, "KR", "EU", recipient: .processor, on: "2025-09-16").ruleID == "kr-eu-equivalency")
        #expect(Self.ask(policy, "UK", "JP", on: "2026-02-04").ruleID == "uk-adequacy")
        #expect(Self.ask(policy, "UK", "JP", on: "2026-02-05").ruleID == "uk-approved-by-regulations")
        #expect(Self.ask(policy, "US", "CN", [.sensitive], on: "2025-04-07").ruleID == "us-no-restriction", "before 28 CFR Part 202 took effect")
        #expect(Self.ask(policy, "US", "CN", [.sensitive], on: "2025-04-08").ruleID == "us-covered-persons")
    }

    @Test func everyRuleIsReachable() throws {
        let policy = try ConfigFiles.policy()
        for rule in policy.rules where rule.effect == .permit {
            let day = rule.since ?? (rule.until != nil ? "2025-01-01" : Self.today)
            let flow = rule.flows.contains(.systematic) ? TransferFlow.systematic : .occasional
            // Personal data alone where the rule covers it: some sources want more for sensitive data.
            let classes: Set<DataClass> = rule.dataClasses.contains(.personal) ? [.personal] : rule.dataClasses
            let destination = policy.jurisdictions.map(\.code).first { candidate in
                candidate != rule.from
                    && Self.ask(policy, rule.from, candidate, classes, flow: flow, on: day, bases: [rule.basis!]).ruleID == rule.id
            }
            #expect(destination != nil, "rule \(rule.id) never decides a transfer")
        }
    }

    @Test func seedBackupFromSingaporeToJapanNeedsTheContract() throws {
        let policy = try ConfigFiles.policy()
        let withoutContract = Self.ask(policy, "SG", "JP", [.personal, .sensitive])
        #expect(withoutContract.outcome == .deny)
        #expect(withoutContract.ruleID == "no-basis")
        #expect(withoutContract.alternatives.contains { $0.basis == .contractualClauses && $0.ruleID == "sg-legally-bound" })
        let withContract = Self.ask(policy, "SG", "JP", [.personal, .sensitive], bases: [.contractualClauses])
        #expect(withContract.outcome == .allow)
        #expect(withContract.ruleID == "sg-legally-bound")
        #expect(withContract.article.contains("reg. 11(1)(b) and 11(2)"))
    }

    @Test func seedBackupFromTheUKToTheEUIsApprovedByRegulations() throws {
        let decision = Self.ask(try ConfigFiles.policy(), "UK", "EU", [.personal, .sensitive])
        #expect(decision.outcome == .allow)
        #expect(decision.ruleID == "uk-approved-by-regulations")
        #expect(decision.basis == .adequacy)
    }

    @Test func koreanConsentPermitsATransferToJapan() throws {
        let policy = try ConfigFiles.policy()
        #expect(!Self.ask(policy, "KR", "JP").isAllowed)
        let decision = Self.ask(policy, "KR", "JP", bases: [.consent])
        #expect(decision.isAllowed)
        #expect(decision.ruleID == "kr-separate-consent")
        #expect(decision.article == "PIPA Art. 28-8(1)(1)")
    }

    @Test func koreanEquivalencyExcludesSensitiveData() throws {
        let policy = try ConfigFiles.policy()
        #expect(Self.ask(policy, "KR", "EU").ruleID == "kr-eu-equivalency")
        #expect(!Self.ask(policy, "KR", "EU", [.personal, .sensitive]).isAllowed)
        #expect(Self.ask(policy, "KR", "EU", [.sensitive], bases: [.consent]).isAllowed)
    }

    /// 28 CFR Part 202 turns on who receives the data and how much of it, not on where the recipient is.
    @Test func americanDataTurnsOnCoveredPersonsAndBulkVolume() throws {
        let policy = try ConfigFiles.policy()
        func ask(_ to: Jurisdiction, _ classes: Set<DataClass>, recipient: String? = nil, before: Int?) -> TransferPolicy.Decision {
            policy.decide(.init(from: "US", to: to, dataClasses: classes, recipient: .thirdParty, flow: .occasional, day: Self.today,
                                bases: Set(LegalBasis.allCases), recipientID: recipient, personsBefore: before))
        }
        // A company organised in a country of concern is a covered person; uncounted data is taken to be bulk.
        let uncounted = ask("CN", [.sensitive], before: nil)
        #expect(uncounted.outcome == .deny)
        #expect(uncounted.ruleID == "us-covered-persons")
        #expect(uncounted.article.contains("202.211"))
        // Bulk means more than 100,000 persons' identifiers, or more than 1,000 persons' biometrics, in twelve months.
        #expect(ask("CN", [.personal], before: 99_999).ruleID == "us-no-restriction", "the 100,000th person is not yet bulk")
        #expect(ask("CN", [.personal], before: 100_000).ruleID == "us-covered-persons", "the 100,001st is")
        #expect(ask("CN", [.sensitive], before: 999).isAllowed)
        #expect(!ask("CN", [.sensitive], before: 1_000).isAllowed)
        #expect(!ask("CN", [.personal, .sensitive], before: 1_000).isAllowed, "combined data takes the lowest threshold")
        // Anywhere else, only a recipient found to be a covered person is restricted.
        #expect(ask("JP", [.sensitive], recipient: "EMP-1", before: nil).ruleID == "us-no-restriction")
        let listed = try TransferPolicy(yaml: ConfigFiles.text("transfer-rules.yaml")
            .replacingOccurrences(of: "  covered_persons: []", with: "  covered_persons: [EMP-1]"))
        let decision = listed.decide(.init(from: "US", to: "JP", dataClasses: [.sensitive], recipient: .thirdParty, flow: .occasional,
                                           day: Self.today, bases: [.consent], recipientID: "EMP-1", personsBefore: nil))
        #expect(decision.ruleID == "us-covered-persons")
        #expect(listed.decide(.init(from: "US", to: "JP", dataClasses: [.sensitive], recipient: .thirdParty, flow: .occasional,
                                    day: Self.today, bases: [.consent], recipientID: "EMP-2")).isAllowed)
        #expect(listed.decide(.init(from: "JP", to: "US", dataClasses: [.personal], recipient: .thirdParty, flow: .occasional,
                                    day: Self.today, bases: [.consent], recipientID: "EMP-1")).isAllowed, "the rule binds US data only")
    }

    /// PIPA Art. 28-9: an order suspending transfers to one recipient refuses them from its day, whatever the basis.
    @Test func aSuspensionOrderStopsTransfersToItsRecipient() throws {
        let policy = try TransferPolicy(yaml: ConfigFiles.text("transfer-rules.yaml").replacingOccurrences(
            of: "  suspension_orders: []",
            with: "  suspension_orders: [{ id: pipc-order-1, from: KR, recipient: EMP-9, reference: PIPC 2026-17, since: \"2026-11-15\", article: \"PIPA Art. 28-9(1)\" }]"))
        func ask(_ recipient: String, on day: String, from: Jurisdiction = "KR") -> TransferPolicy.Decision {
            policy.decide(.init(from: from, to: "JP", dataClasses: [.personal], recipient: .thirdParty, flow: .occasional, day: day,
                                bases: [.consent], recipientID: recipient))
        }
        #expect(ask("EMP-9", on: "2026-11-14").ruleID == "kr-separate-consent")
        let suspended = ask("EMP-9", on: "2026-11-15")
        #expect(suspended.outcome == .deny)
        #expect(suspended.ruleID == "pipc-order-1")
        #expect(suspended.reason.contains("PIPC 2026-17"))
        #expect(ask("EMP-8", on: "2026-11-15").isAllowed, "other recipients are not affected")
        #expect(ask("EMP-9", on: "2026-11-15", from: "JP").isAllowed, "the order binds transfers from Korea")
    }

    /// PIPA Art. 23/24: sensitive data and unique identifiers need their own separate consent or a statute,
    /// whatever basis carries the transfer.
    @Test func koreanSensitiveDataNeedsItsOwnConsentWhateverTheTransferBasis() throws {
        let policy = try ConfigFiles.policy()
        let certified = Self.ask(policy, "KR", "SG", [.sensitive], bases: [.certification])
        #expect(certified.outcome == .deny, "a PIPC-certified recipient was enough before")
        #expect(certified.ruleID == "kr-sensitive-separate-consent")
        #expect(certified.alternatives.map(\.basis) == [.consent, .legalObligation])
        #expect(Self.ask(policy, "KR", "SG", [.personal], bases: [.certification]).ruleID == "kr-certified-recipient", "personal data is not affected")
        #expect(Self.ask(policy, "KR", "SG", [.sensitive], bases: [.certification, .consent]).isAllowed)
        #expect(Self.ask(policy, "KR", "JP", [.sensitive], bases: [.legalObligation]).ruleID == "kr-treaty-statute")
        #expect(Self.ask(policy, "JP", "SG", [.sensitive], bases: [.certification]).isAllowed, "Japan's rules differ")
    }

    /// APPI Art. 28(3): a transfer on equivalent measures (contract, group rules, CBPR) carries the duty to
    /// check the recipient periodically; a consent-based one does not.
    @Test func japaneseTransfersOnEquivalentMeasuresCarryTheirOngoingDuty() throws {
        let policy = try ConfigFiles.policy()
        for basis in [LegalBasis.contractualClauses, .bindingCorporateRules, .certification] {
            let decision = Self.ask(policy, "JP", "US", bases: [basis])
            #expect(decision.isAllowed)
            #expect(decision.duty?.contains("APPI Art. 28(3)") == true, "\(basis)")
        }
        #expect(Self.ask(policy, "JP", "US", bases: [.consent]).duty == nil)
    }

    @Test func euToUSNeedsDataPrivacyFrameworkCertification() throws {
        let policy = try ConfigFiles.policy()
        #expect(!Self.ask(policy, "EU", "US").isAllowed)
        #expect(Self.ask(policy, "EU", "US", bases: [.certification]).ruleID == "eu-us-dpf")
    }

    @Test func publicDataGoesEverywhereAndUnknownJurisdictionsAreDenied() throws {
        let policy = try ConfigFiles.policy()
        #expect(Self.ask(policy, "SG", "KP", [.public]).ruleID == "public-data")
        let unknown = Self.ask(policy, "JP", "ZZ", bases: Set(LegalBasis.allCases))
        #expect(unknown.outcome == .deny)
        #expect(unknown.ruleID == "unknown-jurisdiction")
    }

    @Test(arguments: [
        ("version: x\nrevision_due: 2027-01-01\njurisdictions: [{code: JP, name: J, law: L}]\nrules: [{id: a, from: JP, to: [XX], basis: consent, article: A}]", "unknown destination jurisdiction XX"),
        ("version: x\nrevision_due: 2027-01-01\njurisdictions: [{code: JP, name: J, law: L}]\nrules: [{id: a, from: XX, to: ['*'], basis: consent, article: A}]", "unknown source jurisdiction XX"),
        ("version: x\nrevision_due: 2027-01-01\njurisdictions: [{code: JP, name: J, law: L}]\nrules: [{id: a, from: JP, to: ['*'], article: A}]", "a permit needs a basis"),
        ("version: x\nrevision_due: 2027-01-01\njurisdictions: [{code: JP, name: J, law: L}, {code: KR, name: K, law: L}]\nrules: [{id: a, from: JP, to: [KR], basis: consent, article: A}, {id: a, from: KR, to: [JP], basis: consent, article: A}]", "rule a is declared twice"),
        ("version: x\nrevision_due: 2027-01-01\njurisdictions: [{code: JP, name: J, law: L}]\nrules: [{id: a, from: JP, to: ['*'], basis: sympathy, article: A}]", "rules[0].basis"),
        ("version: x\nrevision_due: 2027-01-01\njurisdictions: [{code: JP, name: J, law: L}]\nrules: [{id: a, from: JP, to: ['*'], basis: consent, article: A, since: '2026-1-1'}]", "since '2026-1-1' is not YYYY-MM-DD"),
        ("version: x\nrevision_due: 2027-01-01\njurisdictions: [{code: JP, name: J, law: L}]\nrules: [{id: a, from: JP, to: ['*'], basis: consent, article: A, since: '2026-01-01', until: '2025-01-01'}]", "until is not after since"),
        ("version: x\nrevision_due: 2027-01-01\njurisdictions: [{code: JP, name: J, law: L}]\nrules: [{id: a, from: JP, to: ['*'], basis: consent, article: A, flows: []}]", "rule a: no flow"),
        ("version: x\nrevision_due: 2027-01-01\njurisdictions: [{code: US, name: U, law: L}]\nrules: []\nrecipient_restrictions: [{id: r, from: US, countries_of_concern: [XX], window_days: 365, article: A}]", "rule r: unknown jurisdiction XX"),
        ("version: x\nrevision_due: 2027-01-01\njurisdictions: [{code: US, name: U, law: L}]\nrules: []\nrecipient_restrictions: [{id: r, from: US, bulk_thresholds: {personal: -1}, window_days: 0, article: A}]", "a negative bulk threshold; rule r: window_days below 1"),
        ("version: x\nrevision_due: 2027-01-01\njurisdictions: [{code: KR, name: K, law: L}]\nrules: []\nrecipients: {suspension_orders: [{id: o, from: KR, recipient: E, reference: R, since: soon, article: A}]}", "rule o: since 'soon' is not YYYY-MM-DD"),
        ("version: x\nrevision_due: 2027-01-01\njurisdictions: [{code: KR, name: K, law: L}]\nrules: []\nclass_requirements: [{id: c, jurisdiction: KR, data_classes: [public], requires: [], article: A}]", "rule c: requires no basis; rule c: data_classes must name personal or sensitive"),
    ])
    func rejectsInvalidRules(yaml: String, expected: String) {
        let error = #expect(throws: SovereigntyError.self) { try TransferPolicy(yaml: yaml) }
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "") should mention \(expected)")
    }
}
