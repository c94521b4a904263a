public import Foundation
public import Hummingbird
public import JobService
public import ServerKit
internal import Sovereignty
public import UserService
internal import Workforce

/// matching-engine: the best open jobs for the calling worker, in the worker's own cell, from the
/// cell's in-memory index. The worker's profile comes through the ``WorkerProfiles`` port and the
/// postings' text through ``PostingLookup``, so the same routes run inside the cell or apart from it.
public struct MatchingRoutes: Sendable {
    let cell: CellIdentity
    let profiles: any WorkerProfiles
    let postings: any PostingLookup
    let index: MatchingIndex
    let notifier: MatchNotifier?
    let heartbeatInterval: Duration
    let now: @Sendable () -> Date

    public init(cell: CellIdentity, profiles: any WorkerProfiles, postings: any PostingLookup, index: MatchingIndex,
                notifier: MatchNotifier? = nil, heartbeatInterval: Duration = .seconds(15), now: @escaping @Sendable () -> Date = Date.init) {
        self.cell = cell
        self.profiles = profiles
        self.postings = postings
        self.index = index
        self.notifier = notifier
        self.heartbeatInterval = heartbeatInterval
        self.now = now
    }

    public static let paths: [(method: HTTPRequest.Method, path: String)] = [
        (.get, "/api/v1/matching/jobs"), (.get, "/api/v1/matching/stream"),
    ]

    public func add(to router: Router<AppRequestContext>) {
        router.get("/api/v1/matching/jobs") { request, context in try await bestJobs(request, context) }
        router.get("/api/v1/matching/stream") { request, context in try await stream(request, context) }
    }

    /// A ranked posting as the API returns it.
    struct Match: Encodable {
        let job: Job
        let score: Double
        let explanation: [Contribution]
        let eligibility: EligibilityDecision
    }

    struct Matches: Encodable {
        let workerID: String
        let region: String
        let considered: Int
        let eligible: Int
        let matches: [Match]

        enum CodingKeys: String, CodingKey {
            case region, considered, eligible, matches
            case workerID = "worker_id"
        }
    }

    /// The calling worker's profile as a matching query, in their home cell.
    func workerQuery(_ context: AppRequestContext) async throws -> WorkerQuery {
        let principal = try context.requirePrincipal()
        guard principal.role == .worker else { throw Problem.forbidden("job matches are for workers") }
        try cell.requireHome(principal.userID)
        guard let query = try await profiles.query(for: principal.userID) else {
            throw Problem.notFound("no worker profile for the token's user")
        }
        return query
    }

    func bestJobs(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let query = try await workerQuery(context)
        let principal = try context.requirePrincipal()
        var limit = 10
        if let text = request.formQuery["limit"] {
            guard let value = Int(text), (1...100).contains(value) else {
                throw Problem.validationFailed([.init(pointer: "?limit", detail: "must be an integer from 1 to 100")])
            }
            limit = value
        }
        let ranking = index.rank(query, limit: limit, on: Timestamps.day(now()))
        var matches: [Match] = []
        for ranked in ranking.matches {
            // The index holds no text; the posting itself comes from the catalog.
            guard let job = try await postings.find(ranked.jobID) else { continue }
            matches.append(Match(job: job, score: ranked.score, explanation: ranked.explanation, eligibility: ranked.eligibility))
        }
        return try .json(Matches(workerID: principal.userID.description, region: cell.region.id.rawValue,
                                 considered: ranking.considered, eligible: ranking.eligible, matches: matches),
                         headers: [.cacheControl: "private, no-store"])
    }
}
