public import Foundation
public import Hummingbird
public import JobService
public import MatchingEngine
public import ServerKit
public import Sovereignty
public import UserService
internal import Logging

/// The employer's side of two-sided matching: the best candidates for one of their jobs — workers of
/// the employer's own cell, plus pseudonymous cards from cells of other jurisdictions whose workers
/// opted in (computed and decided there; only the cards travel).
public struct CandidateRoutes: Sendable {
    let cell: CellIdentity
    let users: any UserStore
    let jobs: any JobStore
    let index: MatchingIndex
    /// The cell's workers who opted in to discovery, by the jurisdiction their consent names.
    let pool: CandidatePool
    /// Cells of other jurisdictions, asked for cards.
    let sources: [RegionID: any CandidateCardSource]
    let audit: AuditLog
    let now: @Sendable () -> Date

    public init(cell: CellIdentity, users: any UserStore, jobs: any JobStore, index: MatchingIndex, pool: CandidatePool,
                sources: [RegionID: any CandidateCardSource], audit: AuditLog, now: @escaping @Sendable () -> Date = Date.init) {
        self.pool = pool
        self.cell = cell
        self.users = users
        self.jobs = jobs
        self.index = index
        self.sources = sources
        self.audit = audit
        self.now = now
    }

    public static let paths: [(method: HTTPRequest.Method, path: String)] = [(.get, "/api/v1/jobs/{id}/candidates")]

    public func add(to router: Router<AppRequestContext>) {
        router.get("/api/v1/jobs/{id}/candidates") { request, context in try await candidates(request, context) }
    }

    /// A worker of the employer's own cell.
    struct LocalCandidate: Encodable {
        let workerID: String
        let displayName: String
        let score: Double
        let explanation: [Contribution]
        let eligibility: EligibilityDecision
        let profile: Applicant

        enum CodingKeys: String, CodingKey {
            case score, explanation, eligibility, profile
            case workerID = "worker_id"
            case displayName = "display_name"
        }
    }

    struct Candidates: Encodable {
        let jobID: String
        let local: [LocalCandidate]
        let cards: [CandidateCard]
        /// Cells that could not be asked (their cards are missing, not refused).
        let unavailable: [String]

        enum CodingKeys: String, CodingKey {
            case local, cards, unavailable
            case jobID = "job_id"
        }
    }

    /// Local workers shown to an employer, with the consent each was shown under.
    struct LocalDisclosure: Encodable, Sendable {
        struct Entry: Encodable, Sendable {
            let worker: String
            let consentID: String
            enum CodingKeys: String, CodingKey {
                case worker
                case consentID = "consent_id"
            }
        }
        let job: String
        let employer: String
        let workers: [Entry]
    }

    struct Receipt: Encodable, Sendable {
        let job: String
        let from: String
        let cards: [String]
    }

    func candidates(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let text = try context.parameters.require("id")
        guard let jobID = RegionalID(text), jobID.kind == .job else { throw Problem.malformedID("\(text.prefix(64)) is not a job id") }
        try cell.requireHome(jobID)
        guard let job = try await jobs.find(jobID) else { throw Problem.notFound("no job \(jobID)") }
        guard job.employerID == principal.userID else { throw Problem.forbidden("only the job's employer sees its candidates") }
        guard let employer = try await users.find(principal.userID), employer.verifiedAt != nil else {
            throw Problem("employer-not-verified", status: .forbidden, title: "Employer not verified",
                          detail: "candidates are shown only to employers whose company an operator has verified")
        }
        var limit = 20
        if let value = request.formQuery["limit"] {
            guard let number = Int(value), (1...100).contains(number) else {
                throw Problem.validationFailed([.init(pointer: "?limit", detail: "must be an integer from 1 to 100")])
            }
            limit = number
        }
        let date = Timestamps.day(now())
        // Workers of this cell who consented to be shown to employers of its own jurisdiction.
        // Only the few shown are explained and turned into what the employer sees; a posting the index
        // does not hold (yet) has no local candidates.
        let shown: [(candidate: LocalCandidate, consentID: String)] = index.evaluator(for: job, on: date).map { evaluator in
            pool.best(destination: cell.region.jurisdiction.code, for: job, scoredBy: evaluator, limit: limit).map { member in
                let ranked = evaluator.rank(member.query)
                return (candidate: LocalCandidate(
                    workerID: member.worker.id.description, displayName: member.worker.displayName, score: ranked.score,
                    explanation: ranked.explanation, eligibility: ranked.eligibility,
                    profile: TransferRoutes.minimumData(of: member.worker, fields: ["skills", "languages", "residence_status", "desired_salary", "location"])),
                        consentID: member.consentID)
            }
        } ?? []
        if !shown.isEmpty {
            try await audit.append(event: "candidates-disclosed", details: LocalDisclosure(
                job: job.id.description, employer: principal.userID.description,
                workers: shown.map { .init(worker: $0.candidate.workerID, consentID: $0.consentID) }), at: now())
        }
        let local = shown.map(\.candidate)
        var cards: [CandidateCard] = []
        var unavailable: [String] = []
        for (region, source) in sources.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            do {
                let received = try await source.cards(for: job, requestedBy: cell.region.id, limit: limit)
                guard !received.isEmpty else { continue }
                try await audit.append(event: "cards-received", details: Receipt(
                    job: job.id.description, from: region.rawValue, cards: received.map(\.cardID)), at: now())
                cards += received
            } catch {
                context.logger.warning("a cell could not be asked for candidate cards",
                                       metadata: ["target_region": "\(region)", "error_type": "\(type(of: error))"])
                unavailable.append(region.rawValue)
            }
        }
        cards.sort { $0.score > $1.score }
        return try .json(Candidates(jobID: job.id.description, local: local, cards: Array(cards.prefix(limit)),
                                    unavailable: unavailable), headers: [.cacheControl: "private, no-store"])
    }
}
