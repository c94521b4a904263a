public import Foundation
public import Gateway
public import Hummingbird
internal import JobService
public import Logging
public import MatchingEngine
public import ServerKit
public import Sovereignty
public import Storage
public import UserService
internal import Identity
public import AgentService
public import Transfers
public import KeyManagement
internal import ObjectStorage
internal import Synchronization
internal import Peering
internal import RedisClient

/// One regional cell of the all-in-one process: its database and the services answering from it.
public struct Cell: Sendable {
    public let region: Region
    public let database: any RegionalDatabase
    /// The cell's key store: per-person data keys wrapped by the cell's key-encryption keys.
    public let keyStore: SQLiteCellDatabase
    /// Per-person data keys; destroying one is erasure by crypto-shredding.
    public let dataKeys: DataKeyVault
    /// The cell's people, each record sealed with their own data key.
    public let users: SQLUserStore
    /// Résumés and residence-card scans in the cell's object store, sealed per person.
    let documents: DocumentStore
    /// The cell's postings; every write also updates the matching index.
    let jobs: IndexingJobStore
    /// The same postings without the index: their change sequence is the replication outbox.
    let postings: SQLJobStore
    /// The open postings this cell matches workers against, in memory.
    public let matchingIndex: MatchingIndex
    /// Workers listening for new matches in this cell.
    public let matchNotifier: MatchNotifier
    /// Set once the cell listens to its job event channel; nil without an event bus (one process).
    let jobEventsListening: ReadyFlag?
    /// Sign-in sessions: in the database, or in the region's Redis (``sessionsRedis``).
    let grants: any GrantStore
    let sessionsRedis: RedisClient?
    /// The cell's people's consents to transfers and to candidate discovery.
    public let consents: ConsentStore
    let applications: ApplicationStore
    /// Card ids of workers shown abroad as pseudonymous candidates.
    let cards: CandidateCardStore
    /// The cell's tamper-evident log of consents and transfer decisions.
    public let audit: AuditLog
    /// Email changes waiting for the new address to confirm them.
    let emailChanges: EmailChangeStore
    /// Messages to people, waiting for a sender.
    public let outbox: FolderOutbox
    /// Workers who opted in to candidate discovery, in memory.
    public let candidatePool: CandidatePool

    /// Every migration a cell's database carries.
    static let migrations = SQLUserStore.migrations + SQLJobStore.migrations + SQLGrantStore.migrations + AuditLog.migrations
        + ConsentStore.migrations + ApplicationStore.migrations + CandidateCardStore.migrations + EmailChangeStore.migrations
        + ReplicationCursors.migrations + ErasureNotifier.migrations + RevocationStore.migrations + ErasureReplay.migrations

    /// Opens the cell's database, key store and object store, seals records written before sealing
    /// existed, and builds the matching index from the postings the cell holds.
    static func open(region: Region, folder: DataFolder, configuration: LoadedConfiguration, databases: DatabaseChoice = .sqlite,
                     sessions: SessionStoreChoice = .database, objects: any ObjectStore, jobEvents: (any JobEventBus)?,
                     logger: Logger) async throws -> Cell {
        let keysDirectory = folder.cellKeysDirectory(for: region.id)
        let keyStore = try await DataKeyVault.openStore(path: keysDirectory.appendingPathComponent("data-keys.sqlite").path, logger: logger)
        let database: any RegionalDatabase
        do {
            database = try await databases.open(region: region.id, folder: folder, migrations: migrations, logger: logger)
        } catch {
            try? await keyStore.close()
            throw error
        }
        var sessionsRedis: RedisClient?
        do {
            sessionsRedis = try sessions.client(for: region.id)
            return try await assemble(region: region, folder: folder, configuration: configuration, objects: objects, database: database,
                                      keyStore: keyStore, sessionsRedis: sessionsRedis, jobEvents: jobEvents, logger: logger)
        } catch {
            // Whatever failed (or was cancelled) after the databases opened, they are closed, never dropped open.
            await sessionsRedis?.close()
            try? await database.close()
            try? await keyStore.close()
            throw error
        }
    }

    /// The cell's stores and indexes over its opened databases.
    private static func assemble(
        region: Region, folder: DataFolder, configuration: LoadedConfiguration, objects: any ObjectStore, database: any RegionalDatabase,
        keyStore: SQLiteCellDatabase, sessionsRedis: RedisClient?, jobEvents: (any JobEventBus)?, logger: Logger
    ) async throws -> Cell {
        let matching = configuration.matching
        let keysDirectory = folder.cellKeysDirectory(for: region.id)
        let vault = DataKeyVault(database: keyStore, keys: try LocalKeyEncryptionKeys(directory: keysDirectory.appendingPathComponent("kek")))
        let cipher = PersonalDataCipher(vault: vault)
        let users = SQLUserStore(database: database, cipher: cipher,
                                 emails: try BlindIndex(keyFile: keysDirectory.appendingPathComponent("email-index.key")))
        let documents = DocumentStore(objects: objects,
                                      cipher: cipher, policy: configuration.documents)
        let grants: any GrantStore = sessionsRedis.map { RedisGrantStore(client: $0, prefix: "iworkz:\(region.id):grants:") }
            ?? SQLGrantStore(database: database)
        let consents = ConsentStore(database: database)
        let applications = ApplicationStore(database: database, cipher: cipher)
        let cards = CandidateCardStore(database: database)
        let emailChanges = EmailChangeStore(database: database, cipher: cipher)
        let outbox = try FolderOutbox(directory: folder.outboxDirectory(for: region.id))
        // Before anything reads a person: a restored database may hold people erased since its backup.
        try await ErasureReplay(database: database, vault: vault).apply(
            users: users, records: [documents, applications, consents, cards, grants, emailChanges, outbox], logger: logger)
        let sealed = try await users.sealPlaintextRows()
        if sealed > 0 { logger.notice("sealed records stored before per-person encryption", metadata: ["rows": "\(sealed)"]) }
        let index = MatchingIndex(rules: matching.rules, taxonomy: matching.taxonomy, configuration: matching.configuration)
        let postings = SQLJobStore(database: database)
        try await postings.rebuildSearchIndexIfNeeded()
        try await index.rebuild(from: postings)
        let notifier = MatchNotifier(index: index)
        let pool = CandidatePool(users: users, consents: consents, taxonomy: matching.taxonomy,
                                 acceptedKind: configuration.policy.consentKind(of: region.jurisdiction))
        try await pool.load()
        return Cell(region: region, database: database, keyStore: keyStore, dataKeys: vault, users: users, documents: documents,
                    jobs: IndexingJobStore(store: postings, index: index, notifier: notifier, bus: jobEvents), postings: postings, matchingIndex: index,
                    matchNotifier: notifier, jobEventsListening: jobEvents == nil ? nil : ReadyFlag(), grants: grants, sessionsRedis: sessionsRedis,
                    consents: consents, applications: applications, cards: cards,
                    audit: AuditLog(database: database, headFile: folder.auditHeadPath(for: region.id)),
                    emailChanges: emailChanges, outbox: outbox, candidatePool: pool)
    }

    /// The cell's router: user-service, job-service and, when they run in the same process
    /// (`agent` given, `matching` true), the matching engine and the agent, over this cell's data.
    func handler(
        catalog: RegionCatalog, tokens: any AccessTokenMinting, passwords: any PasswordHashing, replicator: any JobReplicator,
        agent: AgentRoutes?, matching: Bool = true, policy: TransferPolicy, purposes: TransferPurposes, delivery: any ApplicationDelivery, notices: any ErasureNotices,
        candidateSources: [RegionID: any CandidateCardSource], summarizer: Summarizer, languageModel: (any LanguageModel)?,
        revoked: RevokedSubjects, corporateNumbers: CorporateNumbers
    ) -> GatewayResponder.CellHandler {
        let identity = CellIdentity(region: region, catalog: catalog)
        let router = Router(context: AppRequestContext.self)
        UserRoutes(cell: identity, store: users, tokens: tokens, passwords: passwords, emailChanges: emailChanges, outbox: outbox,
                   corporateNumbers: corporateNumbers, recordChanged: { [candidatePool] person in try await candidatePool.refresh(person) }).add(to: router)
        DocumentRoutes(cell: identity, documents: documents).add(to: router)
        JobRoutes(cell: identity, store: jobs, replicator: replicator).add(to: router)
        if matching {
            MatchingRoutes(cell: identity, profiles: StoredWorkerProfiles(users: users), postings: jobs, index: matchingIndex,
                           notifier: matchNotifier).add(to: router)
        }
        agent?.add(to: router)
        SummaryRoutes(cell: identity, summarizer: summarizer, model: languageModel,
                      gate: ConsentedTransferGate(cell: identity, policy: policy, purposes: purposes, consents: consents, audit: audit)).add(to: router)
        TransferRoutes(cell: identity, policy: policy, purposes: purposes, users: users, jobs: jobs, consents: consents,
                       applications: applications, audit: audit, delivery: delivery, pool: candidatePool).add(to: router)
        DataSubjectRoutes(cell: identity, users: users, consents: consents, applications: applications, documents: documents,
                          cards: cards, otherRecords: [grants, emailChanges, outbox], notices: notices, audit: audit, revoked: revoked,
                          pool: candidatePool).add(to: router)
        CandidateRoutes(cell: identity, users: users, jobs: jobs, index: matchingIndex, pool: candidatePool, sources: candidateSources,
                        audit: audit).add(to: router)
        let responder = router.buildResponder()
        return { request, context in
            do {
                // The caller's own writes are read back from the primary while replicas may lag them.
                return try await DatabaseCaller.$current.withValue(context.principal?.userID.description) {
                    try await responder.respond(to: request, context: context)
                }
            } catch KeyManagementError.dataKeyDestroyed {
                // A request that raced the person's erasure: nothing may be made for them again.
                throw Problem("person-erased", status: .gone, title: "Person erased", detail: "the person this request is about was erased")
            }
        }
    }

    /// Every method and path template the cell serves, for the API-document parity check.
    public static let endpoints: [(method: String, path: String)] = backendEndpoints + matchingEndpoints + agentEndpoints

    /// What backend-api serves: everything but the matching engine's and the agent's routes.
    public static let backendEndpoints: [(method: String, path: String)] =
        (UserRoutes.paths + DocumentRoutes.paths + JobRoutes.paths + SummaryRoutes.paths + TransferRoutes.paths + DataSubjectRoutes.paths
            + CandidateRoutes.paths).map { ($0.method.rawValue, $0.path) }
    /// What the matching engine serves.
    public static let matchingEndpoints: [(method: String, path: String)] = MatchingRoutes.paths.map { ($0.method.rawValue, $0.path) }
    /// What the agent serves.
    public static let agentEndpoints: [(method: String, path: String)] = AgentRoutes.paths.map { ($0.method.rawValue, $0.path) }

    /// The endpoints of `endpoints` that answer without a bearer token.
    public static let anonymousEndpoints: [(method: String, path: String)] =
        (UserRoutes.anonymousPaths + JobRoutes.anonymousPaths + TransferRoutes.anonymousPaths).map { ($0.method.rawValue, $0.path) }
}

/// Delivers applications to the job's cell in the same process.
struct InProcessApplicationDelivery: ApplicationDelivery {
    let intakes: [RegionID: ApplicationIntake]

    func deliver(_ application: Transfers.Application, to region: RegionID) async throws {
        guard let intake = intakes[region] else { throw PlatformError("no running cell \(region) to deliver to") }
        try await intake.receiveOnce(application)
    }

}

/// Tells the cells of this process of an erasure: those that received the person's applications
/// delete them. Their tokens are refused in every cell already: the process shares one revocation list.
struct InProcessErasureNotices: ErasureNotices {
    let intakes: [RegionID: ApplicationIntake]

    func erased(_ person: RegionalID, recipients: [RegionID]) async throws -> [RegionID] {
        var told: [RegionID] = []
        for region in recipients {
            guard let intake = intakes[region] else { continue }
            try await intake.retract(worker: person)
            told.append(region)
        }
        return told
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

/// A condition that becomes true once (a subscription confirmed).
final class ReadyFlag: Sendable {
    private let state = Mutex(false)
    var isSet: Bool { state.withLock { $0 } }
    func set() { state.withLock { $0 = true } }
}

extension Cell {
    /// Whether the database answers with every migration applied and, with an event bus, the cell
    /// listens to its job events.
    public func isReady() async -> Bool {
        await database.isReady() && listensToJobEvents
    }

    /// The region's session store in Redis, when it has one: `reachable` or `unreachable`. Sign-ins
    /// need it (they fail with a 503 while it is away) but nothing else does, so it is reported
    /// and does not make the cell unready.
    public func sessionStoreStatus() async -> String? {
        guard let sessionsRedis else { return nil }
        return (try? await sessionsRedis.ping()) == true ? "reachable" : "unreachable"
    }

    /// Whether the cell hears job events (always, without an event bus).
    public var listensToJobEvents: Bool { jobEventsListening?.isSet ?? true }

    /// This cell's side of cross-border candidate discovery, asked by employers' cells abroad.
    func candidateDiscovery(catalog: RegionCatalog, policy: TransferPolicy, purposes: TransferPurposes) -> CandidateDiscovery {
        CandidateDiscovery(cell: CellIdentity(region: region, catalog: catalog), policy: policy, purposes: purposes, users: users,
                           consents: consents, cards: cards, index: matchingIndex, pool: candidatePool, audit: audit)
    }

    /// Closes the cell's database and key store.
    func close() async {
        await sessionsRedis?.close()
        try? await database.close()
        try? await keyStore.close()
    }
}
