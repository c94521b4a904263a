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
    /// Skill id → credit (1 held, a share for a related skill).
    let credit: [Int32: Double]
    let place: (country: String?, prefecture: Int32, city: Int32, commuteRegion: Int32)
    let desiredSalary: Pay?
    let languages: [LanguageProficiency]
    let today: Int32
    private let logCount: Double

    init(catalog: Catalog, configuration: MatchingConfiguration, taxonomy: SkillTaxonomy, credit: [Int32: Double],
         location: Place?, desiredSalary: Pay?, languages: [LanguageProficiency], today: Int32) {
        self.catalog = catalog
        self.configuration = configuration
        self.taxonomy = taxonomy
        self.credit = credit
        self.place = (location?.country, catalog.nameID(location?.prefecture), catalog.nameID(location?.city),
                      catalog.nameID(configuration.commuteRegion(country: location?.country ?? "", prefecture: location?.prefecture)))
        self.desiredSalary = desiredSalary
        self.languages = languages
        self.today = today
        self.logCount = Double(max(catalog.liveCount, 1))
    }

    /// A rare skill weighs more than a common one.
    func rarity(_ skill: Int32) -> Double {
        log(1 + logCount / Double(max(catalog.documentFrequency[Int(skill)], 1)))
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
                let share = credit[skill] ?? 0
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
            held += weight * (credit[skill] ?? 0)
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
        guard let minimum = catalog.openings[Int(posting.opening)].minimumLanguage, let needed = minimum.rank else {
            return ("language", weight, "no language requirement")
        }
        var best = needed
        for language in languages where language.language == minimum.language {
            if let rank = language.rank, rank > best { best = rank }
        }
        let margin = min(2, best - needed)
        return ("language", weight * (0.5 + 0.25 * Double(margin)),
                !explain ? "" : margin == 0 ? "meets the minimum level" : "\(margin) level(s) above the minimum")
    }

    private func recencyPart(_ posting: IndexedPosting, _ explain: Bool) -> Part {
        let age = max(0, Int(today) - Int(posting.createdDay))
        let share = pow(0.5, Double(age) / configuration.recencyHalfLifeDays)
        return ("recency", configuration.weights.recency * share, !explain ? "" : age == 0 ? "posted today" : "posted \(age) day(s) ago")
    }
}
