internal import KeyManagement
internal import Storage
public import Foundation
public import Gateway
public import Hummingbird
internal import HummingbirdCore
internal import HummingbirdTLS
internal import JobService
public import Logging
public import Observability
public import ServerKit
public import Sovereignty
internal import RateLimiting
internal import ResponseCache
public import Identity
public import TokenVerification
internal import RedisClient
internal import UserService
internal import AgentService
internal import Transfers
public import ServiceLifecycle
internal import MatchingEngine

/// The all-in-one platform: one cell per configured region behind one gateway.
public final class Platform: Sendable {
    public let configuration: LoadedConfiguration
    public let cells: [Cell]
    /// Long-running services beside the HTTP server: job event listeners (with Redis) and the
    /// documents' lifecycle. Run them in the same service group as ``application(host:port:onServerRunning:)``.
    public let services: [any Service]
    public let dataFolder: DataFolder
    public let metrics: HTTPMetrics
    /// Signs access tokens; its ring publishes the JWKS the gateway verifies with.
    public let issuer: AccessTokenIssuer
    /// The gateway, ready to be served or called in-process.
    public let gateway: GatewayResponder
    /// Bounds the requests in progress (the gateway sheds the rest with 503).
    public let loadShedder: LoadShedder
    /// Carries public postings from their origin cell to every other cell.
    let replicator: any JobReplicator
    /// Caps open connections per client address.
    public let connectionLimiter: ConnectionLimiter
    let operations: OperationsRoutes
    /// Each cell's own handler, without the gateway in front (for benchmarks and diagnostics).
    public let cellHandlers: [RegionID: GatewayResponder.CellHandler]
    let logger: Logger
    /// The cells' object stores (and the S3 client, when they are buckets).
    let objectStores: ObjectStores

    /// Opens (creating and migrating) every cell's database and wires the services.
    ///
    /// Refuses to start when the configuration breaks a transfer or residency rule.
    public static func start(
        config: LoadedConfiguration, dataDirectory: String, openAPI: String, redisURL: String? = nil,
        issuerURL: String = "http://127.0.0.1:8000", bcryptCost: UInt8 = 12, logger: Logger,
        clock: @escaping @Sendable () -> Date = Date.init, redisNamespace: String = "iworkz", objectStorage: ObjectStorageChoice = .folder,
        databases: DatabaseChoice = .sqlite, sessions: SessionStoreChoice = .database
    ) async throws -> Platform {
        let violations = config.compliance(on: Timestamps.day(clock())).violations()
        guard violations.isEmpty else {
            throw PlatformError("configuration is not lawful:\n  " + violations.joined(separator: "\n  "))
        }
        if case .s3(let location) = objectStorage, !location.isPerRegion, config.catalog.regions.count > 1 {
            throw PlatformError("s3://\(location.bucketTemplate) would hold every region's documents in one bucket: name each region's with {region}")
        }
        try databases.check(regions: config.catalog.regions.map(\.id))
        try sessions.check(regions: config.catalog.regions.map(\.id))
        try objectStorage.checkResidency(of: config.catalog.regions, in: config.catalog)
        objectStorage.warnIfResidencyUnverified(of: config.catalog.regions, in: config.catalog, logger: logger)
        let folder = try DataFolder(path: dataDirectory)
        let ring: SigningKeyRing
        do {
            ring = try SigningKeyRing(directory: folder.signingKeyDirectory)
        } catch {
            throw PlatformError("cannot open the signing keys in \(folder.signingKeyDirectory.path): \(error.localizedDescription)")
        }
        let issuer = AccessTokenIssuer(ring: ring, issuer: issuerURL)
        let passwords = BcryptPasswords(cost: bcryptCost)
        let clients: OAuthClientRegistry
        do {
            clients = try OAuthClientRegistry(yaml: config.oauthClientsYAML, secretsDirectory: folder.clientSecretsDirectory)
        } catch {
            throw PlatformError("oauth-clients.yaml: \(error)")
        }
        var eventClient: RedisClient?
        if let redisURL {
            do { eventClient = RedisClient(configuration: try RedisConfiguration(url: redisURL)) } catch { throw PlatformError(error.description) }
        }
        var cells: [Cell] = []
        var services: [any Service] = []
        let objectStores = ObjectStores(objectStorage)
        do {
            for region in config.catalog.regions {
                var cellLogger = logger
                cellLogger[metadataKey: "region"] = "\(region.id)"
                let channel = "\(redisNamespace):jobs:\(region.id)"
                let bus = eventClient.map { RedisJobEventBus(client: $0, channel: channel) }
                let cell = try await Cell.open(region: region, folder: folder, configuration: config, databases: databases, sessions: sessions,
                                               objects: try await objectStores.store(for: region.id, folder: folder), jobEvents: bus, logger: cellLogger)
                cells.append(cell)
                if let eventClient, let flag = cell.jobEventsListening {
                    services.append(RedisJobEventListener(client: eventClient, channel: channel, jobs: cell.jobs, logger: cellLogger,
                                                          ready: { flag.set() }))
                }
            }
        } catch {
            for cell in cells { await cell.close() }
            await objectStores.close()
            if let error = error as? PlatformError { throw error }
            throw PlatformError("cannot open cell databases in \(folder.root.path): \(PostgresCellDatabase.describe(error))")
        }
        var erased: [String] = []
        for cell in cells { erased += try await cell.dataKeys.destroyedSubjects() }
        let revoked = RevokedSubjects(erased)
        let notifiers = cells.map(\.matchNotifier)
        revoked.onRevoke { person in for notifier in notifiers { notifier.end(person: person) } }
        let verifier = AccessTokenVerifier(issuer: issuerURL, revoked: revoked) { ring.jwks() }
        let proxies: TrustedProxies
        do { proxies = try TrustedProxies(config.limits.trustedProxies) } catch { throw PlatformError(error.message) }
        let metrics = HTTPMetrics()
        let shedder = LoadShedder(limit: config.limits.maxInFlightRequests)
        let rateLimitStore = try rateLimitStore(for: config.rateLimits, redisURL: redisURL, logger: logger)
        let replicator = InProcessJobReplicator(stores: Dictionary(uniqueKeysWithValues: cells.map { ($0.region.id, $0.jobs as any JobStore) }))
        let extractor = SkillExtractor(taxonomy: config.matching.taxonomy)
        let agent = AgentRoutes(extractor: extractor, reviewer: JobAdReviewer(rules: config.jobAdRules))
        let languageModel = config.languageModel.map { OpenAICompatibleModel(settings: $0) as any LanguageModel }
        let intakes = Dictionary(uniqueKeysWithValues: cells.map { ($0.region.id, ApplicationIntake(applications: $0.applications, audit: $0.audit)) })
        let delivery = InProcessApplicationDelivery(intakes: intakes)
        let notices = InProcessErasureNotices(intakes: intakes)
        let discoveries = cells.map { ($0.region, $0.candidateDiscovery(catalog: config.catalog, policy: config.policy, purposes: config.transferPurposes)) }
        let handlers = Dictionary(uniqueKeysWithValues: cells.map { cell in
            // Employers see cards from every other jurisdiction's cells; same-jurisdiction cells share people.
            let sources = Dictionary(uniqueKeysWithValues: discoveries.filter { $0.0.jurisdiction != cell.region.jurisdiction }
                .map { ($0.0.id, $0.1 as any CandidateCardSource) })
            return (cell.region.id, cell.handler(catalog: config.catalog, tokens: issuer, passwords: passwords, replicator: replicator, agent: agent,
                                                 policy: config.policy, purposes: config.transferPurposes, delivery: delivery, notices: notices,
                                                 candidateSources: sources, summarizer: Summarizer(extractor: extractor),
                                                 languageModel: languageModel, revoked: revoked,
                                                 corporateNumbers: config.corporateNumbers))
        })
        let oauth = OAuthServer(
            cells: cells.map { OAuthServer.Cell(region: $0.region, users: $0.users, grants: $0.grants) },
            clients: clients, issuer: issuer, passwords: passwords,
            decoyHash: try await passwords.hash(RandomToken.make(bytes: 16)))
        let operations = OperationsRoutes(cells: cells, metrics: metrics, openAPI: openAPI, ring: ring, issuer: issuerURL, oauth: oauth,
                                          legalData: config.legalDataRevisions, clock: clock)
        let gateway = GatewayResponder(
            routes: config.routes, resolver: RegionResolver(catalog: config.catalog), cells: handlers.mapValues { InProcessUpstream($0) },
            local: operations.handler(), localPaths: OperationsRoutes.paths.union(OAuthServer.paths), tokens: verifier, metrics: metrics,
            endpoints: EndpointTemplates(Cell.endpoints + Self.localEndpoints, anonymous: Cell.anonymousEndpoints + Self.localEndpoints),
            rateLimits: RateLimitGate(configuration: config.rateLimits, store: rateLimitStore, metrics: metrics),
            firewall: config.firewall, shedder: shedder,
            cache: ResponseCacheGate(store: try responseCacheStore(redisURL: redisURL), metrics: metrics, now: clock),
            proxies: proxies)
        services.append(DocumentLifecycleService(cells: cells, logger: logger))
        return Platform(configuration: config, cells: cells, services: services, dataFolder: folder, metrics: metrics, issuer: issuer, cellHandlers: handlers, replicator: replicator, loadShedder: shedder,
                        gateway: gateway, connectionLimiter: ConnectionLimiter(maxPerAddress: config.limits.maxConnectionsPerAddress, exempt: proxies),
                        operations: operations, objectStores: objectStores, logger: logger)
    }

    /// Redis when a URL is configured (shared by every replica, invalidated everywhere), else a 64 MiB LRU.
    static func responseCacheStore(redisURL: String?) throws -> any ResponseCacheStore {
        guard let redisURL else { return MemoryCacheStore() }
        do { return RedisCacheStore(client: RedisClient(configuration: try RedisConfiguration(url: redisURL))) } catch {
            throw PlatformError(error.description)
        }
    }

    /// In-memory limits, or Redis shared by every replica with the configured failure mode.
    static func rateLimitStore(
        for configuration: RateLimitConfiguration, redisURL: String?, logger: Logger
    ) throws -> any RateLimitStore {
        let local = InMemoryRateLimitStore()
        guard configuration.store == .redis else { return local }
        guard let redisURL else {
            throw PlatformError("rate-limits.yaml says store: redis; set IWORKZ_REDIS_URL or --redis-url")
        }
        let redis: RedisConfiguration
        do { redis = try RedisConfiguration(url: redisURL) } catch { throw PlatformError(error.description) }
        return FallbackRateLimitStore(
            primary: RedisRateLimitStore(client: RedisClient(configuration: redis)), fallback: local,
            mode: configuration.onStoreFailure, logger: logger)
    }

    private init(configuration: LoadedConfiguration, cells: [Cell], services: [any Service], dataFolder: DataFolder, metrics: HTTPMetrics,
                 issuer: AccessTokenIssuer, cellHandlers: [RegionID: GatewayResponder.CellHandler], replicator: any JobReplicator, loadShedder: LoadShedder, gateway: GatewayResponder,
                 connectionLimiter: ConnectionLimiter, operations: OperationsRoutes, objectStores: ObjectStores, logger: Logger) {
        self.objectStores = objectStores
        self.connectionLimiter = connectionLimiter
        self.operations = operations
        self.services = services
        self.replicator = replicator
        self.loadShedder = loadShedder
        self.cellHandlers = cellHandlers
        self.configuration = configuration
        self.cells = cells
        self.dataFolder = dataFolder
        self.metrics = metrics
        self.issuer = issuer
        self.gateway = gateway
        self.logger = logger
    }

    /// The HTTP server for this platform.
    public func application(
        host: String, port: Int, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> Hummingbird.Application<GatewayResponder> {
        Hummingbird.Application(
            responder: gateway, server: httpServer(),
            configuration: .init(address: .hostname(host, port: port), serverName: "iworkz"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// The HTTPS server for this platform: TLS 1.3 with `tls`'s certificate, every response telling
    /// browsers to use HTTPS only (HSTS).
    public func secureApplication(
        host: String, port: Int, tls: EdgeTLS, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> Hummingbird.Application<StrictTransportSecurity<GatewayResponder>> {
        Hummingbird.Application(
            responder: StrictTransportSecurity(base: gateway), server: try .tls(httpServer(), tlsConfiguration: tls.configuration),
            configuration: .init(address: .hostname(host, port: port), serverName: "iworkz"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    private func httpServer() -> HTTPServerBuilder {
        EdgeServer(limits: configuration.limits, limiter: connectionLimiter, metrics: metrics).builder()
    }

    /// The operations listener (`--ops-port`): `/health`, `/ready` and `/metrics` for load balancers
    /// and Prometheus, on an address only the operators' network reaches.
    public func operationsApplication(
        host: String, port: Int, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Hummingbird.Application(
            router: operations.operationsRouter(),
            configuration: .init(address: .hostname(host, port: port), serverName: "iworkz-ops"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// Every method and path the process answers itself (operations and the OAuth2 server).
    public static var localEndpoints: [(method: String, path: String)] {
        OperationsRoutes.paths.sorted().map { ("GET", $0) } + OAuthServer.endpoints
    }

    /// The cell of a region.
    public func cell(_ region: RegionID) -> Cell? {
        cells.first { $0.region.id == region }
    }

    /// Closes every cell's database and the object stores' client.
    public func close() async {
        for cell in cells { await cell.close() }
        await objectStores.close()
    }
}
