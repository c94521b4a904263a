internal import Foundation
public import JobService
public import Sovereignty
internal import Synchronization
public import Workforce
public import UserService

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

extension WorkerQuery {
    /// A worker's record as a matching query.
    public init(worker: User, profile: WorkerProfile) {
        self.init(
            candidate: Candidate(residenceStatus: profile.residence?.status, residenceExpiresOn: profile.residence?.expiresOn,
                                 countryOfResidence: worker.countryOfResidence, languages: profile.languages),
            skills: profile.skills, location: profile.location, desiredSalary: profile.desiredSalary)
    }
}

/// One ranked posting: its score, the terms that make it up, and the eligibility decision.
public struct RankedJob: Sendable {
    public let jobID: RegionalID
    public let score: Double
    public let explanation: [Contribution]
    public let eligibility: EligibilityDecision

    /// Whether the worker holds (or is related to) a skill the posting requires, or the posting
    /// requires none — the condition ``MatchingIndex/rank(_:limit:on:)`` applies, for use with
    /// ``MatchingIndex/evaluate(_:for:on:)``.
    public var sharesSkill: Bool {
        explanation.contains { $0.factor == "skill" && $0.points > 0 }
    }
}

/// The outcome of a query: how many postings were looked at, how many of those passed the hard
/// constraints, and the best of those. Lists that cannot improve a full top list are not looked at.
public struct Ranking: Sendable {
    public let considered: Int
    public let eligible: Int
    /// Eligible postings whose score was computed; the others could not reach the top list.
    public let scored: Int
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
    private let recency: [Double]

    public init(rules: EligibilityRules, taxonomy: SkillTaxonomy, configuration: MatchingConfiguration = .init()) {
        self.rules = rules
        self.taxonomy = taxonomy
        self.configuration = configuration
        recency = PostingScorer.recencyTable(configuration)
    }

    /// Adds, replaces or (when closed) removes a posting; an older version than the one held is ignored.
    public func upsert(_ job: Job) {
        state.withLock { $0.upsert(job, taxonomy: taxonomy, configuration: configuration) }
    }

    public func upsert(contentsOf jobs: some Sequence<Job>) {
        state.withLock { catalog in
            for job in jobs { catalog.upsert(job, taxonomy: taxonomy, configuration: configuration, keepingOrder: false) }
            catalog.sortLists()
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
            upsert(contentsOf: page.jobs)
            guard let next = page.next else { return }
            query.cursor = next
        }
    }

    /// The skills the worker gets credit for (held, or related for a share) and a scorer for the query.
    fileprivate func scoring(_ query: WorkerQuery, in catalog: Catalog, on date: String, rarities: [Double]? = nil) -> ([Int32: Double], PostingScorer) {
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
            desiredSalary: query.desiredSalary, languages: query.candidate.languages, today: CompactTime.day(date) ?? 0,
            recency: recency, rarities: rarities)
        return (credit, scorer)
    }

    /// A scorer of everything but the skills (``PostingScorer/otherPoints(_:)``) for the query.
    fileprivate func otherTerms(_ query: WorkerQuery, in catalog: Catalog, on date: String, rarities: [Double]) -> PostingScorer {
        PostingScorer(
            catalog: catalog, configuration: configuration, taxonomy: taxonomy, credit: nil, location: query.location,
            desiredSalary: query.desiredSalary, languages: query.candidate.languages, today: CompactTime.day(date) ?? 0,
            recency: recency, rarities: rarities)
    }

    /// One indexed posting scored for a worker, with the eligibility decision; nil when the index does
    /// not hold it. Unlike ``rank(_:limit:on:)``, a posting sharing no skill with the worker is scored too.
    public func evaluate(_ job: Job, for query: WorkerQuery, on date: String) -> RankedJob? {
        evaluator(for: job, on: date)?.rank(query)
    }

    /// Scores one posting for many workers (a candidate list, the workers a new posting notifies):
    /// the posting is looked up once, not once per worker. Nil when the index does not hold it.
    public func evaluator(for job: Job, on date: String) -> JobEvaluator? {
        let catalog = state.withLock { $0 }
        guard let uuid = UUID(uuidString: job.id.uuid), let slot = catalog.slotOf[uuid] else { return nil }
        let rarities = PostingScorer.rarities(catalog)
        return JobEvaluator(index: self, catalog: catalog, slot: Int(slot), job: job, opening: Opening(job), date: date, rarities: rarities,
                            skills: PostingSkills(slot: Int(slot), catalog: catalog, rarities: rarities, taxonomy: taxonomy,
                                                  relatedCredit: configuration.relatedSkillCredit))
    }

    /// One posting, ready to be scored for any worker; see ``MatchingIndex/evaluator(for:on:)``.
    public struct JobEvaluator: Sendable {
        let index: MatchingIndex
        let catalog: Catalog
        let slot: Int
        let job: Job
        let opening: Opening
        let date: String
        let rarities: [Double]
        let skills: PostingSkills

        /// The posting scored for the worker, with the eligibility decision.
        public func rank(_ query: WorkerQuery) -> RankedJob {
            rank(query, eligibility: index.rules.decide(query.candidate, for: opening, on: date))
        }

        /// The posting scored for the worker when they may take it and share a skill with it (the
        /// condition of ``MatchingIndex/rank(_:limit:on:)``), else nil — decided before scoring.
        public func match(_ query: WorkerQuery) -> RankedJob? {
            let eligibility = index.rules.decide(query.candidate, for: opening, on: date)
            guard eligibility.eligible else { return nil }
            let ranked = rank(query, eligibility: eligibility)
            return ranked.sharesSkill ? ranked : nil
        }

        /// The score alone, when the worker may take the posting and shares a skill with it (the
        /// condition of ``match(_:)``), else nil: what a listing ranks thousands of workers by before
        /// explaining the few it shows with ``rank(_:)``.
        public func score(_ query: WorkerQuery) -> Double? {
            guard index.rules.decide(query.candidate, for: opening, on: date).eligible else { return nil }
            // As PostingScorer.sharesSkill and score(_:) compute it, with the posting's skills prepared once.
            let share = skills.share(of: query.skills), weight = index.configuration.weights.skills
            guard weight > 0, share > 0 else { return nil }
            return share * weight + index.otherTerms(query, in: catalog, on: date, rarities: rarities).otherPoints(catalog.facts[slot])
        }

        private func rank(_ query: WorkerQuery, eligibility: EligibilityDecision) -> RankedJob {
            let (_, scorer) = index.scoring(query, in: catalog, on: date, rarities: rarities)
            let explanation = scorer.explain(slot)
            return RankedJob(jobID: job.id, score: explanation.reduce(0) { $0 + $1.points }, explanation: explanation, eligibility: eligibility)
        }
    }

    /// The best eligible postings for a worker on a day (`YYYY-MM-DD`).
    public func rank(_ query: WorkerQuery, limit: Int, on date: String) -> Ranking {
        let catalog = state.withLock { $0 }
        let (credit, scorer) = scoring(query, in: catalog, on: date)
        var seen = [UInt64](repeating: 0, count: (catalog.slotCount + 63) / 64)
        // Per kind of posting: 0 not yet decided, 1 eligible, 2 not; with the decision's hour limit (-1: none).
        var kindState = [UInt8](repeating: 0, count: catalog.kinds.count)
        var kindHourLimit = [Int32](repeating: -1, count: catalog.kinds.count)
        var kindChecksExpiry = [Bool](repeating: false, count: catalog.kinds.count)
        // Weekly hours of a posting of the kind that does not state them (-1: unknown), as OpeningKind.effectiveWeeklyHours.
        var kindDefaultHours = [Int32](repeating: -1, count: catalog.kinds.count)
        var prepared: [Int32: PreparedEligibility] = [:]
        var top = TopScores(capacity: limit)
        var considered = 0, eligible = 0
        let candidate = query.candidate
        let todayDay = scorer.today
        let expiryDay = candidate.residenceExpiresOn.flatMap(CompactTime.day) ?? Int32.max
        let bestRank = scorer.bestRank

        /// ``EligibilityRules/complete`` over the slot's numbers: the same checks, without strings.
        func passes(_ facts: PostingFacts, kind: Int) -> Bool {
            let limit = kindHourLimit[kind]
            if limit >= 0 {
                let hours = facts.hours >= 0 ? Int32(facts.hours) : kindDefaultHours[kind]
                guard hours >= 0, hours <= limit else { return false }
            }
            if kindChecksExpiry[kind], expiryDay < max(facts.startDay >= 0 ? facts.startDay : todayDay, todayDay) {
                return false
            }
            return facts.language < 0 || bestRank[Int(facts.language)] >= Int(facts.languageRank)
        }

        // Pruning (exact): once the top list is full, a posting is scored only when its bound — every
        // point but the skills' from its own record, plus the most its skills could give — can beat the
        // weakest entry. Lists are read rarest held skill first, so strong postings fill the list early.
        let skillWeight = configuration.weights.skills
        var shareBound = 1.0
        var pruned = 0

        func consider(_ slot: Int, kind: Int) {
            if kindState[kind] == 0 {
                let verdict = rules.prepare(candidate, for: catalog.kinds[kind], on: date)
                kindState[kind] = verdict.isEligible ? 1 : 2
                if verdict.isEligible {
                    kindHourLimit[kind] = Int32(verdict.hourLimit ?? -1)
                    kindChecksExpiry[kind] = verdict.checksExpiry
                    kindDefaultHours[kind] = Int32(catalog.kinds[kind].effectiveWeeklyHours(nil) ?? -1)
                    prepared[Int32(kind)] = verdict
                }
            }
            let (word, bit) = (slot >> 6, UInt64(1) << UInt64(slot & 63))
            guard seen[word] & bit == 0 else { return }
            seen[word] |= bit
            considered += 1
            guard kindState[kind] == 1 else { return }
            let facts = catalog.facts[slot]
            guard passes(facts, kind: kind) else { return }
            eligible += 1
            let other = scorer.otherPoints(facts)
            // The margin keeps a posting whose score could tie the threshold (ties go to the newer version).
            if top.isFull, other + shareBound * skillWeight + 1e-9 < top.threshold {
                pruned += 1
                return
            }
            top.offer(.init(score: scorer.score(facts, otherPoints: other), version: facts.version, slot: Int32(slot)))
        }

        // Held skills before related ones; within each, the shortest (rarest) list first. A posting met
        // first in a related skill's list holds none of the worker's skills (those lists came first),
        // so its share is at most the related credit.
        let order = credit.sorted { a, b in
            a.value != b.value ? a.value > b.value
                : catalog.postingsWithSkill[Int(a.key)].count != catalog.postingsWithSkill[Int(b.key)].count
                    ? catalog.postingsWithSkill[Int(a.key)].count < catalog.postingsWithSkill[Int(b.key)].count : a.key < b.key
        }
        // A whole list is skipped when even a posting with every other point could not enter the list.
        func cannotEnter(_ bound: Double) -> Bool {
            top.isFull && bound * skillWeight + scorer.maxOtherPoints + 1e-9 < top.threshold
        }
        // Within a list, newest first: once a posting's bound with the most location, salary and language
        // points is below the top list, every older posting's is too, and the rest of the list is skipped.
        let maxNonRecency = configuration.weights.location + configuration.weights.salary + configuration.weights.language
        for (skill, share) in order {
            shareBound = share
            if cannotEnter(share) { continue }
            let list = catalog.postingsWithSkill[Int(skill)]
            var position = list.count - 1
            var checkedDay = Int32.max
            while position >= 0 {
                let entry = list[position]
                position -= 1
                let day = ListEntry.day(entry)
                if day != checkedDay, top.isFull {
                    checkedDay = day
                    if share * skillWeight + maxNonRecency + scorer.recencyPoints(createdDay: day) + 1e-9 < top.threshold { break }
                }
                consider(ListEntry.slot(entry), kind: ListEntry.kind(entry))
            }
        }
        shareBound = 0.5
        if !cannotEnter(shareBound) {
            for slot in catalog.withoutSkills { consider(Int(slot), kind: Int(catalog.facts[Int(slot)].kind)) }
        }

        let matches = top.sorted.compactMap { entry -> RankedJob? in
            let slot = Int(entry.slot)
            guard let id = catalog.id(of: slot), let verdict = prepared[catalog.facts[slot].kind] else { return nil }
            let decision = rules.decision(verdict)
            let explanation = scorer.explain(slot)
            return RankedJob(jobID: id, score: explanation.reduce(0) { $0 + $1.points }, explanation: explanation, eligibility: decision)
        }
        return Ranking(considered: considered, eligible: eligible, scored: eligible - pruned, matches: matches)
    }
}
