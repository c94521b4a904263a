public import Foundation
public import Hummingbird
public import JobService
public import ServerKit
internal import Sovereignty
public import UserService
internal import Workforce

/// matching-engine: the best open jobs for the calling worker, in the worker's own cell.
public struct MatchingRoutes: Sendable {
    let cell: CellIdentity
    let users: any UserStore
    let jobs: any JobStore
    let scorer: MatchScorer
    let now: @Sendable () -> Date

    public init(cell: CellIdentity, users: any UserStore, jobs: any JobStore, scorer: MatchScorer = .init(),
                now: @escaping @Sendable () -> Date = Date.init) {
        self.cell = cell
        self.users = users
        self.jobs = jobs
        self.scorer = scorer
        self.now = now
    }

    public static let paths: [(method: HTTPRequest.Method, path: String)] = [(.get, "/api/v1/matching/jobs")]

    public func add(to router: Router<AppRequestContext>) {
        router.get("/api/v1/matching/jobs") { request, context in try await bestJobs(request, context) }
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

    func bestJobs(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard principal.role == .worker else { throw Problem.forbidden("job matches are for workers") }
        try cell.requireHome(principal.userID)
        var limit = 10
        if let text = request.uri.queryParameters["limit"] {
            guard let value = Int(String(text)), (1...100).contains(value) else {
                throw Problem.validationFailed([.init(pointer: "?limit", detail: "must be an integer from 1 to 100")])
            }
            limit = value
        }
        guard let worker = try await users.find(principal.userID), let profile = worker.profile else {
            throw Problem.notFound("no worker profile for the token's user")
        }
        var query = JobQuery()
        query.limit = 1000
        let catalog = try await jobs.list(query)
        let today = Timestamps.day(now())
        let eligible = catalog.filter { scorer.ineligibility(of: $0, for: profile, today: today) == nil }
        let ranked = eligible.map { scorer.score($0, for: profile) }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.job.id.uuid > $1.job.id.uuid }
        return try .json(Matches(workerID: principal.userID.description, region: cell.region.id.rawValue,
                                 considered: catalog.count, eligible: eligible.count, matches: Array(ranked.prefix(limit))),
                         headers: [.cacheControl: "private, no-store"])
    }
}
