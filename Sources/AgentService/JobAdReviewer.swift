public import Foundation
public import JobService
public import Workforce
internal import TextMatching
internal import Sovereignty

/// Reviews a job ad against the recruitment law of the country of work: forbidden wording (age,
/// sex, nationality, personal information), pay below the minimum wage in force, and conditions
/// the ad must state. Each finding cites its rule, law and sources. Deterministic and offline.
public struct JobAdReviewer: Sendable {
    /// One problem in an ad.
    public struct Finding: Codable, Sendable, Hashable {
        public let rule: String
        /// `age`, `gender`, `nationality`, `personal-information`, `minimum-wage` or `mandatory-condition`.
        public let category: String
        /// `violation` (the wording or pay breaks the rule), `advisory` (the basis is a recommendation, not
        /// a prohibition), `missing` (a condition the ad must state is absent) or `out-of-date` (the data
        /// the check needs is past its revision day).
        public let severity: String
        public let law: String
        public let message: String
        /// The words that triggered it, and where (Unicode scalar offsets into title + "\n" + description).
        public let evidence: String?
        public let start: Int?
        public let end: Int?
        public let sources: [String]
    }

    let rules: JobAdRules

    public init(rules: JobAdRules) {
        self.rules = rules
    }

    /// The findings for an ad on `day` (`YYYY-MM-DD`), in the order of the text.
    public func review(_ ad: JobContent, on day: String) -> [Finding] {
        let country = ad.location.country
        let text = ad.title + "\n" + ad.description
        var findings: [Finding] = []
        for rule in rules.wording where rule.country == country {
            let excepted = rule.allowedIf.contains { $0.occurs(in: text) }
            guard !excepted else { continue }
            for pattern in rule.patterns {
                for range in pattern.occurrences(in: text) {
                    findings.append(Finding(
                        rule: rule.id, category: rule.category, severity: rule.severity, law: rule.law, message: rule.message,
                        evidence: String(text[range]), start: text.unicodeScalars.distance(from: text.startIndex, to: range.lowerBound),
                        end: text.unicodeScalars.distance(from: text.startIndex, to: range.upperBound), sources: rule.sources))
                }
            }
        }
        if let wage = minimumWageFinding(ad, on: day) { findings.append(wage) }
        if let stale = staleWageFinding(ad, on: day) { findings.append(stale) }
        for condition in rules.mandatory where condition.country == country && condition.since.map({ day >= $0 }) ?? true
            && (condition.appliesIf.isEmpty || condition.appliesIf.contains { $0.occurs(in: text) }) && !states(condition, ad: ad, text: text) {
            findings.append(Finding(
                rule: condition.id, category: "mandatory-condition", severity: "missing", law: condition.law,
                message: "The ad must state the \(condition.condition).", evidence: nil, start: nil, end: nil, sources: condition.sources))
        }
        // One finding per rule and place: overlapping patterns of one rule report once.
        var seen = Set<String>()
        return findings.filter { seen.insert("\($0.rule)|\($0.start ?? -1)").inserted }
            .sorted { ($0.start ?? Int.max, $0.rule) < ($1.start ?? Int.max, $1.rule) }
    }

    private func states(_ condition: JobAdRules.MandatoryCondition, ad: JobContent, text: String) -> Bool {
        switch condition.field {
        case "description": return ad.description.count >= 20
        case "location": return ad.location.prefecture != nil || ad.location.city != nil
        case "salary": return ad.salary != nil
        // Every posting on the platform shows its employer's registered name.
        case "employer": return true
        default: return condition.keywords.contains { $0.occurs(in: text) }
        }
    }

    /// When the ad states pay and the minimum-wage table of its country is past its revision day: the
    /// comparison above used rates that may have been raised since, so the review says so instead of
    /// passing the pay silently.
    private func staleWageFinding(_ ad: JobContent, on day: String) -> Finding? {
        guard ad.salary != nil, let wage = rules.minimumWages.first(where: { $0.country == ad.location.country }),
              wage.revision.isOverdue(on: day) else { return nil }
        return Finding(
            rule: "\(wage.country.lowercased())-minimum-wage-data", category: "minimum-wage", severity: "out-of-date", law: wage.law,
            message: "The minimum wages this review knows for \(wage.country) are as of \(wage.revision.asOf) and were due for revision on "
                + "\(wage.revision.revisionDue)\(wage.revision.note.map { " (\($0))" } ?? ""); the minimum in force may be higher. "
                + "Check the pay against the current rate.",
            evidence: nil, start: nil, end: nil, sources: wage.sources)
    }

    /// The lowest pay the ad offers, per hour, against the minimum wage in force where the work is.
    private func minimumWageFinding(_ ad: JobContent, on day: String) -> Finding? {
        guard let salary = ad.salary, let wage = rules.minimumWages.first(where: { $0.country == ad.location.country }),
              salary.currency == wage.currency, let rate = wage.rate(region: ad.location.prefecture, on: day) else { return nil }
        let hourly: Double
        switch salary.period {
        case .hour: hourly = Double(salary.min)
        case .month: hourly = Double(salary.min) / wage.hoursPerMonth
        case .year: hourly = Double(salary.min) / 12 / wage.hoursPerMonth
        }
        guard hourly < Double(rate.amount) else { return nil }
        let place = rate.region == "*" ? ad.location.country : rate.region
        return Finding(
            rule: "\(wage.country.lowercased())-minimum-wage", category: "minimum-wage", severity: "violation", law: wage.law,
            message: "The pay offered (\(salary.min) \(salary.currency) per \(salary.period.rawValue), about \(Int(hourly)) an hour) is below "
                + "the minimum wage in \(place) of \(rate.amount) \(wage.currency) an hour in force since \(rate.effective).",
            evidence: nil, start: nil, end: nil, sources: wage.sources)
    }
}
