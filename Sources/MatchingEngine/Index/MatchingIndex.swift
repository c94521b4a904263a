internal import Foundation
public import JobService
public import Sovereignty
internal import Synchronization
public import Workforce

/// What a worker is matched on.
public struct WorkerQuery: Sendable {
    public var candidate: Candidate
    public var skills: [String]
    public var location: Place?
    public var desiredSalary: Pay?

    public init(candidate: Candidate, skills: [String], location: Place?, desiredSalary: Pay?) {
        self.candidate = candidate
        self.skills = skills
        self.location = location
        self.desiredSalary = desiredSalary
    }
}

/// One ranked posting: its score, the terms that make it up, and the eligibility decision.
public struct RankedJob: Sendable {
    public let jobID: RegionalID
    public let score: Double
    public let explanation: [Contribution]
    public let eligibility: EligibilityDecision
}

/// The outcome of a query: how many postings were looked at, how many passed the hard constraints,
/// and the best of those.
public struct Ranking: Sendable {
    public let considered: Int
    public let eligible: Int
    public let matches: [RankedJob]
}

/// A cell's in-memory index of the open job catalog, kept current from job writes and rebuilt from
/// the database at start.
///
/// A query looks only at postings that require a skill the worker has (or a related one) and at
/// postings that require none: a posting needing only skills the worker lacks is not a match. Hard
/// constraints are decided once per kind of posting (``OpeningKind``), then each posting's hours,
/// start date and language level are compared as numbers.
public final class MatchingIndex: Sendable {
    public let rules: EligibilityRules
    public let taxonomy: SkillTaxonomy
    public let configuration: MatchingConfiguration
    private let state = Mutex(Catalog())

    public init(rules: EligibilityRules, taxonomy: SkillTaxonomy, configuration: MatchingConfiguration = .init()) {
        self.rules = rules
        self.taxonomy = taxonomy
        self.configuration = configuration
    }

    /// Adds, replaces or (when closed) removes a posting; an older version than the one held is ignored.
    public func upsert(_ job: Job) {
        state.withLock { $0.upsert(job, taxonomy: taxonomy, configuration: configuration) }
    }

    public func upsert(contentsOf jobs: some Sequence<Job>) {
        state.withLock { catalog in
            for job in jobs { catalog.upsert(job, taxonomy: taxonomy, configuration: configuration) }
        }
    }

    /// Open postings held.
    public var count: Int { state.withLock { $0.liveCount } }

    /// Loads every open posting of a store, a page at a time.
    public func rebuild(from store: any JobStore) async throws {
        var query = JobQuery()
        query.status = .open
        query.limit = 1000
        while true {
            let page = try await store.list(query)
            upsert(contentsOf: page)
            guard page.count == query.limit, let last = page.last else { return }
            query.after = last.id.description
        }
    }

    /// The best eligible postings for a worker on a day (`YYYY-MM-DD`).
    public func rank(_ query: WorkerQuery, limit: Int, on date: String) -> Ranking {
        let catalog = state.withLock { $0 }
        var credit: [Int32: Double] = [:]
        for name in query.skills {
            let id = taxonomy.canonical(name)
            if let skill = catalog.skillID(id) { credit[skill] = 1 }
            for related in taxonomy.related(id) {
                if let skill = catalog.skillID(related), credit[skill, default: 0] < configuration.relatedSkillCredit {
                    credit[skill] = configuration.relatedSkillCredit
                }
            }
        }
        let scorer = PostingScorer(
            catalog: catalog, configuration: configuration, taxonomy: taxonomy, credit: credit, location: query.location,
            desiredSalary: query.desiredSalary, languages: query.candidate.languages, today: CompactTime.day(date) ?? 0)
        var seen = [UInt64](repeating: 0, count: (catalog.postings.count + 63) / 64)
        var prepared = [PreparedEligibility?](repeating: nil, count: catalog.kinds.count)
        var top = TopScores(capacity: limit)
        var considered = 0, eligible = 0
        let candidate = query.candidate
        let todayDay = scorer.today
        let expiryDay = candidate.residenceExpiresOn.flatMap(CompactTime.day)

        /// ``EligibilityRules/complete`` over the posting's numbers: the same checks, without strings.
        func passes(_ posting: IndexedPosting, _ rule: PreparedEligibility) -> Bool {
            if let limit = rule.hourLimit {
                let stated = posting.weeklyHours >= 0 ? Int(posting.weeklyHours) : nil
                guard let hours = catalog.kinds[Int(posting.kind)].effectiveWeeklyHours(stated), hours <= limit else { return false }
            }
            if rule.checksExpiry, let expiryDay, expiryDay < max(posting.startDay >= 0 ? posting.startDay : todayDay, todayDay) {
                return false
            }
            return posting.language < 0 || scorer.bestRank[Int(posting.language)] >= Int(posting.languageRank)
        }

        func consider(_ slot: Int32) {
            let (word, bit) = (Int(slot) >> 6, UInt64(1) << UInt64(slot & 63))
            guard seen[word] & bit == 0, let posting = catalog.postings[Int(slot)] else { return }
            seen[word] |= bit
            considered += 1
            let kind = Int(posting.kind)
            if prepared[kind] == nil {
                prepared[kind] = rules.prepare(candidate, for: catalog.kinds[kind], on: date)
            }
            guard let rule = prepared[kind], rule.decision.eligible, passes(posting, rule) else { return }
            eligible += 1
            top.offer(.init(score: scorer.score(posting), version: posting.version, slot: slot))
        }

        for skill in credit.keys {
            for slot in catalog.postingsWithSkill[Int(skill)] where catalog.requires(slot, skill) {
                consider(slot)
            }
        }
        for slot in catalog.withoutSkills { consider(slot) }

        let matches = top.sorted.compactMap { entry -> RankedJob? in
            guard let posting = catalog.postings[Int(entry.slot)], let id = posting.id, let decision = prepared[Int(posting.kind)]?.decision else {
                return nil
            }
            let explanation = scorer.explain(posting)
            return RankedJob(jobID: id, score: explanation.reduce(0) { $0 + $1.points }, explanation: explanation, eligibility: decision)
        }
        return Ranking(considered: considered, eligible: eligible, matches: matches)
    }
}
