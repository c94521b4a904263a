public import Foundation
public import JobService
public import MatchingEngine
public import ServerKit
public import Sovereignty
public import UserService

/// Where an employer's cell asks another jurisdiction's cell for candidate cards.
public protocol CandidateCardSource: Sendable {
    /// Cards of the cell's opted-in workers who may take the job, best first.
    func cards(for job: Job, requestedBy region: RegionID, limit: Int) async throws -> [CandidateCard]
}

/// A home cell's side of cross-border candidate discovery. Only workers whose consent to
/// `candidate-discovery` for the employer's jurisdiction is in force are considered (the cell's
/// ``CandidatePool``, so no worker record is opened per request); each card leaves
/// the cell only when ``TransferPolicy`` allows it on that consent, and every disclosure is audited.
public struct CandidateDiscovery: CandidateCardSource {
    let cell: CellIdentity
    let policy: TransferPolicy
    let purposes: TransferPurposes
    let users: any UserStore
    let consents: ConsentStore
    let cards: CandidateCardStore
    let index: MatchingIndex
    let pool: CandidatePool
    let audit: AuditLog
    let now: @Sendable () -> Date

    public init(cell: CellIdentity, policy: TransferPolicy, purposes: TransferPurposes, users: any UserStore, consents: ConsentStore,
                cards: CandidateCardStore, index: MatchingIndex, pool: CandidatePool, audit: AuditLog,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.pool = pool
        self.cell = cell
        self.policy = policy
        self.purposes = purposes
        self.users = users
        self.consents = consents
        self.cards = cards
        self.index = index
        self.audit = audit
        self.now = now
    }

    struct Disclosure: Encodable, Sendable {
        struct Card: Encodable, Sendable {
            let card: String
            let worker: String
            let consentID: String

            enum CodingKeys: String, CodingKey {
                case card, worker
                case consentID = "consent_id"
            }
        }

        let job: String
        let destination: String
        let rule: String
        let cards: [Card]
    }

    public func cards(for job: Job, requestedBy region: RegionID, limit: Int) async throws -> [CandidateCard] {
        guard let purpose = purposes.purposes[TransferPurposes.candidateDiscovery],
              let destination = cell.catalog.region(region)?.jurisdiction else { return [] }
        let source = cell.region.jurisdiction
        let date = Timestamps.day(now())
        // Every card is of a worker who consented to discovery for this destination. Cards are not counted
        // per employer, so a recipient restriction applies from the first card.
        let decision = policy.decide(.init(from: source, to: destination, dataClasses: [.personal], recipient: purpose.recipient,
                                           flow: purpose.flow, day: date, bases: [.consent], recipientID: job.employerID.description))
        guard decision.isAllowed else { return [] }
        // Cards (an id stored per worker and destination) are made only for the best.
        guard let evaluator = index.evaluator(for: job, on: date) else { return [] }
        var best: [(card: CandidateCard, worker: RegionalID, consent: String)] = []
        for member in pool.best(destination: destination.code, for: job, scoredBy: evaluator, limit: limit) {
            let worker = member.worker
            let match = evaluator.rank(member.query)
            let card = CandidateCard(
                cardID: try await cards.cardID(for: worker.id, destination: destination.code, regionCode: cell.region.idCode, now: now()),
                homeRegion: cell.region.id.rawValue, score: match.score,
                explanation: match.explanation.map(Self.withoutWhereabouts), eligibility: match.eligibility,
                profile: TransferRoutes.minimumData(of: worker, fields: purpose.minimumData))
            best.append((card, worker.id, member.consentID))
        }
        guard !best.isEmpty else { return [] }
        try await audit.append(event: "cards-disclosed", details: Disclosure(
            job: job.id.description, destination: destination.code, rule: decision.ruleID,
            cards: best.map { .init(card: $0.card.cardID, worker: $0.worker.description, consentID: $0.consent) }), at: now())
        return best.map(\.card)
    }

    /// A location term says how well the place fits, not where the worker lives.
    static func withoutWhereabouts(_ term: Contribution) -> Contribution {
        guard term.factor == "location" else { return term }
        return Contribution(factor: term.factor, term: nil, points: term.points, detail: "location fit")
    }
}
