public import Foundation
public import JobService
public import MatchingEngine
public import Sovereignty
public import UserService
public import Workforce
internal import Synchronization
internal import ServerKit

/// The workers of one cell who opted in to candidate discovery, by the jurisdiction their consent
/// names, with their matching queries, in memory.
///
/// An employer's candidate list (local or from abroad) reads this instead of opening every worker
/// record of the cell per request. It is built at start from the consents in force and kept current
/// by consent, profile and erasure writes. Members are filed under their skills and related skills,
/// so a job's list looks only at workers who could share one of its skills.
public final class CandidatePool: Sendable {
    /// One opted-in worker. A class, so that a listing of thousands hands out references instead of
    /// copying every record's strings.
    public final class Member: Sendable {
        public let worker: User
        public let query: WorkerQuery
        public let consentID: String

        init(worker: User, query: WorkerQuery, consentID: String) {
            self.worker = worker
            self.query = query
            self.consentID = consentID
        }
    }

    /// Members in slots, filed under skills by slot number: a listing unions sets of integers, not
    /// of identifiers whose every hash reads a string.
    private struct Pool {
        var slotOf: [RegionalID: Int] = [:]
        /// Each slot's member with the skills it is filed under.
        var slots: [(member: Member, skills: Set<String>)?] = []
        var freeSlots: [Int] = []
        var bySkill: [String: Set<Int>] = [:]
        var count: Int { slotOf.count }

        mutating func insert(_ member: Member, skills: Set<String>) {
            let slot = freeSlots.popLast() ?? { slots.append(nil); return slots.count - 1 }()
            slots[slot] = (member, skills)
            slotOf[member.worker.id] = slot
            for skill in skills { bySkill[skill, default: []].insert(slot) }
        }

        mutating func remove(_ person: RegionalID) {
            guard let slot = slotOf.removeValue(forKey: person), let skills = slots[slot]?.skills else { return }
            slots[slot] = nil
            freeSlots.append(slot)
            for skill in skills where bySkill[skill]?.remove(slot) != nil && bySkill[skill]?.isEmpty == true {
                bySkill[skill] = nil
            }
        }
    }

    let users: any UserStore
    let consents: ConsentStore
    let taxonomy: SkillTaxonomy
    let purpose: String
    /// The form of consent the cell's law requires: consents of another form do not put anyone in the pool.
    let acceptedKind: ConsentKind
    private let pools = Mutex<[String: Pool]>([:])

    public init(users: any UserStore, consents: ConsentStore, taxonomy: SkillTaxonomy, acceptedKind: ConsentKind,
                purpose: String = TransferPurposes.candidateDiscovery) {
        self.users = users
        self.consents = consents
        self.taxonomy = taxonomy
        self.acceptedKind = acceptedKind
        self.purpose = purpose
    }

    /// Fills the pool from the consents in force (at start).
    public func load() async throws {
        for consent in try await consents.active(purpose: purpose) {
            try await refresh(consent.userID)
        }
    }

    /// Reads the person's consents and record again after a write to either.
    public func refresh(_ person: RegionalID) async throws {
        let active = try await consents.list(for: person).filter { $0.purpose == purpose && $0.isActive && $0.kind == acceptedKind }
        let worker = active.isEmpty ? nil : try await users.find(person)
        pools.withLock { pools in
            for destination in Array(pools.keys) { pools[destination]!.remove(person) }
            guard let worker, worker.role == .worker, let profile = worker.profile else { return }
            let query = WorkerQuery(worker: worker, profile: profile)
            let skills = Set(profile.skills.map(taxonomy.canonical)).reduce(into: Set<String>()) { all, skill in
                all.insert(skill)
                all.formUnion(taxonomy.related(skill))
            }
            var newestPerDestination: [String: Consent] = [:]
            for consent in active where newestPerDestination[consent.destination].map({ $0.givenAt < consent.givenAt }) ?? true {
                newestPerDestination[consent.destination] = consent
            }
            // In place: a copy of a pool taken out and put back would copy all its members on
            // every write, which made loading n workers cost n² (minutes for 100,000).
            for (destination, consent) in newestPerDestination {
                pools[destination, default: Pool()].insert(Member(worker: worker, query: query, consentID: consent.id), skills: skills)
            }
        }
    }

    /// Forgets the person (erasure).
    public func remove(_ person: RegionalID) {
        pools.withLock { pools in
            for destination in Array(pools.keys) { pools[destination]!.remove(person) }
        }
    }

    /// Members whose consent names `destination` and who could share a skill with the job (every
    /// member when the job requires none).
    public func members(destination: String, for job: Job) -> [Member] {
        pools.withLock { pools in
            guard let pool = pools[destination] else { return [] }
            let required = job.content.requiredSkills.map(taxonomy.canonical)
            guard !required.isEmpty else { return pool.slots.compactMap { $0?.member } }
            var slots = Set<Int>()
            for skill in required {
                slots.formUnion(pool.bySkill[skill] ?? [])
                for related in taxonomy.related(skill) { slots.formUnion(pool.bySkill[related] ?? []) }
            }
            return slots.compactMap { pool.slots[$0]?.member }
        }
    }

    /// How many workers opted in for a destination (for tests and metrics).
    public func count(destination: String) -> Int { pools.withLock { $0[destination]?.count ?? 0 } }

    /// The `limit` members of ``members(destination:for:)`` the posting scores best for, best first
    /// (ties by worker id, so a listing is stable): every one is scored with the fast form, and only
    /// the few kept are for the caller to explain.
    public func best(destination: String, for job: Job, scoredBy evaluator: MatchingIndex.JobEvaluator, limit: Int) -> [Member] {
        let scored = members(destination: destination, for: job).compactMap { member in
            evaluator.score(member.query).map { (member: member, score: $0) }
        }
        return Self.best(scored, limit: limit)
    }

    /// The `limit` best scored, without sorting all of them.
    private static func best(_ scored: [(member: Member, score: Double)], limit: Int) -> [Member] {
        func before(_ a: (member: Member, score: Double), _ b: (member: Member, score: Double)) -> Bool {
            a.score != b.score ? a.score > b.score : a.member.worker.id.description < b.member.worker.id.description
        }
        var kept: [(member: Member, score: Double)] = []
        kept.reserveCapacity(limit + 1)
        for item in scored {
            guard kept.count < limit || before(item, kept[kept.count - 1]) else { continue }
            let at = kept.firstIndex { before(item, $0) } ?? kept.count
            kept.insert(item, at: at)
            if kept.count > limit { kept.removeLast() }
        }
        return kept.map(\.member)
    }
}
