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
    /// Cells of other jurisdictions, asked for cards.
    let sources: [RegionID: any CandidateCardSource]
    let audit: AuditLog
    let now: @Sendable () -> Date

    public init(cell: CellIdentity, users: any UserStore, jobs: any JobStore, index: MatchingIndex,
                sources: [RegionID: any CandidateCardSource], audit: AuditLog, now: @escaping @Sendable () -> Date = Date.init) {
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
        var limit = 20
        if let value = request.uri.queryParameters["limit"] {
            guard let number = Int(String(value)), (1...100).contains(number) else {
                throw Problem.validationFailed([.init(pointer: "?limit", detail: "must be an integer from 1 to 100")])
            }
            limit = number
        }
        let date = Timestamps.day(now())
        var local: [LocalCandidate] = []
        for worker in try await users.workers() {
            guard let profile = worker.profile, let ranked = index.evaluate(job, for: WorkerQuery(worker: worker, profile: profile), on: date),
                  ranked.eligibility.eligible, ranked.sharesSkill else { continue }
            local.append(LocalCandidate(
                workerID: worker.id.description, displayName: worker.displayName, score: ranked.score, explanation: ranked.explanation,
                eligibility: ranked.eligibility,
                profile: TransferRoutes.minimumData(of: worker, fields: ["skills", "languages", "residence_status", "desired_salary", "location"])))
        }
        local.sort { $0.score > $1.score }
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
        return try .json(Candidates(jobID: job.id.description, local: Array(local.prefix(limit)), cards: Array(cards.prefix(limit)),
                                    unavailable: unavailable), headers: [.cacheControl: "private, no-store"])
    }
}
