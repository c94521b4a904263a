internal import Foundation
public import Workforce
internal import Sovereignty
internal import Yams

/// A rules file that cannot be used, with every problem found.
public struct EligibilityRulesError: Error, CustomStringConvertible {
    public let problems: [String]
    public var description: String { "eligibility rules: " + problems.joined(separator: "; ") }
}

extension EligibilityRules {
    /// The kinds of work a field may be.
    public static let kinds: Set<String> = ["professional", "skilled-trade", "field-work", "simple-labour", "vice"]

    /// Parses and checks the file: every field, kind and source a rule names must exist.
    public init(yaml: String) throws(EligibilityRulesError) {
        let document: Document
        do {
            document = try YAMLDecoder().decode(Document.self, from: yaml)
        } catch {
            throw EligibilityRulesError(problems: ["\(error)"])
        }
        var problems: [String] = []
        var fields: [String: Field] = [:]
        for field in document.fields {
            if fields[field.id] != nil { problems.append("field \(field.id) is declared twice") }
            if !Self.kinds.contains(field.kind) { problems.append("field \(field.id) has unknown kind \(field.kind)") }
            fields[field.id] = Field(id: field.id, kind: field.kind, labels: field.label)
        }
        var statuses: [String: StatusRule] = [:]
        for status in document.statuses {
            let context = "status \(status.code)"
            if statuses[status.code] != nil { problems.append("\(context) is declared twice") }
            if status.country.count != 2 || status.country.uppercased() != status.country {
                problems.append("\(context): country must be an ISO 3166-1 alpha-2 code")
            }
            for key in status.sources where document.sources[key] == nil { problems.append("\(context) cites unknown source \(key)") }
            if status.sources.isEmpty { problems.append("\(context) cites no source") }
            if !LegalDataRevision.isDay(status.asOf) { problems.append("\(context): as_of must be YYYY-MM-DD") }
            let (scope, scopeProblems) = Self.scope(status.work, fields: fields)
            problems += scopeProblems.map { "\(context): \($0)" }
            let entryLevels = (status.entry?.languageAnyOf ?? []) + (status.entry?.languageByField ?? []).flatMap(\.languageAnyOf)
            for level in entryLevels + (status.maxWeeklyHours ?? []).compactMap(\.with) where level.rank == nil {
                problems.append("\(context): \(level.test) \(level.level) is not a recognised level")
            }
            let conditional = (status.conditional ?? []).map { entry in
                ConditionalFields(dated: DatedFields(fields: Set(entry.fields), effectiveFrom: entry.effectiveFrom, until: entry.until),
                                  conditions: entry.conditions)
            }
            let entryFields = status.entry?.fields.map { DatedFields(fields: Set($0.fields), effectiveFrom: $0.effectiveFrom, until: $0.until) }
            let dated = conditional.map(\.dated) + (entryFields.map { [$0] } ?? [])
            problems += Self.datedProblems(dated, fields: fields).map { "\(context): \($0)" }
            for entry in status.conditional ?? [] where entry.conditions.isEmpty { problems.append("\(context): a conditional entry states no condition") }
            for entry in status.entry?.languageByField ?? [] {
                for field in entry.fields where fields[field] == nil { problems.append("\(context): unknown field \(field)") }
            }
            if let day = status.effectiveFrom, !LegalDataRevision.isDay(day) { problems.append("\(context): effective_from must be YYYY-MM-DD") }
            for tier in status.maxWeeklyHours ?? [] where tier.hours <= 0 { problems.append("\(context): hours must be positive") }
            statuses[status.code] = StatusRule(
                code: status.code, country: status.country, name: status.name, work: scope, conditional: conditional, conditions: status.conditions ?? [],
                changes: (status.changes ?? []).map { StatusChange(to: $0.to, conditions: $0.conditions) },
                entry: status.entry.map { entry in
                    EntryRoute(languageAnyOf: entry.languageAnyOf ?? [],
                               languageByField: Dictionary((entry.languageByField ?? []).flatMap { tier in tier.fields.map { ($0, tier.languageAnyOf) } },
                                                           uniquingKeysWith: { first, _ in first }),
                               fields: entryFields, unchecked: entry.unchecked ?? [])
                },
                maxWeeklyHours: (status.maxWeeklyHours ?? []).map { HoursTier(with: $0.with, hours: $0.hours) },
                effectiveFrom: status.effectiveFrom, sources: status.sources, asOf: status.asOf, confidence: status.confidence ?? "primary")
        }
        for status in statuses.values {
            for change in status.changes where statuses[change.to]?.country != status.country {
                problems.append("status \(status.code): changes to \(change.to), which is no status of \(status.country)")
            }
        }
                let revision = LegalDataRevision(table: "eligibility rules", asOf: document.asOf, revisionDue: document.revisionDue, note: document.revisionNote)
        problems += revision.problems
        guard problems.isEmpty else { throw EligibilityRulesError(problems: problems) }
        self.init(revision: revision, fields: fields, statuses: statuses, sources: document.sources)
    }

    private static func scope(_ work: Document.Work, fields: [String: Field]) -> (WorkScope, [String]) {
        var problems: [String] = []
        for field in (work.fields ?? []) + (work.exceptFields ?? []) where fields[field] == nil { problems.append("unknown field \(field)") }
        for kind in (work.kinds ?? []) + (work.exceptKinds ?? []) where !kinds.contains(kind) { problems.append("unknown kind \(kind)") }
        let also = (work.alsoFields ?? []).map { DatedFields(fields: Set($0.fields), effectiveFrom: $0.effectiveFrom, until: $0.until) }
        problems += datedProblems(also, fields: fields)
        var modes: [WorkScope] = []
        if work.unrestricted == true { modes.append(.unrestricted) }
        if work.none == true { modes.append(.none) }
        if work.designation == true { modes.append(.designation) }
        if work.fields != nil || work.kinds != nil {
            modes.append(.only(fields: Set(work.fields ?? []), kinds: Set(work.kinds ?? []), also: also))
        }
        if work.exceptKinds != nil || work.exceptFields != nil {
            modes.append(.except(kinds: Set(work.exceptKinds ?? []), fields: Set(work.exceptFields ?? []), also: also))
        }
        if work.alsoFields != nil, work.fields == nil, work.kinds == nil, work.exceptKinds == nil, work.exceptFields == nil {
            problems.append("also_fields needs fields, kinds or except_kinds")
        }
        guard modes.count == 1, let scope = modes.first else {
            return (.none, problems + ["work must say exactly one of unrestricted, none, designation, fields/kinds or except_kinds/except_fields"])
        }
        return (scope, problems)
    }

    /// Problems of dated field lists: unknown fields, malformed days, an end not after the start.
    private static func datedProblems(_ lists: [DatedFields], fields: [String: Field]) -> [String] {
        var problems: [String] = []
        for list in lists {
            for field in list.fields.sorted() where fields[field] == nil { problems.append("unknown field \(field)") }
            for day in [list.effectiveFrom, list.until].compactMap({ $0 }) where !LegalDataRevision.isDay(day) {
                problems.append("\(day.prefix(32)) is not YYYY-MM-DD (effective_from, until)")
            }
            if let from = list.effectiveFrom, let until = list.until, until <= from { problems.append("until \(until) is not after effective_from \(from)") }
        }
        return problems
    }

    private struct Document: Decodable {
        struct FieldEntry: Decodable {
            let id: String
            let kind: String
            let label: [String: String]
        }

        struct Work: Decodable {
            struct Also: Decodable {
                let fields: [String]
                let effectiveFrom: String?
                let until: String?
                enum CodingKeys: String, CodingKey {
                    case fields, until
                    case effectiveFrom = "effective_from"
                }
            }

            let unrestricted: Bool?
            let none: Bool?
            let designation: Bool?
            let fields: [String]?
            let kinds: [String]?
            let exceptKinds: [String]?
            let exceptFields: [String]?
            let alsoFields: [Also]?

            enum CodingKeys: String, CodingKey {
                case unrestricted, none, designation, fields, kinds
                case exceptKinds = "except_kinds"
                case exceptFields = "except_fields"
                case alsoFields = "also_fields"
            }
        }

        struct Conditional: Decodable {
            let fields: [String]
            let conditions: [String]
            let effectiveFrom: String?
            let until: String?
            enum CodingKeys: String, CodingKey {
                case fields, conditions, until
                case effectiveFrom = "effective_from"
            }
        }

        struct Change: Decodable {
            let to: String
            let conditions: [String]
        }

        struct FieldLanguage: Decodable {
            let fields: [String]
            let languageAnyOf: [LanguageProficiency]
            enum CodingKeys: String, CodingKey {
                case fields
                case languageAnyOf = "language_any_of"
            }
        }

        struct Entry: Decodable {
            let languageAnyOf: [LanguageProficiency]?
            let languageByField: [FieldLanguage]?
            let fields: Work.Also?
            let unchecked: [String]?
            enum CodingKeys: String, CodingKey {
                case unchecked, fields
                case languageAnyOf = "language_any_of"
                case languageByField = "language_by_field"
            }
        }

        struct Tier: Decodable {
            let with: LanguageProficiency?
            let hours: Int
        }

        struct Status: Decodable {
            let code: String
            let country: String
            let name: String
            let work: Work
            let entry: Entry?
            let maxWeeklyHours: [Tier]?
            let sources: [String]
            let asOf: String
            let confidence: String?
            let conditional: [Conditional]?
            let conditions: [String]?
            let changes: [Change]?
            let effectiveFrom: String?

            enum CodingKeys: String, CodingKey {
                case code, country, name, work, entry, sources, confidence, conditional, conditions, changes
                case maxWeeklyHours = "max_weekly_hours"
                case asOf = "as_of"
                case effectiveFrom = "effective_from"
            }
        }

        let asOf: String
        let revisionDue: String
        let revisionNote: String?
        let fields: [FieldEntry]
        let statuses: [Status]
        let sources: [String: String]

        enum CodingKeys: String, CodingKey {
            case fields, statuses, sources
            case asOf = "as_of"
            case revisionDue = "revision_due"
            case revisionNote = "revision_note"
        }
    }
}
