/// Decides whether data may cross from one jurisdiction to another, citing the rule relied on.
///
/// Pure and deterministic: the rules come from `config/transfer-rules.yaml`, the evidence (bases)
/// from the caller, and the same question always gets the same answer.
public struct TransferPolicy: Sendable {
    /// A jurisdiction the rules know about, with its data-protection law.
    public struct JurisdictionInfo: Sendable, Hashable {
        public let code: Jurisdiction
        public let name: String
        public let law: String
        /// The form of consent its law requires for a transfer out of it.
        public var consent: ConsentKind = .informed

        public init(code: Jurisdiction, name: String, law: String, consent: ConsentKind = .informed) {
            self.code = code
            self.name = name
            self.law = law
            self.consent = consent
        }
    }

    /// The form of consent a transfer out of `jurisdiction` requires (informed consent where the rules
    /// name none).
    public func consentKind(of jurisdiction: Jurisdiction) -> ConsentKind {
        jurisdictions.first { $0.code == jurisdiction }?.consent ?? .informed
    }

    /// One transfer question: what leaves which jurisdiction for which, to whom, how often, on which
    /// day, and on which evidenced bases (a consent given, a contract in place; automatic bases such as
    /// adequacy need not be listed).
    public struct Request: Sendable, Hashable {
        public var from: Jurisdiction
        public var to: Jurisdiction
        public var dataClasses: Set<DataClass>
        public var recipient: TransferRecipient
        public var flow: TransferFlow
        /// `YYYY-MM-DD`: rules apply only between their `since` and `until`.
        public var day: String
        public var bases: Set<LegalBasis>
        /// The receiving company's platform id (an employer's regional id), when one company receives
        /// the data: suspension orders and covered-person designations name it.
        public var recipientID: String?
        /// Persons whose data the platform gave this recipient within a recipient restriction's window
        /// before this transfer; nil when not counted, and then the restriction applies from the first.
        public var personsBefore: Int?

        public init(from: Jurisdiction, to: Jurisdiction, dataClasses: Set<DataClass>, recipient: TransferRecipient, flow: TransferFlow,
                    day: String, bases: Set<LegalBasis> = [], recipientID: String? = nil, personsBefore: Int? = nil) {
            self.from = from
            self.to = to
            self.dataClasses = dataClasses
            self.recipient = recipient
            self.flow = flow
            self.day = day
            self.bases = bases
            self.recipientID = recipientID
            self.personsBefore = personsBefore
        }
    }

    /// What a jurisdiction requires before personal data is given to another company at all,
    /// wherever that company is: the person's consent, or one of the listed exceptions (APPI Art. 27(1),
    /// PIPA Art. 17(1)). Adequacy of the destination lifts only the cross-border requirements.
    public struct ProvisionRule: Sendable, Hashable {
        public let id: String
        public let jurisdiction: Jurisdiction
        public let article: String
        /// Bases that stand in for consent (a legal duty, life or property).
        public let exceptions: Set<LegalBasis>

        public init(id: String, jurisdiction: Jurisdiction, article: String, exceptions: Set<LegalBasis>) {
            self.id = id
            self.jurisdiction = jurisdiction
            self.article = article
            self.exceptions = exceptions
        }
    }

    /// The answer to one transfer question.
    public struct Decision: Sendable, Hashable, Codable {
        public enum Outcome: String, Sendable, Hashable, Codable {
            case allow
            case deny
        }

        /// A basis that would have made a denied transfer lawful, with the rule that says so.
        public struct Alternative: Sendable, Hashable, Codable {
            public let basis: LegalBasis
            public let ruleID: String
            public let article: String
        }

        public let outcome: Outcome
        /// The rule relied on: a rule id, or `same-jurisdiction`, `public-data`, `no-basis`.
        public let ruleID: String
        public let article: String
        /// The basis the decision rests on, when allowed.
        public let basis: LegalBasis?
        /// One sentence a person can read.
        public let reason: String
        /// For a denial: what would make the transfer lawful.
        public let alternatives: [Alternative]
        /// For a provision to a third party, the provision rule met and the basis that met it (consent
        /// or an exception), besides the cross-border basis.
        public var provisionRuleID: String?
        public var provisionBasis: LegalBasis?
        /// What the source's law asks of the sender after a transfer on this rule (APPI Art. 28(3)'s
        /// periodic checks of a recipient bound by contract), recorded with the decision.
        public var duty: String?

        public var isAllowed: Bool { outcome == .allow }
        /// Whether the person's consent carries the decision, as the transfer basis or as the consent to
        /// the provision: then the consent is what the audit entry must name.
        public var reliesOnConsent: Bool { basis == .consent || provisionBasis == .consent }
    }

    /// The version string of the rules file (its date).
    public let version: String
    /// When the rules are due for a new check against the law (`revision_due` of the file).
    public internal(set) var revision: LegalDataRevision?
    public let jurisdictions: [JurisdictionInfo]
    public let rules: [TransferRule]
    public let provisions: [ProvisionRule]
    /// Restrictions on who the recipient is (28 CFR Part 202's covered persons).
    public let restrictions: [RecipientRestriction]
    /// Recipients' platform ids that operators found to be covered persons (28 CFR 202.211).
    public let coveredPersons: Set<String>
    public let suspensionOrders: [SuspensionOrder]
    public let classRequirements: [ClassRequirement]

    public init(version: String, jurisdictions: [JurisdictionInfo], rules: [TransferRule], provisions: [ProvisionRule] = [],
                restrictions: [RecipientRestriction] = [], coveredPersons: Set<String> = [], suspensionOrders: [SuspensionOrder] = [],
                classRequirements: [ClassRequirement] = []) throws(SovereigntyError) {
        var problems: [String] = []
        let known = Set(jurisdictions.map(\.code))
        if known.count != jurisdictions.count { problems.append("a jurisdiction is declared twice") }
        var ids = Set<String>()
        for rule in rules {
            if !ids.insert(rule.id).inserted { problems.append("rule \(rule.id) is declared twice") }
            if !known.contains(rule.from) { problems.append("rule \(rule.id): unknown source jurisdiction \(rule.from)") }
            if case .only(let targets) = rule.to {
                for target in targets.sorted() where !known.contains(target) {
                    problems.append("rule \(rule.id): unknown destination jurisdiction \(target)")
                }
                if targets.isEmpty { problems.append("rule \(rule.id): no destination") }
            }
            if rule.effect == .permit, rule.basis == nil { problems.append("rule \(rule.id): a permit needs a basis") }
            if rule.dataClasses.isEmpty { problems.append("rule \(rule.id): no data class") }
            if rule.recipients.isEmpty { problems.append("rule \(rule.id): no recipient") }
            if rule.flows.isEmpty { problems.append("rule \(rule.id): no flow") }
            for (name, day) in [("since", rule.since), ("until", rule.until)] {
                if let day, !LegalDataRevision.isDay(day) { problems.append("rule \(rule.id): \(name) '\(day.prefix(32))' is not YYYY-MM-DD") }
            }
            if let since = rule.since, let until = rule.until, until <= since { problems.append("rule \(rule.id): until is not after since") }
        }
        for provision in provisions {
            if !ids.insert(provision.id).inserted { problems.append("rule \(provision.id) is declared twice") }
            if !known.contains(provision.jurisdiction) { problems.append("rule \(provision.id): unknown jurisdiction \(provision.jurisdiction)") }
        }
        if Set(provisions.map(\.jurisdiction)).count != provisions.count { problems.append("a jurisdiction has two third-party provision rules") }
        problems += Self.problems(restrictions: restrictions, suspensionOrders: suspensionOrders, classRequirements: classRequirements,
                                  known: known, ids: &ids)
        guard problems.isEmpty else {
            throw SovereigntyError(.invalidConfiguration, "transfer rules: " + problems.joined(separator: "; "))
        }
        self.version = version
        self.jurisdictions = jurisdictions
        self.rules = rules
        self.provisions = provisions
        self.restrictions = restrictions
        self.coveredPersons = coveredPersons
        self.suspensionOrders = suspensionOrders
        self.classRequirements = classRequirements
    }

    /// Decides a transfer: prohibitions first (of the route, of the recipient, of the data's class), then, for a provision to a third party, the source's
    /// provision rule (consent or an exception, whatever the destination), then a permit in force on the
    /// day whose basis holds for this recipient and flow.
    public func decide(_ request: Request) -> Decision {
        let source = request.from, destination = request.to
        if source == destination {
            return allow("same-jurisdiction", article: "no transfer", basis: nil, "\(source) data stays in \(source)")
        }
        let protected = request.dataClasses.subtracting([.public])
        if protected.isEmpty {
            return allow("public-data", article: "non-personal data", basis: nil, "public data may be replicated to every jurisdiction")
        }
        for code in [source, destination] where !jurisdictions.contains(where: { $0.code == code }) {
            return deny("unknown-jurisdiction", article: "", "jurisdiction \(code) is not in the transfer rules", [])
        }
        // Prohibitions bind whoever receives the data and however often: only their dates limit them.
        let route = rules.filter { $0.from == source && $0.to.contains(destination) && $0.isInForce(on: request.day) }
        if let prohibition = route.first(where: { $0.effect == .prohibit && !$0.dataClasses.isDisjoint(with: protected) }) {
            return deny(prohibition.id, article: prohibition.article,
                        "\(classList(protected)) data may not go from \(source) to \(destination) (\(prohibition.article))", [])
        }
        if let refusal = recipientRefusal(request, protected: protected) ?? classRefusal(request, protected: protected) {
            return refusal
        }
        var provisionBasis: LegalBasis?
        let provision = request.recipient == .thirdParty ? provisions.first { $0.jurisdiction == source } : nil
        if let provision {
            provisionBasis = request.bases.contains(.consent) ? .consent : provision.exceptions.sorted { $0.rawValue < $1.rawValue }.first { request.bases.contains($0) }
            guard provisionBasis != nil else {
                return deny(provision.id, article: provision.article,
                            "giving \(classList(protected)) data from \(source) to a company in \(destination) needs the person's consent (\(provision.article)), whatever the destination",
                            [Decision.Alternative(basis: .consent, ruleID: provision.id, article: provision.article)])
            }
        }
        let permits = rules.filter { $0.effect == .permit && $0.applies(to: request) && $0.dataClasses.isSuperset(of: protected) }
        let satisfied = permits.filter { rule in rule.basis.map { $0.isAutomatic || request.bases.contains($0) } ?? false }
        if let rule = satisfied.first(where: { $0.basis?.isAutomatic == true }) ?? satisfied.first, let basis = rule.basis {
            var decision = allow(rule.id, article: rule.article, basis: basis,
                                 "\(source) → \(destination) is lawful on \(basis.rawValue) (\(rule.article))"
                                     + (provision.map { " and \(provisionBasis?.rawValue ?? "") for the provision to a third party (\($0.article))" } ?? ""))
            decision.provisionRuleID = provision?.id
            decision.provisionBasis = provisionBasis
            decision.duty = rule.duty
            return decision
        }
        let alternatives = permits.compactMap { rule in
            rule.basis.map { Decision.Alternative(basis: $0, ruleID: rule.id, article: rule.article) }
        }
        let options = alternatives.map { "\($0.basis.rawValue) (\($0.article))" }.joined(separator: ", ")
        let reason = alternatives.isEmpty
            ? "no rule permits \(classList(protected)) data from \(source) to \(destination) for a \(request.recipient.rawValue) recipient in a \(request.flow.rawValue) flow"
            : "no legal basis for \(classList(protected)) data from \(source) to \(destination); one of: \(options)"
        return deny("no-basis", article: "", reason, alternatives)
    }

    func classList(_ classes: Set<DataClass>) -> String {
        classes.sorted().map(\.rawValue).joined(separator: "+")
    }

    private func allow(_ rule: String, article: String, basis: LegalBasis?, _ reason: String) -> Decision {
        Decision(outcome: .allow, ruleID: rule, article: article, basis: basis, reason: reason, alternatives: [])
    }

    func deny(_ rule: String, article: String, _ reason: String, _ alternatives: [Decision.Alternative]) -> Decision {
        Decision(outcome: .deny, ruleID: rule, article: article, basis: nil, reason: reason, alternatives: alternatives)
    }
}
