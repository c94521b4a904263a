public import AsyncHTTPClient
public import Logging
public import MutualTLS
public import Observability
public import ServiceLifecycle
public import Sovereignty
public import Foundation
internal import Gateway
internal import Hummingbird
internal import AgentService
internal import ServerKit
internal import TokenVerification

/// The composition root of one region's agent in its own process (`iworkz serve --role ai-agent
/// --region X`): skill extraction from résumés and job ads, and job-ad compliance review. It keeps
/// nothing and calls no other role; what it is sent (possibly personal data) stays in the region,
/// because the gateway sends it only requests routed to its region. It verifies the caller's token
/// against every region's published keys, like each role.
public final class AIAgentRole: Sendable {
    public let identity: ServiceIdentity
    public let metrics: HTTPMetrics
    let responder: RoleResponder
    let transport: InternalTransport
    let client: HTTPClient
    let logger: Logger

    /// - Parameters:
    ///   - backends: base URLs of every region's backend-api, whose published keys sign tokens.
    ///   - issuerURL: the public URL every token names as its issuer (the gateway's).
    public static func start(
        config: LoadedConfiguration, region regionID: RegionID, backends: [RegionID: [String]], transport: InternalTransport,
        issuerURL: String, logger: Logger, clock: @escaping @Sendable () -> Date = Date.init
    ) throws(PlatformError) -> AIAgentRole {
        guard config.catalog.region(regionID) != nil else { throw PlatformError("region \(regionID) is not in regions.yaml") }
        guard !backends.isEmpty else { throw PlatformError("the topology names no backend-api, whose keys sign the tokens the agent checks") }
        let identity = ServiceIdentity(region: regionID.rawValue, role: .aiAgent)
        let client = try transport.client(as: identity)
        let keys = RemoteKeySet(sources: backends.values.flatMap { $0 }.map { $0 + "/.well-known/jwks.json" }, client: client)
        let router = Router(context: AppRequestContext.self)
        AgentRoutes(extractor: SkillExtractor(taxonomy: config.matching.taxonomy), reviewer: JobAdReviewer(rules: config.jobAdRules), now: clock)
            .add(to: router)
        let routes = router.buildResponder()
        let metrics = HTTPMetrics()
        let responder = RoleResponder(
            identity: identity, region: regionID, verifier: AccessTokenVerifier(issuer: issuerURL) { await keys.keys() },
            service: { request, context in try await routes.respond(to: request, context: context) }, peers: nil,
            probes: [
                "/health": { _, _ in try Response.json(["status": "ok"]) },
                "/ready": { _, _ in try Response.json(["status": "ready"]) },
            ],
            endpoints: EndpointTemplates(Cell.agentEndpoints), metrics: metrics, authenticatesCallers: transport.authenticatesCallers)
        return AIAgentRole(identity: identity, metrics: metrics, responder: responder, transport: transport, client: client, logger: logger)
    }

    private init(identity: ServiceIdentity, metrics: HTTPMetrics, responder: RoleResponder, transport: InternalTransport, client: HTTPClient,
                 logger: Logger) {
        self.identity = identity
        self.metrics = metrics
        self.responder = responder
        self.transport = transport
        self.client = client
        self.logger = logger
    }

    /// The internal listener, admitting the gateway only.
    public func application(host: String, port: Int, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        throws(PlatformError) -> some Service {
        try transport.listener(identity, responder: responder, host: host, port: port, logger: logger, onServerRunning: onServerRunning)
    }

    /// Stops the client that fetches the published keys.
    public func close() async {
        try? await client.shutdown()
    }
}
