public import Foundation
public import Gateway
public import Hummingbird
internal import JobService
public import Logging
public import MatchingEngine
public import ServerKit
public import Sovereignty
public import Storage
internal import UserService
internal import Identity
internal import AgentService
public import Transfers

/// One regional cell of the all-in-one process: its database and the services answering from it.
public struct Cell: Sendable {
    public let region: Region
    public let database: CellDatabase
    let users: SQLUserStore
    /// The cell's postings; every write also updates the matching index.
    let jobs: IndexingJobStore
    /// The open postings this cell matches workers against, in memory.
    public let matchingIndex: MatchingIndex
    /// Workers listening for new matches in this cell.
    public let matchNotifier: MatchNotifier
    let grants: GrantStore
    let consents: ConsentStore
    let applications: ApplicationStore
    /// The cell's tamper-evident log of consents and transfer decisions.
    public let audit: AuditLog

    /// Every migration a cell's database carries.
    static let migrations = SQLUserStore.migrations + SQLJobStore.migrations + GrantStore.migrations + AuditLog.migrations
        + ConsentStore.migrations + ApplicationStore.migrations

    /// Opens the cell's database and builds its matching index from the postings it holds.
    static func open(region: Region, path: String, auditHead: URL, matching: MatchingSetup, logger: Logger) async throws -> Cell {
        let database = try await CellDatabase.open(path: path, migrations: migrations, logger: logger)
        let index = MatchingIndex(rules: matching.rules, taxonomy: matching.taxonomy, configuration: matching.configuration)
        let postings = SQLJobStore(database: database)
        try await postings.rebuildSearchIndexIfNeeded()
        try await index.rebuild(from: postings)
        let notifier = MatchNotifier(index: index)
        return Cell(region: region, database: database, users: SQLUserStore(database: database),
                    jobs: IndexingJobStore(store: postings, index: index, notifier: notifier), matchingIndex: index, matchNotifier: notifier, grants: GrantStore(database: database),
                    consents: ConsentStore(database: database), applications: ApplicationStore(database: database),
                    audit: AuditLog(database: database, headFile: auditHead))
    }

    /// The cell's router: user-service, job-service and matching-engine over this cell's data.
    func handler(
        catalog: RegionCatalog, tokens: any AccessTokenMinting, passwords: any PasswordHashing, replicator: any JobReplicator,
        agent: AgentRoutes, policy: TransferPolicy, purposes: TransferPurposes, delivery: any ApplicationDelivery
    ) -> GatewayResponder.CellHandler {
        let identity = CellIdentity(region: region, catalog: catalog)
        let router = Router(context: AppRequestContext.self)
        UserRoutes(cell: identity, store: users, tokens: tokens, passwords: passwords).add(to: router)
        JobRoutes(cell: identity, store: jobs, replicator: replicator).add(to: router)
        MatchingRoutes(cell: identity, users: users, jobs: jobs, index: matchingIndex, notifier: matchNotifier).add(to: router)
        agent.add(to: router)
        TransferRoutes(cell: identity, policy: policy, purposes: purposes, users: users, jobs: jobs, consents: consents,
                       applications: applications, audit: audit, delivery: delivery).add(to: router)
        DataSubjectRoutes(cell: identity, users: users, consents: consents, applications: applications, audit: audit).add(to: router)
        let responder = router.buildResponder()
        return { request, context in try await responder.respond(to: request, context: context) }
    }

    /// Every method and path template the cell serves, for the API-document parity check.
    public static let endpoints: [(method: String, path: String)] =
        (UserRoutes.paths + JobRoutes.paths + MatchingRoutes.paths + AgentRoutes.paths + TransferRoutes.paths + DataSubjectRoutes.paths).map { ($0.method.rawValue, $0.path) }
}

/// Delivers applications to the job's cell in the same process.
struct InProcessApplicationDelivery: ApplicationDelivery {
    let intakes: [RegionID: ApplicationIntake]

    func deliver(_ application: Transfers.Application, to region: RegionID) async throws {
        guard let intake = intakes[region] else { throw PlatformError("no running cell \(region) to deliver to") }
        try await intake.receive(application)
    }
}

/// Replicates public postings from their origin cell to every other cell, in-process.
struct InProcessJobReplicator: JobReplicator {
    let stores: [RegionID: any JobStore]

    func replicate(_ job: Job) async throws {
        for (region, store) in stores where region != job.originRegion {
            try await store.upsert(job)
        }
    }
}
