public import Workforce
public import Sovereignty
internal import Yams

/// `config/eligibility-rules.yaml`: which residence statuses may take which work, with sources.
///
/// The rules are data so that a change in immigration law is a reviewed edit of one file, not a code
/// branch; every decision names the rule and the sources it rests on.
public struct EligibilityRules: Sendable {
    /// A kind of work a job belongs to.
    public struct Field: Sendable, Hashable {
        public let id: String
        public let kind: String
        /// Names by language (`en`, `ja`, `ko`).
        public let labels: [String: String]
    }

    /// What a residence status permits.
    public struct StatusRule: Sendable {
        public let code: String
        /// ISO 3166-1 alpha-2 country that grants the status.
        public let country: String
        public let name: String
        public let work: WorkScope
        /// How a person abroad can obtain this status for a sponsored job; nil when it is no entry route.
        public let entry: EntryRoute?
        /// Weekly hour limits, first matching tier wins; empty for no limit.
        public let maxWeeklyHours: [HoursTier]
        public let sources: [String]
        public let asOf: String
        /// `primary` or `secondary` (facts from secondary pages, to verify).
        public let confidence: String
    }

    /// The work a status permits.
    public enum WorkScope: Sendable {
        case unrestricted
        /// No new job (bound to a plan at one employer).
        case none
        /// Only what the holder's designation states: jobs whose employer lists the status.
        case designation
        /// Jobs whose field is listed, or whose field is of a listed kind.
        case only(fields: Set<String>, kinds: Set<String>)
        /// Every job except the listed kinds, plus fields opened again from a date.
        case except(kinds: Set<String>, also: [DatedFields])
    }

    public struct DatedFields: Sendable {
        public let fields: Set<String>
        /// `YYYY-MM-DD`; nil when always.
        public let effectiveFrom: String?
    }

    public struct EntryRoute: Sendable {
        /// The person must hold one of these levels (checked).
        public let languageAnyOf: [LanguageProficiency]
        /// Conditions the platform cannot check; shown for the employer to confirm.
        public let unchecked: [String]
    }

    public struct HoursTier: Sendable {
        /// The tier applies to people holding this level (nil: to everyone).
        public let with: LanguageProficiency?
        public let hours: Int
    }

    public let asOf: String
    /// When the rules are due for a new check against immigration law.
    public let revision: LegalDataRevision
    public let fields: [String: Field]
    public let statuses: [String: StatusRule]
    /// Source key → address.
    public let sources: [String: String]
    /// The statuses each country grants, by code order (countries without any are not covered).
    let statusesByCountry: [String: [StatusRule]]

    init(revision: LegalDataRevision, fields: [String: Field], statuses: [String: StatusRule], sources: [String: String]) {
        asOf = revision.asOf
        self.revision = revision
        self.fields = fields
        self.statuses = statuses
        self.sources = sources
        statusesByCountry = Dictionary(grouping: statuses.values.sorted { $0.code < $1.code }, by: \.country)
    }

    /// The addresses of a rule's sources.
    public func citations(of rule: StatusRule) -> [String] {
        rule.sources.map { sources[$0] ?? $0 }
    }

    /// Whether a status permits a field on a date, ignoring hours and expiry.
    public func permits(_ rule: StatusRule, field: String, on date: String) -> Bool {
        switch rule.work {
        case .unrestricted: return true
        case .none, .designation: return false
        case .only(let fields, let kinds):
            return fields.contains(field) || kinds.contains(self.fields[field]?.kind ?? "")
        case .except(let kinds, let also):
            if !kinds.contains(self.fields[field]?.kind ?? "") { return true }
            return also.contains { $0.fields.contains(field) && ($0.effectiveFrom ?? "") <= date }
        }
    }

    /// The weekly hours a status allows a person with these languages; nil for no limit.
    public func weeklyHourLimit(_ rule: StatusRule, languages: [LanguageProficiency]) -> Int? {
        rule.maxWeeklyHours.first { tier in
            guard let level = tier.with else { return true }
            return languages.contains { $0.meets(level) }
        }?.hours
    }
}
