public import AsyncHTTPClient
public import Logging
public import MutualTLS
public import Observability
public import ServiceLifecycle
public import Sovereignty
public import Foundation
internal import Gateway
internal import Hummingbird
internal import MatchingEngine
internal import Peering
internal import ServerKit
internal import TokenVerification

/// The composition root of one region's matching engine in its own process (`iworkz serve --role
/// matching-engine --region X`): the best jobs for a worker and the real-time match stream, from an
/// in-memory index of the region's catalog.
///
/// It holds no store. It follows the region's backend-api's catalog feed (``CatalogFollower``: every
/// posting the region holds, in the order it changed, from the first at start) and asks it for the
/// calling worker's matching profile (``HTTPWorkerProfiles``), both over mTLS and only within the
/// region; the gateway sends it `/api/v1/matching/…`. It verifies the caller's token against every
/// region's published keys, like each role.
public final class MatchingEngineRole: Sendable {
    public let identity: ServiceIdentity
    public let metrics: HTTPMetrics
    /// The catalog follower and the sweep of erased people's streams; run beside ``application(host:port:onServerRunning:)``.
    public let services: [any Service]
    let follower: CatalogFollower
    let responder: RoleResponder
    let transport: InternalTransport
    let client: HTTPClient
    let logger: Logger

    /// - Parameters:
    ///   - backends: base URLs of every region's backend-api (from the topology file); its own region's must be there.
    ///   - issuerURL: the public URL every token names as its issuer (the gateway's).
    public static func start(
        config: LoadedConfiguration, region regionID: RegionID, backends: [RegionID: [String]], transport: InternalTransport,
        issuerURL: String, logger: Logger, pollInterval: Duration = .milliseconds(500), clock: @escaping @Sendable () -> Date = Date.init
    ) throws(PlatformError) -> MatchingEngineRole {
        guard let region = config.catalog.region(regionID) else { throw PlatformError("region \(regionID) is not in regions.yaml") }
        guard let own = backends[regionID], !own.isEmpty else {
            throw PlatformError("the topology names no backend-api for \(regionID), whose catalog and profiles the matching engine reads")
        }
        let identity = ServiceIdentity(region: regionID.rawValue, role: .matchingEngine)
        let client = try transport.client(as: identity)
        let directory = PeerDirectory(endpoints: [regionID: own], caller: identity, client: client)
        let matching = config.matching
        let index = MatchingIndex(rules: matching.rules, taxonomy: matching.taxonomy, configuration: matching.configuration)
        let notifier = MatchNotifier(index: index, now: clock)
        let catalog = FollowedCatalog(index: index, notifier: notifier)
        let profiles = HTTPWorkerProfiles(peers: directory, region: regionID)
        let follower = CatalogFollower(region: regionID, peers: directory, catalog: catalog, logger: logger, pollInterval: pollInterval)
        let keys = RemoteKeySet(sources: backends.values.flatMap { $0 }.map { $0 + "/.well-known/jwks.json" }, client: client)
        let router = Router(context: AppRequestContext.self)
        MatchingRoutes(cell: CellIdentity(region: region, catalog: config.catalog), profiles: profiles, postings: catalog, index: index,
                       notifier: notifier, now: clock).add(to: router)
        let routes = router.buildResponder()
        let metrics = HTTPMetrics()
        let responder = RoleResponder(
            identity: identity, region: regionID, verifier: AccessTokenVerifier(issuer: issuerURL) { await keys.keys() },
            service: { request, context in try await routes.respond(to: request, context: context) }, peers: nil,
            probes: [
                "/health": { _, _ in try Response.json(["status": "ok"]) },
                "/ready": { _, _ in
                    // Ready once the whole catalog has been read: before, matches would silently miss postings.
                    let ready = follower.isCaughtUp
                    return try Response.json(["status": ready ? "ready" : "not-ready"], status: ready ? .ok : .serviceUnavailable)
                },
            ],
            endpoints: EndpointTemplates(Cell.matchingEndpoints), metrics: metrics, authenticatesCallers: transport.authenticatesCallers)
        return MatchingEngineRole(identity: identity, metrics: metrics,
                                  services: [follower, SubscriberSweep(notifier: notifier, profiles: profiles, logger: logger)],
                                  follower: follower, responder: responder, transport: transport, client: client, logger: logger)
    }

    private init(identity: ServiceIdentity, metrics: HTTPMetrics, services: [any Service], follower: CatalogFollower, responder: RoleResponder,
                 transport: InternalTransport, client: HTTPClient, logger: Logger) {
        self.identity = identity
        self.metrics = metrics
        self.services = services
        self.follower = follower
        self.responder = responder
        self.transport = transport
        self.client = client
        self.logger = logger
    }

    /// Whether the engine has read the region's whole catalog once.
    public var isReady: Bool { follower.isCaughtUp }

    /// The internal listener, admitting the gateway only.
    public func application(host: String, port: Int, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        throws(PlatformError) -> some Service {
        try transport.listener(identity, responder: responder, host: host, port: port, logger: logger, onServerRunning: onServerRunning)
    }

    /// Stops the client to the backend-api.
    public func close() async {
        try? await client.shutdown()
    }
}
