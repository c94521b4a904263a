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
        /// Fields the status permits only under conditions the platform cannot check (a duty, a district,
        /// a kind of employer), each from its day: permitted, with the conditions for the employer to confirm.
        public let conditional: [ConditionalFields]
        /// Conditions every job a holder takes must meet that the platform cannot check (the region of a
        /// regional visa, the occupation a permit names), for the employer to confirm.
        public let conditions: [String]
        /// Statuses a holder may change to for a new job, with what the change asks (good completion of
        /// Technical Intern Training (ii) leads to Specified Skilled Worker (i) without its tests).
        public let changes: [StatusChange]
        /// How a person abroad can obtain this status for a sponsored job; nil when it is no entry route.
        public let entry: EntryRoute?
        /// Weekly hour limits, first matching tier wins; empty for no limit.
        public let maxWeeklyHours: [HoursTier]
        /// `YYYY-MM-DD` from which the status exists (a new status), nil when it always has.
        public let effectiveFrom: String?
        public let sources: [String]
        public let asOf: String
        /// `primary` or `secondary` (facts from secondary pages, to verify).
        public let confidence: String

        /// Whether the status exists on `date`.
        public func exists(on date: String) -> Bool { LegalDataRevision.day(date, isFrom: effectiveFrom, until: nil) }
    }

    /// The work a status permits.
    public enum WorkScope: Sendable {
        case unrestricted
        /// No new job (bound to a plan at one employer).
        case none
        /// Only what the holder's designation states: jobs whose employer lists the status.
        case designation
        /// Jobs whose field is listed, or whose field is of a listed kind, plus fields added on a date.
        case only(fields: Set<String>, kinds: Set<String>, also: [DatedFields])
        /// Every job except the listed kinds and fields, plus fields opened again from a date.
        case except(kinds: Set<String>, fields: Set<String>, also: [DatedFields])
    }

    public struct DatedFields: Sendable {
        public let fields: Set<String>
        /// `YYYY-MM-DD`; nil when always.
        public let effectiveFrom: String?
        /// `YYYY-MM-DD`, exclusive; nil when open-ended.
        public let until: String?

        public func isInForce(on date: String) -> Bool {
            LegalDataRevision.day(date, isFrom: effectiveFrom, until: until)
        }
    }

    public struct ConditionalFields: Sendable {
        public let dated: DatedFields
        /// What the employer must confirm, in words.
        public let conditions: [String]
    }

    public struct EntryRoute: Sendable {
        /// The person must hold one of these levels (checked).
        public let languageAnyOf: [LanguageProficiency]
        /// Fields whose own language requirement replaces `languageAnyOf` (bus and taxi driving asks more).
        public let languageByField: [String: [LanguageProficiency]]
        /// The fields the route leads to, when they differ from the work a holder may take (a status bound
        /// to one employer's plan is still a route into its fields); nil: the status's work.
        public let fields: DatedFields?
        /// Conditions the platform cannot check; shown for the employer to confirm.
        public let unchecked: [String]

        /// The levels a person must hold for work in `field`.
        public func languages(for field: String) -> [LanguageProficiency] {
            languageByField[field] ?? languageAnyOf
        }
    }

    public struct StatusChange: Sendable {
        /// The status changed to.
        public let to: String
        /// What the employer confirms; the target's own language and entry conditions are replaced by these.
        public let conditions: [String]
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
        permission(rule, field: field, on: date) != nil
    }

    /// The conditions under which a status permits a field on a date (empty: none), or nil when it does not.
    public func permission(_ rule: StatusRule, field: String, on date: String) -> [String]? {
        guard rule.exists(on: date) else { return nil }
        let kind = self.fields[field]?.kind ?? ""
        let plain: Bool = switch rule.work {
        case .unrestricted: true
        case .none, .designation: false
        case .only(let fields, let kinds, let also):
            fields.contains(field) || kinds.contains(kind) || also.contains { $0.fields.contains(field) && $0.isInForce(on: date) }
        case .except(let kinds, let fields, let also):
            (!kinds.contains(kind) && !fields.contains(field)) || also.contains { $0.fields.contains(field) && $0.isInForce(on: date) }
        }
        if plain { return [] }
        let conditions = rule.conditional.filter { $0.dated.fields.contains(field) && $0.dated.isInForce(on: date) }
        return conditions.isEmpty ? nil : conditions.flatMap(\.conditions)
    }

    /// The conditions under which `rule` is a route from abroad into `field` on `date`, or nil when it is none.
    func routeConditions(_ rule: StatusRule, field: String, on date: String) -> [String]? {
        guard let entry = rule.entry, rule.maxWeeklyHours.isEmpty, rule.exists(on: date) else { return nil }
        if let fields = entry.fields {
            return fields.fields.contains(field) && fields.isInForce(on: date) ? entry.unchecked : nil
        }
        return permission(rule, field: field, on: date).map { entry.unchecked + $0 }
    }

    /// The weekly hours a status allows a person with these languages; nil for no limit.
    public func weeklyHourLimit(_ rule: StatusRule, languages: [LanguageProficiency]) -> Int? {
        rule.maxWeeklyHours.first { tier in
            guard let level = tier.with else { return true }
            return languages.contains { $0.meets(level) }
        }?.hours
    }
}
