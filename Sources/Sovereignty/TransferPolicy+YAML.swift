internal import Yams

extension TransferPolicy {
    /// Parses and validates the text of `transfer-rules.yaml`.
    public init(yaml: String) throws(SovereigntyError) {
        let document: RulesDocument
        do {
            document = try YAMLDecoder().decode(RulesDocument.self, from: yaml)
        } catch {
            throw SovereigntyError(.malformedDocument, "transfer rules file: \(YAMLErrorText.describe(error))")
        }
        let rules = document.rules.map { entry in
            TransferRule(
                id: entry.id, effect: entry.effect ?? .permit, from: entry.from,
                to: entry.to == ["*"] ? .anyOther : .only(Set(entry.to.map { Jurisdiction($0) })),
                basis: entry.basis, dataClasses: Set(entry.dataClasses ?? [.personal, .sensitive]),
                article: entry.article, since: entry.since, until: entry.until,
                recipients: Set(entry.recipients ?? TransferRecipient.allCases), flows: Set(entry.flows ?? TransferFlow.allCases),
                duty: entry.duty
            )
        }
        let provisions = (document.thirdPartyProvision ?? []).map { entry in
            ProvisionRule(id: entry.id, jurisdiction: entry.jurisdiction, article: entry.article, exceptions: Set(entry.exceptions ?? []))
        }
        let restrictions = (document.recipientRestrictions ?? []).map { entry in
            RecipientRestriction(id: entry.id, from: entry.from, article: entry.article, countriesOfConcern: Set(entry.countriesOfConcern ?? []),
                                 bulkThresholds: entry.bulkThresholds ?? [:], windowDays: entry.windowDays, since: entry.since, until: entry.until)
        }
        let orders = (document.recipients?.suspensionOrders ?? []).map { entry in
            SuspensionOrder(id: entry.id, from: entry.from, recipient: entry.recipient, article: entry.article, reference: entry.reference,
                            since: entry.since, until: entry.until)
        }
        let requirements = (document.classRequirements ?? []).map { entry in
            ClassRequirement(id: entry.id, jurisdiction: entry.jurisdiction, dataClasses: Set(entry.dataClasses), requires: Set(entry.requires),
                             article: entry.article)
        }
        try self.init(
            version: document.version,
            jurisdictions: document.jurisdictions.map { .init(code: $0.code, name: $0.name, law: $0.law, consent: $0.consent ?? .informed) },
            rules: rules,
            provisions: provisions,
            restrictions: restrictions,
            coveredPersons: Set(document.recipients?.coveredPersons ?? []),
            suspensionOrders: orders,
            classRequirements: requirements
        )
        let revision = LegalDataRevision(table: "transfer rules", asOf: document.version, revisionDue: document.revisionDue, note: document.revisionNote)
        guard revision.problems.isEmpty else {
            throw SovereigntyError(.malformedDocument, "transfer rules file: " + revision.problems.joined(separator: "; "))
        }
        self.revision = revision
    }
}

private struct RulesDocument: Decodable {
    struct JurisdictionEntry: Decodable {
        let code: Jurisdiction
        let name: String
        let law: String
        let consent: ConsentKind?
    }

    struct RuleEntry: Decodable {
        let id: String
        let effect: TransferRule.Effect?
        let from: Jurisdiction
        let to: [String]
        let basis: LegalBasis?
        let dataClasses: [DataClass]?
        let article: String
        let since: String?
        let until: String?
        let recipients: [TransferRecipient]?
        let flows: [TransferFlow]?
        let duty: String?

        enum CodingKeys: String, CodingKey {
            case id, effect, from, to, basis, article, since, until, recipients, flows, duty
            case dataClasses = "data_classes"
        }
    }

    struct RestrictionEntry: Decodable {
        let id: String
        let from: Jurisdiction
        let article: String
        let countriesOfConcern: [Jurisdiction]?
        let bulkThresholds: [DataClass: Int]?
        let windowDays: Int
        let since: String?
        let until: String?

        enum CodingKeys: String, CodingKey {
            case id, from, article, since, until
            case countriesOfConcern = "countries_of_concern"
            case bulkThresholds = "bulk_thresholds"
            case windowDays = "window_days"
        }
    }

    struct RecipientsEntry: Decodable {
        struct Order: Decodable {
            let id: String
            let from: Jurisdiction
            let recipient: String
            let article: String
            let reference: String
            let since: String
            let until: String?
        }

        let coveredPersons: [String]?
        let suspensionOrders: [Order]?

        enum CodingKeys: String, CodingKey {
            case coveredPersons = "covered_persons"
            case suspensionOrders = "suspension_orders"
        }
    }

    struct ClassRequirementEntry: Decodable {
        let id: String
        let jurisdiction: Jurisdiction
        let dataClasses: [DataClass]
        let requires: [LegalBasis]
        let article: String

        enum CodingKeys: String, CodingKey {
            case id, jurisdiction, requires, article
            case dataClasses = "data_classes"
        }
    }

    struct ProvisionEntry: Decodable {
        let id: String
        let jurisdiction: Jurisdiction
        let article: String
        let exceptions: [LegalBasis]?
    }

    let version: String
    let revisionDue: String
    let revisionNote: String?
    let jurisdictions: [JurisdictionEntry]
    let rules: [RuleEntry]
    let thirdPartyProvision: [ProvisionEntry]?
    let recipientRestrictions: [RestrictionEntry]?
    let recipients: RecipientsEntry?
    let classRequirements: [ClassRequirementEntry]?

    enum CodingKeys: String, CodingKey {
        case version, jurisdictions, rules, recipients
        case recipientRestrictions = "recipient_restrictions"
        case classRequirements = "class_requirements"
        case thirdPartyProvision = "third_party_provision"
        case revisionDue = "revision_due"
        case revisionNote = "revision_note"
    }
}
