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
}

/// Scores one eligible posting for one worker; the explained form lists the terms, which add up
/// to the same score the fast form computes.
struct PostingScorer {
    let catalog: Catalog
    let configuration: MatchingConfiguration
    let taxonomy: SkillTaxonomy
    let place: (country: String?, prefecture: Int32, city: Int32, commuteRegion: Int32)
    let desiredSalary: Pay?
    /// The worker's best rank per interned language; -1 when none.
    let bestRank: [Int]
    let today: Int32
    /// Rarity per skill id, computed once per query.
    private let rarities: [Double]
    /// Credit per skill id: 1 held, a share for a related skill, 0 otherwise.
    private let credits: [Double]

    init(catalog: Catalog, configuration: MatchingConfiguration, taxonomy: SkillTaxonomy, credit: [Int32: Double],
         location: Place?, desiredSalary: Pay?, languages: [LanguageProficiency], today: Int32) {
        self.catalog = catalog
        self.configuration = configuration
        self.taxonomy = taxonomy
        self.place = (location?.country, catalog.nameID(location?.prefecture), catalog.nameID(location?.city),
                      catalog.nameID(configuration.commuteRegion(country: location?.country ?? "", prefecture: location?.prefecture)))
        self.desiredSalary = desiredSalary
        self.bestRank = catalog.languageCodes.map { code in
            languages.filter { $0.language == code }.compactMap(\.rank).max() ?? -1
        }
        self.today = today
        let count = Double(max(catalog.liveCount, 1))
        self.rarities = catalog.documentFrequency.map { log(1 + count / Double(max($0, 1))) }
        var credits = [Double](repeating: 0, count: catalog.skillNames.count)
        for (skill, share) in credit { credits[Int(skill)] = share }
        self.credits = credits
    }

    /// A rare skill weighs more than a common one.
    func rarity(_ skill: Int32) -> Double {
        rarities[Int(skill)]
    }

    func score(_ posting: IndexedPosting) -> Double {
        skillShare(posting) * configuration.weights.skills + locationPart(posting, false).points + salaryPart(posting, false).points
            + languagePart(posting, false).points + recencyPart(posting, false).points
    }

    func explain(_ posting: IndexedPosting) -> [Contribution] {
        var terms: [Contribution] = []
        let weights = configuration.weights
        if posting.skills.isEmpty {
            terms.append(.init(factor: "skill", term: nil, points: weights.skills * 0.5, detail: "the job lists no required skills"))
        } else {
            let total = posting.skills.reduce(0) { $0 + rarity($1) }
            for skill in posting.skills {
                let name = catalog.skillNames[Int(skill)]
                let share = credits[Int(skill)]
                let detail = share == 1 ? "required, held" : share > 0 ? "required; a related skill is held" : "required, not held"
                terms.append(.init(factor: "skill", term: taxonomy.label(name), points: weights.skills * rarity(skill) * share / total, detail: detail))
            }
        }
        for part in [locationPart(posting, true), salaryPart(posting, true), languagePart(posting, true), recencyPart(posting, true)] {
            terms.append(.init(factor: part.factor, term: nil, points: part.points, detail: part.detail))
        }
        return terms
    }

    private func skillShare(_ posting: IndexedPosting) -> Double {
        guard !posting.skills.isEmpty else { return 0.5 }
        var total = 0.0, held = 0.0
        for skill in posting.skills {
            let weight = rarity(skill)
            total += weight
            held += weight * credits[Int(skill)]
        }
        return held / total
    }

    private typealias Part = (factor: String, points: Double, detail: String)

    private func locationPart(_ posting: IndexedPosting, _ explain: Bool) -> Part {
        let weight = configuration.weights.location, credit = configuration.locationCredit
        guard let country = place.country else { return ("location", 0, "no location in the profile") }
        guard country == posting.country else { return ("location", 0, explain ? "the job is in \(posting.country), the worker lives in \(country)" : "") }
        if place.city >= 0, place.city == posting.city { return ("location", weight * credit.city, "same city") }
        if place.prefecture >= 0, place.prefecture == posting.prefecture { return ("location", weight * credit.prefecture, "same prefecture") }
        if place.commuteRegion >= 0, place.commuteRegion == posting.commuteRegion {
            return ("location", weight * credit.commuteRegion, "within commuting distance")
        }
        return ("location", weight * credit.country, "same country")
    }

    private func salaryPart(_ posting: IndexedPosting, _ explain: Bool) -> Part {
        let weight = configuration.weights.salary
        guard let offered = posting.salary, let desired = desiredSalary, desired.amount > 0 else {
            return ("salary", weight / 2, "salary not comparable")
        }
        guard offered.currency == desired.currency, offered.period == desired.period else {
            return ("salary", weight / 2, "salary in another currency or period")
        }
        if offered.max >= desired.amount { return ("salary", weight, "the range reaches the desired salary") }
        let fraction = Double(offered.max) / Double(desired.amount)
        return ("salary", weight * fraction, explain ? "pays up to \(Int(fraction * 100))% of the desired salary" : "")
    }

    private func languagePart(_ posting: IndexedPosting, _ explain: Bool) -> Part {
        let weight = configuration.weights.language
        guard posting.language >= 0 else { return ("language", weight, "no language requirement") }
        let needed = Int(posting.languageRank)
        let margin = min(2, max(0, bestRank[Int(posting.language)] - needed))
        return ("language", weight * (0.5 + 0.25 * Double(margin)),
                !explain ? "" : margin == 0 ? "meets the minimum level" : "\(margin) level(s) above the minimum")
    }

    private func recencyPart(_ posting: IndexedPosting, _ explain: Bool) -> Part {
        let age = max(0, Int(today) - Int(posting.createdDay))
        let share = pow(0.5, Double(age) / configuration.recencyHalfLifeDays)
        return ("recency", configuration.weights.recency * share, !explain ? "" : age == 0 ? "posted today" : "posted \(age) day(s) ago")
    }
}
