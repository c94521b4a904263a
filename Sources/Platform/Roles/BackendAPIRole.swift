public import AsyncHTTPClient
public import Foundation
public import Hummingbird
public import Logging
public import MutualTLS
public import Observability
public import ServiceLifecycle
public import Sovereignty
internal import Storage
internal import AgentService
internal import Gateway
internal import HTTPTypes
internal import Identity
internal import JobService
internal import KeyManagement
internal import MatchingEngine
internal import NIOCore
internal import Peering
internal import ServerKit
internal import TokenVerification
internal import Transfers

/// The composition root of one region's backend-api in its own process (`iworkz serve --role
/// backend-api --region X`): the region's cell (users, jobs, the authorization server, transfers,
/// documents, candidate discovery) behind an internal listener the gateway calls over mTLS. The
/// region's matching engine and agent run apart (``MatchingEngineRole``, ``AIAgentRole``); the engine
/// follows this cell's catalog and reads its workers' profiles through ``MatchingFeedRoutes``.
///
/// It holds only its own region's people. Postings it writes reach the other regions' backend-api
/// through the cell's change sequence (``CatalogReplicator``, whatever is down when they are
/// written), applications are delivered to the job's region, and candidate cards are asked of the
/// other jurisdictions, each through the HTTP adapters of ``Peering``. It signs the tokens of the
/// people it registers with its own keys, and verifies any region's token against the union of every
/// region's published keys.
public final class BackendAPIRole: Sendable {
    public let identity: ServiceIdentity
    public let configuration: LoadedConfiguration
    public let cell: Cell
    public let metrics: HTTPMetrics
    /// The document lifecycle, the catalog's replication and erasure notices; run beside ``application(host:port:onServerRunning:)``.
    public let services: [any Service]
    let responder: RoleResponder
    let transport: InternalTransport
    let client: HTTPClient
    /// The region's object store (and its S3 client, when it is a bucket).
    let objectStores: ObjectStores
    let logger: Logger

    /// Opens (creating and migrating) the region's database and wires its services.
    ///
    /// - Parameters:
    ///   - peers: base URLs of the other regions' backend-api (from the topology file).
    ///   - issuerURL: the public URL every token names as its issuer (the gateway's), the same in every region.
    public static func start(
        config: LoadedConfiguration, region regionID: RegionID, dataDirectory: String, peers: [RegionID: [String]],
        transport: InternalTransport, issuerURL: String, bcryptCost: UInt8 = 12, objectStorage: ObjectStorageChoice = .folder,
        databases: DatabaseChoice = .sqlite, sessions: SessionStoreChoice = .database, logger: Logger, clock: @escaping @Sendable () -> Date = Date.init
    ) async throws(PlatformError) -> BackendAPIRole {
        let violations = config.compliance(on: Timestamps.day(clock())).violations()
        guard violations.isEmpty else {
            throw PlatformError("configuration is not lawful:\n  " + violations.joined(separator: "\n  "))
        }
        guard let region = config.catalog.region(regionID) else { throw PlatformError("region \(regionID) is not in regions.yaml") }
        try databases.check(regions: [regionID])
        try sessions.check(regions: [regionID])
        try objectStorage.checkResidency(of: [region], in: config.catalog)
        objectStorage.warnIfResidencyUnverified(of: [region], in: config.catalog, logger: logger)
        let identity = ServiceIdentity(region: regionID.rawValue, role: .backendAPI)
        let folder = try DataFolder(path: dataDirectory)
        let ring: SigningKeyRing
        do { ring = try SigningKeyRing(directory: folder.signingKeyDirectory) } catch {
            throw PlatformError("cannot open the signing keys in \(folder.signingKeyDirectory.path): \(error.localizedDescription)")
        }
        let client = try transport.client(as: identity)
        let objectStores = ObjectStores(objectStorage)
        let cell: Cell
        do {
            var cellLogger = logger
            cellLogger[metadataKey: "region"] = "\(regionID)"
            cell = try await Cell.open(region: region, folder: folder, configuration: config, databases: databases, sessions: sessions,
                                       objects: try await objectStores.store(for: regionID, folder: folder), jobEvents: nil, logger: cellLogger)
        } catch {
            try? await client.shutdown()
            await objectStores.close()
            if let error = error as? PlatformError { throw error }
            throw PlatformError("cannot open the cell database in \(folder.root.path): \(PostgresCellDatabase.describe(error))")
        }
        let revoked: RevokedSubjects
        do {
            revoked = RevokedSubjects(try await cell.dataKeys.destroyedSubjects() + RevocationStore(database: cell.database).all())
        } catch {
            await cell.close()
            try? await client.shutdown()
            await objectStores.close()
            throw PlatformError("cannot read the erased subjects: \(error)")
        }
        let notifier = cell.matchNotifier
        revoked.onRevoke { person in notifier.end(person: person) }
        let others = peers.filter { $0.key != regionID }
        let directory = PeerDirectory(endpoints: others, caller: identity, client: client)
        let remoteKeys = RemoteKeySet(sources: others.values.flatMap { $0 }.map { $0 + "/.well-known/jwks.json" }, client: client)
        let verifier = AccessTokenVerifier(issuer: issuerURL, revoked: revoked) {
            var keys = ring.jwks()["keys"] ?? []
            keys += await remoteKeys.keys()["keys"] ?? []
            return ["keys": keys]
        }
        let replicator = CatalogReplicator(origin: regionID, targets: Array(others.keys), postings: cell.postings,
                                           cursors: ReplicationCursors(database: cell.database), peers: directory, logger: logger)
        let notices = ErasureNotifier(database: cell.database, targets: Array(others.keys), peers: directory, logger: logger)
        let extractor = SkillExtractor(taxonomy: config.matching.taxonomy)
        let issuer = AccessTokenIssuer(ring: ring, issuer: issuerURL)
        let passwords = BcryptPasswords(cost: bcryptCost)
        let sources = Dictionary(uniqueKeysWithValues: others.keys.compactMap { config.catalog.region($0) }
            .filter { $0.jurisdiction != region.jurisdiction }
            .map { ($0.id, HTTPCandidateCardSource(peers: directory, region: $0.id) as any CandidateCardSource) })
        let handler = cell.handler(
            catalog: config.catalog, tokens: issuer, passwords: passwords,
            replicator: replicator,
            agent: nil, matching: false,
            policy: config.policy, purposes: config.transferPurposes, delivery: HTTPApplicationDelivery(peers: directory), notices: notices,
            candidateSources: sources, summarizer: Summarizer(extractor: extractor),
            languageModel: config.languageModel.map { OpenAICompatibleModel(settings: $0) as any LanguageModel },
            revoked: revoked, corporateNumbers: config.corporateNumbers)
        let clients: OAuthClientRegistry
        let decoy: String
        do {
            clients = try OAuthClientRegistry(yaml: config.oauthClientsYAML, secretsDirectory: folder.clientSecretsDirectory)
            decoy = try await passwords.hash(RandomToken.make(bytes: 16))
        } catch {
            await cell.close()
            try? await client.shutdown()
            await objectStores.close()
            throw PlatformError("oauth-clients.yaml: \(error)")
        }
        let oauthRouter = Router(context: AppRequestContext.self)
        OAuthServer(cells: [OAuthServer.Cell(region: region, users: cell.users, grants: cell.grants)], clients: clients, issuer: issuer,
                    passwords: passwords, decoyHash: decoy, signInRegions: config.catalog.regions).add(to: oauthRouter)
        let oauthResponder = oauthRouter.buildResponder()
        let service: RoleResponder.Handler = { request, context in
            if OAuthServer.paths.contains(request.uri.path) { return try await oauthResponder.respond(to: request, context: context) }
            return try await handler(request, context)
        }
        let peerRouter = Router(context: AppRequestContext.self)
        PeerRoutes(region: region, catalog: config.catalog, jobs: cell.jobs,
                   intake: ApplicationIntake(applications: cell.applications, audit: cell.audit),
                   discovery: cell.candidateDiscovery(catalog: config.catalog, policy: config.policy, purposes: config.transferPurposes),
                   revoked: revoked, revocations: RevocationStore(database: cell.database))
            .add(to: peerRouter)
        MatchingFeedRoutes(region: regionID, postings: cell.postings, profiles: StoredWorkerProfiles(users: cell.users)).add(to: peerRouter)
        let peerResponder = peerRouter.buildResponder()
        let metrics = HTTPMetrics()
        var responder = RoleResponder(
            identity: identity, region: regionID, verifier: verifier, service: service,
            peers: { request, context in try await peerResponder.respond(to: request, context: context) },
            probes: Self.probes(cell: cell, ring: ring), endpoints: EndpointTemplates(Cell.backendEndpoints + OAuthServer.endpoints + PeerRoutes.endpoints + MatchingFeedRoutes.endpoints), metrics: metrics,
            authenticatesCallers: transport.authenticatesCallers)
        responder.ownAuthorizationPaths = OAuthServer.paths
        return BackendAPIRole(identity: identity, configuration: config, cell: cell, metrics: metrics, services: [DocumentLifecycleService(cells: [cell], logger: logger), replicator, notices],
                              responder: responder, transport: transport, client: client, objectStores: objectStores, logger: logger)
    }

    private init(identity: ServiceIdentity, configuration: LoadedConfiguration, cell: Cell, metrics: HTTPMetrics, services: [any Service], responder: RoleResponder,
                 transport: InternalTransport, client: HTTPClient, objectStores: ObjectStores, logger: Logger) {
        self.objectStores = objectStores
        self.identity = identity
        self.configuration = configuration
        self.cell = cell
        self.metrics = metrics
        self.services = services
        self.responder = responder
        self.transport = transport
        self.client = client
        self.logger = logger
    }

    static func probes(cell: Cell, ring: SigningKeyRing) -> [String: RoleResponder.Handler] {
        [
            "/health": { _, _ in try Response.json(["status": "ok"]) },
            "/ready": { _, _ in
                let ready = await cell.isReady()
                var state = ["status": ready ? "ready" : "not-ready"]
                state["sessions"] = await cell.sessionStoreStatus()
                return try Response.json(state, status: ready ? .ok : .serviceUnavailable)
            },
            "/.well-known/jwks.json": { _, _ in try Response.json(ring.jwks(), headers: [.cacheControl: "public, max-age=300"]) },
        ]
    }

    /// The internal listener: mTLS (or plain with `--insecure-internal`), admitting the gateway and
    /// the peer roles ``PeerPolicy`` allows.
    public func application(host: String, port: Int, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        throws(PlatformError) -> some Service {
        try transport.listener(identity, responder: responder, host: host, port: port, logger: logger, onServerRunning: onServerRunning)
    }

    /// Closes the database and the client to the other regions.
    public func close() async {
        await cell.close()
        try? await client.shutdown()
        await objectStores.close()
    }
}
