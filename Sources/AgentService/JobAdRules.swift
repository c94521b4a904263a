public import Foundation
internal import Yams
public import TextMatching
public import Sovereignty

/// `config/job-ad-rules.yaml` and `config/minimum-wages.yaml`: what the job-ad review checks.
public struct JobAdRules: Sendable {
    /// Wording the law forbids in recruitment, with the exceptions that make it lawful.
    public struct WordingRule: Sendable {
        public let id: String
        public let country: String
        public let category: String
        public let law: String
        public let message: String
        let patterns: [BoundedPattern]
        let allowedIf: [BoundedPattern]
        public let sources: [String]
        public let confidence: String
        /// `violation` where the law forbids it; `advisory` where the recruitment-stage basis is a
        /// body's recommendation rather than a prohibition (stated so in `law`).
        public let severity: String
    }

    /// A condition an ad must state: a posting field, or any of some keywords in the text.
    public struct MandatoryCondition: Sendable {
        public let id: String
        public let country: String
        public let law: String
        public let condition: String
        let field: String?
        let keywords: [BoundedPattern]
        /// Only ads matching one of these must state it (a renewal limit only for fixed-term work).
        let appliesIf: [BoundedPattern]
        /// `YYYY-MM-DD` from which the duty applies; nil when always.
        public let since: String?
        public let sources: [String]
    }

    /// Minimum wages of a country, by region and effective date.
    public struct MinimumWage: Sendable {
        public struct Rate: Sendable {
            /// Prefecture or province, or `*` for a national rate.
            public let region: String
            public let amount: Int
            public let effective: String
        }

        public let country: String
        public let currency: String
        public let hoursPerMonth: Double
        public let law: String
        public let rates: [Rate]
        public let sources: [String]
        /// When the table is due for revision (the day the next rates take effect).
        public let revision: LegalDataRevision

        /// The rate in force on `day` for a region (a regional rate, else the national one).
        public func rate(region: String?, on day: String) -> Rate? {
            let inForce = rates.filter { $0.effective <= day }
            let regional = inForce.filter { $0.region.lowercased() == region?.lowercased() }
            return (regional.isEmpty ? inForce.filter { $0.region == "*" } : regional).max { $0.effective < $1.effective }
        }
    }

    public let asOf: String
    /// When the wording rules and mandatory conditions are due for a new check against the law.
    public let revision: LegalDataRevision
    public let wording: [WordingRule]
    public let mandatory: [MandatoryCondition]
    public let minimumWages: [MinimumWage]

    /// Parses both files; every pattern must compile and run in linear time (``BoundedPattern``), and
    /// every source key must exist.
    public init(rulesYAML: String, wagesYAML: String) throws(JobAdRulesError) {
        var problems: [String] = []
        func compile(_ patterns: [String], _ context: String) -> [BoundedPattern] {
            patterns.compactMap { pattern in
                do {
                    return try BoundedPattern(pattern)
                } catch {
                    problems.append("\(context): \(error)")
                    return nil
                }
            }
        }
        let rules: RulesDocument, wages: WagesDocument
        do {
            rules = try YAMLDecoder().decode(RulesDocument.self, from: rulesYAML)
            wages = try YAMLDecoder().decode(WagesDocument.self, from: wagesYAML)
        } catch {
            throw JobAdRulesError(problems: ["\(error)"])
        }
        func cite(_ keys: [String], _ sources: [String: String], _ context: String) -> [String] {
            if keys.isEmpty { problems.append("\(context) cites no source") }
            return keys.map { key in
                guard let address = sources[key] else {
                    problems.append("\(context) cites unknown source \(key)")
                    return key
                }
                return address
            }
        }
        wording = rules.rules.map { rule in
            WordingRule(id: rule.id, country: rule.country, category: rule.category, law: rule.law, message: rule.message,
                        patterns: compile(rule.patterns, rule.id), allowedIf: compile(rule.allowedIf ?? [], rule.id),
                        sources: cite(rule.sources, rules.sources, rule.id), confidence: rule.confidence ?? "primary",
                        severity: rule.severity ?? "violation")
        }
        mandatory = rules.mandatory.map { item in
            if item.field == nil, (item.keywords ?? []).isEmpty { problems.append("\(item.id) needs a field or keywords") }
            if let since = item.since, !LegalDataRevision.isDay(since) {
                problems.append("\(item.id): since must be YYYY-MM-DD")
            }
            return MandatoryCondition(id: item.id, country: item.country, law: item.law, condition: item.condition, field: item.field,
                                      keywords: compile(item.keywords ?? [], item.id), appliesIf: compile(item.appliesIf ?? [], item.id),
                                      since: item.since, sources: cite(item.sources, rules.sources, item.id))
        }
        minimumWages = wages.countries.map { country in
            let revision = LegalDataRevision(table: "minimum wages \(country.country)", asOf: country.asOf, revisionDue: country.revisionDue,
                                             note: country.revisionNote)
            problems += revision.problems
            return MinimumWage(country: country.country, currency: country.currency, hoursPerMonth: country.hoursPerMonth, law: country.law,
                               rates: country.rates.map { MinimumWage.Rate(region: $0.region, amount: $0.amount, effective: $0.effective) },
                               sources: cite(country.sources, wages.sources, "minimum wages \(country.country)"), revision: revision)
        }
        asOf = rules.asOf
        revision = LegalDataRevision(table: "job-ad rules", asOf: rules.asOf, revisionDue: rules.revisionDue, note: rules.revisionNote)
        problems += revision.problems
        if Set(wording.map(\.id) + mandatory.map(\.id)).count != wording.count + mandatory.count { problems.append("rule ids must be unique") }
        guard problems.isEmpty else { throw JobAdRulesError(problems: problems) }
    }

    private struct RulesDocument: Decodable {
        struct Rule: Decodable {
            let id, country, category, law, message: String
            let patterns: [String]
            let allowedIf: [String]?
            let sources: [String]
            let confidence: String?
            let severity: String?
            enum CodingKeys: String, CodingKey {
                case id, country, category, law, message, patterns, sources, confidence, severity
                case allowedIf = "allowed_if"
            }
        }
        struct Mandatory: Decodable {
            let id, country, law, condition: String
            let field: String?
            let keywords: [String]?
            let appliesIf: [String]?
            let since: String?
            let sources: [String]
            enum CodingKeys: String, CodingKey {
                case id, country, law, condition, field, keywords, since, sources
                case appliesIf = "applies_if"
            }
        }
        let asOf: String
        let revisionDue: String
        let revisionNote: String?
        let rules: [Rule]
        let mandatory: [Mandatory]
        let sources: [String: String]
        enum CodingKeys: String, CodingKey {
            case rules, mandatory, sources
            case asOf = "as_of"
            case revisionDue = "revision_due"
            case revisionNote = "revision_note"
        }
    }

    private struct WagesDocument: Decodable {
        struct Country: Decodable {
            struct Rate: Decodable {
                let region: String
                let amount: Int
                let effective: String
            }
            let country, currency, law: String
            let hoursPerMonth: Double
            let sources: [String]
            let rates: [Rate]
            let asOf: String
            let revisionDue: String
            let revisionNote: String?
            enum CodingKeys: String, CodingKey {
                case country, currency, law, sources, rates
                case hoursPerMonth = "hours_per_month"
                case asOf = "as_of"
                case revisionDue = "revision_due"
                case revisionNote = "revision_note"
            }
        }
        let sources: [String: String]
        let countries: [Country]
    }
}

/// Rules files that cannot be used, with every problem found.
public struct JobAdRulesError: Error, CustomStringConvertible {
    public let problems: [String]
    public var description: String { "job-ad rules: " + problems.joined(separator: "; ") }
}
