internal import Foundation
public import Workforce

/// One term of a score: what it is, how many points it gave, and why.
public struct Contribution: Codable, Sendable, Hashable {
    /// `skill`, `location`, `salary`, `language` or `recency`.
    public let factor: String
    /// The skill (its preferred English label) for skill terms.
    public let term: String?
    public let points: Double
    public let detail: String

    public init(factor: String, term: String?, points: Double, detail: String) {
        self.factor = factor
        self.term = term
        self.points = points
        self.detail = detail
    }
}

/// Scores one eligible posting (by slot) for one worker; the explained form lists the terms, which
/// add up to the same score the fast form computes.
struct PostingScorer {
    let catalog: Catalog
    let configuration: MatchingConfiguration
    let taxonomy: SkillTaxonomy
    /// The worker's place, interned: country, prefecture, city, commute region (-1: unknown).
    let place: (country: Int32, prefecture: Int32, city: Int32, commuteRegion: Int32)
    let countryName: String?
    let desiredSalary: Pay?
    /// The interned `currency|period` of the desired pay; -1 when none or unknown to the catalog.
    let desiredUnit: Int32
    /// The worker's best rank per interned language; -1 when none.
    let bestRank: [Int]
    let today: Int32
    /// Rarity per skill id, computed once per query.
    private let rarities: [Double]
    /// Credit per skill id: 1 held, a share for a related skill, 0 otherwise.
    private let credits: [Double]
    /// Recency points by age in days (``recencyTable(_:)``), so a query computes no powers.
    private let recency: [Double]

    /// Recency points for ages 0 to 10 years; older postings are computed directly.
    static func recencyTable(_ configuration: MatchingConfiguration) -> [Double] {
        (0..<3_660).map { configuration.weights.recency * pow(0.5, Double($0) / configuration.recencyHalfLifeDays) }
    }

    /// Without `credit`, the scorer gives only ``otherPoints(_:)`` (what a ``PostingSkills`` completes).
    init(catalog: Catalog, configuration: MatchingConfiguration, taxonomy: SkillTaxonomy, credit: [Int32: Double]?,
         location: Place?, desiredSalary: Pay?, languages: [LanguageProficiency], today: Int32, recency: [Double],
         rarities: [Double]? = nil) {
        self.catalog = catalog
        self.configuration = configuration
        self.taxonomy = taxonomy
        self.place = (location.map { catalog.nameID($0.country) } ?? -1, catalog.nameID(location?.prefecture), catalog.nameID(location?.city),
                      catalog.nameID(configuration.commuteRegion(country: location?.country ?? "", prefecture: location?.prefecture)))
        self.countryName = location?.country
        self.desiredSalary = desiredSalary
        self.desiredUnit = desiredSalary.map { catalog.nameID(Catalog.unit(currency: $0.currency, period: $0.period)) } ?? -1
        self.bestRank = catalog.languageCodes.map { code in
            languages.filter { $0.language == code }.compactMap(\.rank).max() ?? -1
        }
        self.today = today
        self.rarities = rarities ?? Self.rarities(catalog)
        if let credit {
            var credits = [Double](repeating: 0, count: catalog.skillNames.count)
            for (skill, share) in credit { credits[Int(skill)] = share }
            self.credits = credits
        } else {
            credits = []
        }
        self.recency = recency
    }

    /// Rarity per skill id of the catalog; the same for every worker, so one posting scored for
    /// many workers computes it once.
    static func rarities(_ catalog: Catalog) -> [Double] {
        let count = Double(max(catalog.liveCount, 1))
        return catalog.documentFrequency.map { log(1 + count / Double(max($0, 1))) }
    }

    /// Whether the explained form would credit a skill: the posting requires none, or the worker
    /// holds (or is related to) one it requires.
    func sharesSkill(_ slot: Int) -> Bool {
        configuration.weights.skills > 0 && skillShare(catalog.facts[slot]) > 0
    }

    func rarity(_ skill: Int32) -> Double {
        rarities[Int(skill)]
    }

    func score(_ slot: Int) -> Double {
        let facts = catalog.facts[slot]
        return skillShare(facts) * configuration.weights.skills + otherPoints(facts)
    }

    /// The score of a posting whose facts are loaded, given its ``otherPoints(_:)``.
    func score(_ facts: PostingFacts, otherPoints: Double) -> Double {
        skillShare(facts) * configuration.weights.skills + otherPoints
    }

    /// Location, salary, language and recency points: everything but the skills, from the posting's
    /// record alone (no skill list read), so a query can bound a score cheaply before computing it.
    func otherPoints(_ facts: PostingFacts) -> Double {
        let weights = configuration.weights
        var location = 0.0
        if countryName != nil, place.country >= 0, place.country == facts.country {
            let credit = configuration.locationCredit
            location = weights.location * (place.city >= 0 && place.city == facts.city ? credit.city
                : place.prefecture >= 0 && place.prefecture == facts.prefecture ? credit.prefecture
                : place.commuteRegion >= 0 && place.commuteRegion == facts.commuteRegion ? credit.commuteRegion : credit.country)
        }
        var salary = weights.salary / 2
        if facts.salaryMax >= 0, let desired = desiredSalary, desired.amount > 0, facts.salaryUnit == desiredUnit {
            salary = facts.salaryMax >= Int64(desired.amount) ? weights.salary : weights.salary * (Double(facts.salaryMax) / Double(desired.amount))
        }
        var language = weights.language
        if facts.language >= 0 {
            let margin = min(2, max(0, bestRank[Int(facts.language)] - Int(facts.languageRank)))
            language = weights.language * (0.5 + 0.25 * Double(margin))
        }
        return location + salary + language + recencyPoints(createdDay: facts.createdDay)
    }

    /// Recency points of a posting created on a day (days since 1970); never more for an older day.
    func recencyPoints(createdDay: Int32) -> Double {
        let age = max(0, Int(today) - Int(createdDay))
        return age < recency.count ? recency[age] : configuration.weights.recency * pow(0.5, Double(age) / configuration.recencyHalfLifeDays)
    }

    /// The most ``otherPoints(_:)`` can give any posting.
    var maxOtherPoints: Double {
        let weights = configuration.weights
        return weights.location + weights.salary + weights.language + weights.recency
    }

    func explain(_ slot: Int) -> [Contribution] {
        var terms: [Contribution] = []
        let weights = configuration.weights
        let skills = catalog.skills(of: slot)
        if skills.isEmpty {
            terms.append(.init(factor: "skill", term: nil, points: weights.skills * 0.5, detail: "the job lists no required skills"))
        } else {
            let total = skills.reduce(0) { $0 + rarity($1) }
            for skill in skills {
                let name = catalog.skillNames[Int(skill)]
                let share = credits[Int(skill)]
                let detail = share == 1 ? "required, held" : share > 0 ? "required; a related skill is held" : "required, not held"
                terms.append(.init(factor: "skill", term: taxonomy.label(name), points: weights.skills * rarity(skill) * share / total, detail: detail))
            }
        }
        for part in [locationPart(slot, true), salaryPart(slot, true), languagePart(slot, true), recencyPart(slot, true)] {
            terms.append(.init(factor: part.factor, term: nil, points: part.points, detail: part.detail))
        }
        return terms
    }

    private func skillShare(_ facts: PostingFacts) -> Double {
        guard facts.skillCount > 0 else { return 0.5 }
        var total = 0.0, held = 0.0
        let start = Int(facts.skillStart)
        for skill in catalog.skillPool[start..<start + Int(facts.skillCount)] {
            let weight = rarities[Int(skill)]
            total += weight
            held += weight * credits[Int(skill)]
        }
        return held / total
    }

    private typealias Part = (factor: String, points: Double, detail: String)

    private func locationPart(_ slot: Int, _ explain: Bool) -> Part {
        let weight = configuration.weights.location, credit = configuration.locationCredit
        let facts = catalog.facts[slot]
        guard let countryName else { return ("location", 0, "no location in the profile") }
        guard place.country >= 0, place.country == facts.country else {
            return ("location", 0, explain ? "the job is in another country than \(countryName), where the worker lives" : "")
        }
        if place.city >= 0, place.city == facts.city { return ("location", weight * credit.city, "same city") }
        if place.prefecture >= 0, place.prefecture == facts.prefecture { return ("location", weight * credit.prefecture, "same prefecture") }
        if place.commuteRegion >= 0, place.commuteRegion == facts.commuteRegion {
            return ("location", weight * credit.commuteRegion, "within commuting distance")
        }
        return ("location", weight * credit.country, "same country")
    }

    private func salaryPart(_ slot: Int, _ explain: Bool) -> Part {
        let weight = configuration.weights.salary
        let facts = catalog.facts[slot]
        guard facts.salaryMax >= 0, let desired = desiredSalary, desired.amount > 0 else {
            return ("salary", weight / 2, "salary not comparable")
        }
        guard facts.salaryUnit == desiredUnit else { return ("salary", weight / 2, "salary in another currency or period") }
        if facts.salaryMax >= Int64(desired.amount) { return ("salary", weight, "the range reaches the desired salary") }
        let fraction = Double(facts.salaryMax) / Double(desired.amount)
        return ("salary", weight * fraction, explain ? "pays up to \(Int(fraction * 100))% of the desired salary" : "")
    }

    private func languagePart(_ slot: Int, _ explain: Bool) -> Part {
        let weight = configuration.weights.language
        let facts = catalog.facts[slot]
        guard facts.language >= 0 else { return ("language", weight, "no language requirement") }
        let needed = Int(facts.languageRank)
        let margin = min(2, max(0, bestRank[Int(facts.language)] - needed))
        return ("language", weight * (0.5 + 0.25 * Double(margin)),
                !explain ? "" : margin == 0 ? "meets the minimum level" : "\(margin) level(s) above the minimum")
    }

    private func recencyPart(_ slot: Int, _ explain: Bool) -> Part {
        let age = max(0, Int(today) - Int(catalog.facts[slot].createdDay))
        let points = age < recency.count ? recency[age] : configuration.weights.recency * pow(0.5, Double(age) / configuration.recencyHalfLifeDays)
        return ("recency", points, !explain ? "" : age == 0 ? "posted today" : "posted \(age) day(s) ago")
    }
}
