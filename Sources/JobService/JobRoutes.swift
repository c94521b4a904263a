public import Foundation
public import Hummingbird
public import ServerKit
internal import Sovereignty
internal import Logging
internal import Workforce

/// job-service: employers post, update and close jobs in their home cell; anyone lists the catalog.
public struct JobRoutes: Sendable {
    let cell: CellIdentity
    let store: any JobStore
    let replicator: any JobReplicator
    let now: @Sendable () -> Date

    public init(cell: CellIdentity, store: any JobStore, replicator: any JobReplicator,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.cell = cell
        self.store = store
        self.replicator = replicator
        self.now = now
    }

    public static let paths: [(method: HTTPRequest.Method, path: String)] = [
        (.post, "/api/v1/jobs"), (.get, "/api/v1/jobs"), (.get, "/api/v1/jobs/{id}"),
        (.patch, "/api/v1/jobs/{id}"), (.post, "/api/v1/jobs/{id}/close"),
    ]

    /// The endpoints above that answer without a bearer token: public postings.
    public static let anonymousPaths: [(method: HTTPRequest.Method, path: String)] = [(.get, "/api/v1/jobs"), (.get, "/api/v1/jobs/{id}")]

    public func add(to router: Router<AppRequestContext>) {
        router.post("/api/v1/jobs") { request, context in try await create(request, context) }
        router.get("/api/v1/jobs") { request, _ in try await list(request) }
        router.get("/api/v1/jobs/{id}") { _, context in
            try Response.json(try await existing(context), headers: [.cacheControl: Self.publicCaching])
        }
        router.patch("/api/v1/jobs/{id}") { request, context in try await update(request, context) }
        router.post("/api/v1/jobs/{id}/close") { _, context in try await close(context) }
    }

    struct JobList: Encodable {
        let jobs: [Job]
        let nextCursor: String?

        enum CodingKeys: String, CodingKey {
            case jobs
            case nextCursor = "next_cursor"
        }
    }

    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let employer = try requireEmployer(context)
        try cell.requireHome(employer.userID)
        var content = try await StrictJSON.decode(JobContent.self, from: request)
        let errors = content.validate()
        guard errors.isEmpty else { throw Problem.validationFailed(errors.problems) }
        content.requiredSkills = Skills.normalise(content.requiredSkills)
        let timestamp = Timestamps.format(now())
        let job = Job(
            id: RegionalID.generate(kind: .job, regionCode: cell.region.idCode, millisecondsSince1970: Timestamps.milliseconds(now())),
            employerID: employer.userID, originRegion: cell.region.id, status: .open, content: content,
            createdAt: timestamp, updatedAt: timestamp)
        try await store.upsert(job)
        try await replicator.replicate(job)
        context.logger.info("job posted", metadata: ["job_id": "\(job.id)"])
        return try .json(job, status: .created, headers: [.location: "/api/v1/jobs/\(job.id)"])
    }

    func list(_ request: Request) async throws -> Response {
        var query = JobQuery()
        let parameters = request.formQuery
        var errors = FieldErrors()
        for key in Set(parameters.names) where !Self.queryKeys.contains(key) {
            errors.add("?\(key)", "unknown query parameter; one of \(Self.queryKeys.sorted().joined(separator: ", "))")
        }
        if let status = parameters["status"] {
            if status == "any" { query.status = nil } else if let value = Job.Status(rawValue: status) { query.status = value }
            else { errors.add("?status", "must be open, closed or any") }
        }
        query.skill = parameters["skill"].map { Skills.normalise($0) }
        query.country = parameters["country"].map { $0.uppercased() }
        query.prefecture = parameters["prefecture"]
        query.text = parameters["q"]
        if let type = parameters["employment_type"] {
            query.employmentType = EmploymentType(rawValue: type)
            errors.check(query.employmentType != nil, "?employment_type", "must be one of \(EmploymentType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let origin = parameters["origin_region"] {
            query.originRegion = RegionID(origin)
            errors.check(cell.catalog.region(RegionID(origin)) != nil, "?origin_region", "is not a configured region")
        }
        if let limit = parameters["limit"] {
            let value = Int(limit) ?? 0
            errors.check((1...200).contains(value), "?limit", "must be an integer from 1 to 200")
            query.limit = value
        }
        if let cursor = parameters["cursor"] {
            query.cursor = JobCursor(cursor)
            errors.check(query.cursor != nil, "?cursor", "must be the next_cursor of an earlier page")
        }
        guard errors.isEmpty else { throw Problem.validationFailed(errors.problems) }
        let page = try await store.list(query)
        return try .json(JobList(jobs: page.jobs, nextCursor: page.next?.description), headers: [.cacheControl: Self.publicCaching])
    }

    /// Public postings: shared caches may keep them 30 s (writes invalidate the gateway's cache at once) and stand in with them for 5 minutes while a cell fails.
    static let publicCaching = "public, max-age=30, stale-if-error=300"

    static let queryKeys: Set<String> = ["status", "skill", "country", "prefecture", "q", "employment_type", "origin_region", "limit", "cursor"]

    func update(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var job = try await owned(context)
        guard job.status == .open else { throw Problem.conflict("job-closed", "a closed job cannot be edited") }
        var content = try await StrictJSON.decode(JobContent.self, from: request)
        let errors = content.validate()
        guard errors.isEmpty else { throw Problem.validationFailed(errors.problems) }
        content.requiredSkills = Skills.normalise(content.requiredSkills)
        job.content = content
        return try await save(&job)
    }

    func close(_ context: AppRequestContext) async throws -> Response {
        var job = try await owned(context)
        guard job.status == .open else { return try .json(job) }
        job.status = .closed
        return try await save(&job)
    }

    private func save(_ job: inout Job) async throws -> Response {
        job.updatedAt = Timestamps.format(now())
        try await store.upsert(job)
        try await replicator.replicate(job)
        return try .json(job)
    }

    private func existing(_ context: AppRequestContext) async throws -> Job {
        let text = try context.parameters.require("id")
        let id: RegionalID
        do { id = try RegionalID.parse(text, kind: .job) } catch { throw Problem.malformedID(error.message) }
        guard let job = try await store.find(id) else { throw Problem.notFound("no job \(id)") }
        return job
    }

    /// A posting the caller owns, in its origin cell (edits never happen on a replica).
    private func owned(_ context: AppRequestContext) async throws -> Job {
        let employer = try requireEmployer(context)
        let text = try context.parameters.require("id")
        let id: RegionalID
        do { id = try RegionalID.parse(text, kind: .job) } catch { throw Problem.malformedID(error.message) }
        try cell.requireHome(id)
        guard let job = try await store.find(id) else { throw Problem.notFound("no job \(id)") }
        guard job.employerID == employer.userID else { throw Problem.forbidden("only the employer who posted a job may change it") }
        return job
    }

    private func requireEmployer(_ context: AppRequestContext) throws -> Principal {
        let principal = try context.requirePrincipal()
        guard principal.role == .employer else { throw Problem.forbidden("only employers post and edit jobs") }
        return principal
    }
}
