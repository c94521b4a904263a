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
                recipients: Set(entry.recipients ?? TransferRecipient.allCases), flows: Set(entry.flows ?? TransferFlow.allCases)
            )
        }
        let provisions = (document.thirdPartyProvision ?? []).map { entry in
            ProvisionRule(id: entry.id, jurisdiction: entry.jurisdiction, article: entry.article, exceptions: Set(entry.exceptions ?? []))
        }
        try self.init(
            version: document.version,
            jurisdictions: document.jurisdictions.map { .init(code: $0.code, name: $0.name, law: $0.law, consent: $0.consent ?? .informed) },
            rules: rules,
            provisions: provisions
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

        enum CodingKeys: String, CodingKey {
            case id, effect, from, to, basis, article, since, until, recipients, flows
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

    enum CodingKeys: String, CodingKey {
        case version, jurisdictions, rules
        case thirdPartyProvision = "third_party_provision"
        case revisionDue = "revision_due"
        case revisionNote = "revision_note"
    }
}
