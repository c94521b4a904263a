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

        public var isAllowed: Bool { outcome == .allow }
    }

    /// The version string of the rules file (its date).
    public let version: String
    /// When the rules are due for a new check against the law (`revision_due` of the file).
    public internal(set) var revision: LegalDataRevision?
    public let jurisdictions: [JurisdictionInfo]
    public let rules: [TransferRule]

    public init(version: String, jurisdictions: [JurisdictionInfo], rules: [TransferRule]) throws(SovereigntyError) {
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
        }
        guard problems.isEmpty else {
            throw SovereigntyError(.invalidConfiguration, "transfer rules: " + problems.joined(separator: "; "))
        }
        self.version = version
        self.jurisdictions = jurisdictions
        self.rules = rules
    }

    /// Decides a transfer of data of the given classes from one jurisdiction to another.
    ///
    /// - Parameters:
    ///   - bases: the bases evidenced for this transfer (consent given, contract in place…);
    ///     automatic bases such as adequacy need not be listed.
    public func decide(
        from source: Jurisdiction, to destination: Jurisdiction,
        dataClasses: Set<DataClass>, bases: Set<LegalBasis> = []
    ) -> Decision {
        if source == destination {
            return allow("same-jurisdiction", article: "no transfer", basis: nil, "\(source) data stays in \(source)")
        }
        let protected = dataClasses.subtracting([.public])
        if protected.isEmpty {
            return allow("public-data", article: "non-personal data", basis: nil, "public data may be replicated to every jurisdiction")
        }
        for code in [source, destination] where !jurisdictions.contains(where: { $0.code == code }) {
            return deny("unknown-jurisdiction", article: "", "jurisdiction \(code) is not in the transfer rules", [])
        }
        let applicable = rules.filter { $0.applies(from: source, to: destination) }
        if let prohibition = applicable.first(where: { $0.effect == .prohibit && !$0.dataClasses.isDisjoint(with: protected) }) {
            return deny(prohibition.id, article: prohibition.article,
                        "\(classList(protected)) data may not go from \(source) to \(destination) (\(prohibition.article))", [])
        }
        let permits = applicable.filter { $0.effect == .permit && $0.dataClasses.isSuperset(of: protected) }
        let satisfied = permits.filter { rule in rule.basis.map { $0.isAutomatic || bases.contains($0) } ?? false }
        if let rule = satisfied.first(where: { $0.basis?.isAutomatic == true }) ?? satisfied.first, let basis = rule.basis {
            return allow(rule.id, article: rule.article, basis: basis,
                         "\(source) → \(destination) is lawful on \(basis.rawValue) (\(rule.article))")
        }
        let alternatives = permits.compactMap { rule in
            rule.basis.map { Decision.Alternative(basis: $0, ruleID: rule.id, article: rule.article) }
        }
        let options = alternatives.map { "\($0.basis.rawValue) (\($0.article))" }.joined(separator: ", ")
        let reason = alternatives.isEmpty
            ? "no rule permits \(classList(protected)) data from \(source) to \(destination)"
            : "no legal basis for \(classList(protected)) data from \(source) to \(destination); one of: \(options)"
        return deny("no-basis", article: "", reason, alternatives)
    }

    private func classList(_ classes: Set<DataClass>) -> String {
        classes.sorted().map(\.rawValue).joined(separator: "+")
    }

    private func allow(_ rule: String, article: String, basis: LegalBasis?, _ reason: String) -> Decision {
        Decision(outcome: .allow, ruleID: rule, article: article, basis: basis, reason: reason, alternatives: [])
    }

    private func deny(_ rule: String, article: String, _ reason: String, _ alternatives: [Decision.Alternative]) -> Decision {
        Decision(outcome: .deny, ruleID: rule, article: article, basis: nil, reason: reason, alternatives: alternatives)
    }
}
