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
    public struct Member: Sendable {
        public let worker: User
        public let query: WorkerQuery
        public let consentID: String
    }

    private struct Pool {
        var members: [RegionalID: Member] = [:]
        var bySkill: [String: Set<RegionalID>] = [:]
    }

    let users: any UserStore
    let consents: ConsentStore
    let taxonomy: SkillTaxonomy
    let purpose: String
    private let pools = Mutex<[String: Pool]>([:])

    public init(users: any UserStore, consents: ConsentStore, taxonomy: SkillTaxonomy, purpose: String = TransferPurposes.candidateDiscovery) {
        self.users = users
        self.consents = consents
        self.taxonomy = taxonomy
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
        let active = try await consents.list(for: person).filter { $0.purpose == purpose && $0.isActive }
        let worker = active.isEmpty ? nil : try await users.find(person)
        pools.withLock { pools in
            for destination in Array(pools.keys) { Self.remove(person, from: &pools[destination]!) }
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
                pools[destination, default: Pool()].members[person] = Member(worker: worker, query: query, consentID: consent.id)
                for skill in skills { pools[destination, default: Pool()].bySkill[skill, default: []].insert(person) }
            }
        }
    }

    /// Forgets the person (erasure).
    public func remove(_ person: RegionalID) {
        pools.withLock { pools in
            for destination in Array(pools.keys) { Self.remove(person, from: &pools[destination]!) }
        }
    }

    private static func remove(_ person: RegionalID, from pool: inout Pool) {
        guard pool.members.removeValue(forKey: person) != nil else { return }
        // Iterating over a copy of the keys while removing entries; each set is changed in place.
        for skill in Array(pool.bySkill.keys) where pool.bySkill[skill]?.remove(person) != nil && pool.bySkill[skill]?.isEmpty == true {
            pool.bySkill[skill] = nil
        }
    }

    /// Members whose consent names `destination` and who could share a skill with the job (every
    /// member when the job requires none).
    public func members(destination: String, for job: Job) -> [Member] {
        pools.withLock { pools in
            guard let pool = pools[destination] else { return [] }
            let required = job.content.requiredSkills.map(taxonomy.canonical)
            guard !required.isEmpty else { return Array(pool.members.values) }
            var ids = Set<RegionalID>()
            for skill in required {
                ids.formUnion(pool.bySkill[skill] ?? [])
                for related in taxonomy.related(skill) { ids.formUnion(pool.bySkill[related] ?? []) }
            }
            return ids.compactMap { pool.members[$0] }
        }
    }

    /// How many workers opted in for a destination (for tests and metrics).
    public func count(destination: String) -> Int { pools.withLock { $0[destination]?.members.count ?? 0 } }
}
