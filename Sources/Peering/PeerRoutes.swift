public import Hummingbird
public import JobService
public import ServerKit
public import Sovereignty
public import Transfers
internal import Foundation
internal import HTTPTypes
internal import MutualTLS

/// A backend-api's side of the cross-region ports: catalog replication, application delivery,
/// erasure notices and candidate cards, under `/internal/v1/`. The gateway never forwards these paths;
/// each also checks who calls, by the identity ``PeerIdentityGate`` read from the caller's certificate
/// (or, with internal TLS off, the identity the caller claims): only another region's backend-api,
/// and for each record only the region it comes from.
public struct PeerRoutes: Sendable {
    let region: Region
    let catalog: RegionCatalog
    let jobs: any JobStore
    let intake: ApplicationIntake
    let discovery: any CandidateCardSource
    let revoked: RevokedSubjects
    let revocations: RevocationStore

    public init(region: Region, catalog: RegionCatalog, jobs: any JobStore, intake: ApplicationIntake, discovery: any CandidateCardSource,
                revoked: RevokedSubjects, revocations: RevocationStore) {
        self.revoked = revoked
        self.revocations = revocations
        self.region = region
        self.catalog = catalog
        self.jobs = jobs
        self.intake = intake
        self.discovery = discovery
    }

    /// Every method and path template answered, for metric and span names.
    public static let endpoints: [(method: String, path: String)] = [
        ("PUT", "/internal/v1/catalog/jobs/{id}"), ("PUT", "/internal/v1/applications/{id}"), ("PUT", "/internal/v1/erasures/{person}"),
        ("POST", "/internal/v1/candidate-cards"),
    ]

    /// Every path below is under this prefix.
    public static let prefix = "/internal/v1/"
    static let cardsPath = "/internal/v1/candidate-cards"
    static func jobPath(_ id: RegionalID) -> String { "/internal/v1/catalog/jobs/\(id)" }
    static func applicationPath(_ id: RegionalID) -> String { "/internal/v1/applications/\(id)" }
    static func erasurePath(_ person: String) -> String { "/internal/v1/erasures/\(person)" }
    /// The largest internal body (a posting or an application with its applicant).
    static let bodyLimit = 1 << 20

    struct CardRequest: Codable, Sendable {
        let job: Job
        let limit: Int
    }

    public func add(to router: Router<AppRequestContext>) {
        router.put("/internal/v1/catalog/jobs/{id}") { request, context in try await replicate(request, context) }
        router.put("/internal/v1/applications/{id}") { request, context in try await receive(request, context) }
        router.put("/internal/v1/erasures/{person}") { request, context in try await erased(request, context) }
        router.post("/internal/v1/candidate-cards") { request, context in try await cards(request, context) }
    }

    /// The calling region's backend-api; 403 for any other caller.
    func caller(_ request: Request) throws -> Region {
        guard let claimed = request.headers[PeerIdentityGate.callerHeader], let identity = ServiceIdentity(description: claimed),
              identity.role == .backendAPI, let caller = catalog.region(RegionID(identity.region)), caller.id != region.id else {
            throw Problem.forbidden("only another region's backend-api may call \(request.uri.path)")
        }
        return caller
    }

    func id(_ context: AppRequestContext, _ name: String, kind: RegionalID.Kind) throws -> RegionalID {
        guard let text = context.parameters.get(name), let id = try? RegionalID.parse(text), id.kind == kind else {
            throw Problem.malformedID("\(name) is not a \(kind.rawValue) id")
        }
        return id
    }

    func replicate(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try caller(request)
        let job = try await StrictJSON.decode(Job.self, from: request, limit: Self.bodyLimit)
        guard job.id == (try id(context, "id", kind: .job)) else { throw Problem.invalidBody("the posting's id differs from the path's") }
        guard job.originRegion == caller.id else {
            throw Problem.forbidden("\(caller.id) may replicate only its own postings, not \(job.originRegion)'s")
        }
        try await jobs.upsert(job)
        return Response(status: .noContent)
    }

    func receive(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try caller(request)
        let application = try await StrictJSON.decode(Application.self, from: request, limit: Self.bodyLimit)
        guard application.id == (try id(context, "id", kind: .application)) else {
            throw Problem.invalidBody("the application's id differs from the path's")
        }
        guard application.direction == .received, application.counterpartRegion == caller.id,
              application.workerID.regionCode == caller.idCode else {
            throw Problem.forbidden("\(caller.id) may deliver only applications of its own workers")
        }
        guard let job = try await jobs.find(application.jobID), job.originRegion == region.id, job.employerID == application.employerID else {
            throw Problem.notFound("no posting \(application.jobID) of this region for the application")
        }
        try await intake.receiveOnce(application)
        return Response(status: .noContent)
    }

    /// A person erased in their home region: their applications here go, and their tokens are refused.
    func erased(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try caller(request)
        let person = try id(context, "person", kind: .user)
        guard person.regionCode == caller.idCode else { throw Problem.forbidden("\(caller.id) may report only its own people's erasure") }
        try await revocations.record(person.description)
        revoked.revoke(person.description)
        try await intake.retract(worker: person)
        return Response(status: .noContent)
    }

    func cards(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try caller(request)
        let asked = try await StrictJSON.decode(CardRequest.self, from: request, limit: Self.bodyLimit)
        guard asked.job.originRegion == caller.id else { throw Problem.forbidden("\(caller.id) may ask for cards only for its own postings") }
        guard (1...100).contains(asked.limit) else {
            throw Problem.validationFailed([Problem.FieldError(pointer: "/limit", detail: "must be between 1 and 100")])
        }
        return try .json(try await discovery.cards(for: asked.job, requestedBy: caller.id, limit: asked.limit))
    }
}
