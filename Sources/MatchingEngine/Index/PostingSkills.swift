public import Workforce

/// One posting's required skills, ready to credit many workers against: what a candidate listing
/// needs of a worker's skills, without the catalog-wide credit table ``PostingScorer`` builds for a
/// worker's own ranking (an array as long as the catalog's skills, per worker, was most of a listing's
/// time).
struct PostingSkills: Sendable {
    /// Rarity of each required skill, in the catalog's order for the posting.
    private let rarities: [Double]
    /// Positions of the required skills a canonical skill id is, or is related to.
    private let heldAt: [String: [Int]]
    private let relatedAt: [String: [Int]]
    private let relatedCredit: Double
    private let taxonomy: SkillTaxonomy

    init(slot: Int, catalog: Catalog, rarities: [Double], taxonomy: SkillTaxonomy, relatedCredit: Double) {
        let skills = Array(catalog.skills(of: slot))
        self.rarities = skills.map { rarities[Int($0)] }
        var heldAt: [String: [Int]] = [:], relatedAt: [String: [Int]] = [:]
        for (position, skill) in skills.enumerated() {
            let name = catalog.skillNames[Int(skill)]
            heldAt[name, default: []].append(position)
            // Relations are symmetric: a worker's skill related to this one is one this one is related to.
            for related in taxonomy.related(name) { relatedAt[related, default: []].append(position) }
        }
        self.heldAt = heldAt
        self.relatedAt = relatedAt
        self.relatedCredit = relatedCredit
        self.taxonomy = taxonomy
    }

    /// The share of the posting's skill weight the worker's skills earn, as
    /// `PostingScorer.skillShare` computes it (same terms, same order, so the same value).
    func share(of workerSkills: [String]) -> Double {
        guard !rarities.isEmpty else { return 0.5 }
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: rarities.count) { credits in
            credits.initialize(repeating: 0)
            // Worker skills in order, as MatchingIndex.scoring credits them: held sets 1, a related one
            // raises a lower credit to the related share.
            for name in workerSkills {
                let id = taxonomy.canonical(name)
                for position in heldAt[id] ?? [] { credits[position] = 1 }
                for position in relatedAt[id] ?? [] where credits[position] < relatedCredit { credits[position] = relatedCredit }
            }
            var total = 0.0, held = 0.0
            for (position, weight) in rarities.enumerated() {
                total += weight
                held += weight * credits[position]
            }
            return held / total
        }
    }
}
