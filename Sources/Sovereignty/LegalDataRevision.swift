/// When a table of legal data (minimum wages, eligibility rules, job-ad rules, transfer rules) was last
/// checked against its sources, and the day it is due for a new check: the day a known revision of the
/// law takes effect (Japan's prefectural minimum wages each October, Korea's each January), or a yearly
/// review.
///
/// Past that day the table may no longer be the law. The platform does not pass silently then: the
/// job-ad review says its wage data may be out of date, `iworkz compliance check` lists the table and
/// fails, and `/ready` shows it.
public struct LegalDataRevision: Sendable, Hashable, Codable {
    /// What the table is, e.g. `minimum wages JP`.
    public let table: String
    /// `YYYY-MM-DD`: the facts are as of this day.
    public let asOf: String
    /// `YYYY-MM-DD`: from this day the table must be checked again.
    public let revisionDue: String
    /// What is due then, e.g. `FY2026 prefectural rates take effect from October`.
    public let note: String?

    enum CodingKeys: String, CodingKey {
        case table, note
        case asOf = "as_of"
        case revisionDue = "revision_due"
    }

    public init(table: String, asOf: String, revisionDue: String, note: String? = nil) {
        self.table = table
        self.asOf = asOf
        self.revisionDue = revisionDue
        self.note = note
    }

    /// Whether the table is past its revision day on `day` (`YYYY-MM-DD`).
    public func isOverdue(on day: String) -> Bool {
        day >= revisionDue
    }

    /// One line for an operator: the table, its date, its due day and what is due.
    public var summary: String {
        "\(table) (as of \(asOf), revision due \(revisionDue)\(note.map { ": \($0)" } ?? ""))"
    }

    /// Problems with the dates: both must be `YYYY-MM-DD`, and the due day after the facts' day.
    public var problems: [String] {
        var problems: [String] = []
        for (name, value) in [("as_of", asOf), ("revision_due", revisionDue)] where !Self.isDay(value) {
            problems.append("\(table): \(name) '\(value.prefix(32))' is not a YYYY-MM-DD date")
        }
        if problems.isEmpty, revisionDue <= asOf { problems.append("\(table): revision_due \(revisionDue) is not after as_of \(asOf)") }
        return problems
    }

    /// Whether `day` (`YYYY-MM-DD`) falls from `since` on and before `until` (exclusive); a missing bound
    /// does not limit. Days written this way compare as text.
    public static func day(_ day: String, isFrom since: String?, until: String?) -> Bool {
        (since.map { day >= $0 } ?? true) && (until.map { day < $0 } ?? true)
    }

    /// Whether `text` is a calendar day written `YYYY-MM-DD`.
    public static func isDay(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let month = Int(parts[1]), let day = Int(parts[2]) else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }
}
