public import AsyncHTTPClient
public import Foundation
public import Gateway
public import Hummingbird
public import Logging
public import MutualTLS
public import Observability
public import ServiceLifecycle
public import Sovereignty
internal import HTTPTypes
internal import NIOCore
internal import ServerKit
internal import TokenVerification
internal import HummingbirdTLS
internal import RateLimiting
internal import ResponseCache

/// The composition root of the gateway in front of separate processes (`iworkz serve --role gateway
/// --topology config/topology.yaml`): the same pipeline as the all-in-one gateway (firewall, token
/// check, route rules, region resolution, rate limits, cache), with each region's cell behind an
/// ``HTTPUpstream`` over mTLS instead of a function call. It links no service module.
///
/// It verifies tokens against the union of every region's published keys and answers `/health`,
/// `/ready` (each region's endpoints in rotation), `/openapi.yaml` and `/.well-known/jwks.json` itself.
public final class GatewayRole: Sendable {
    public let identity: ServiceIdentity
    public let gateway: GatewayResponder
    public let metrics: HTTPMetrics
    /// Every role of every region as an upstream, whose health checks run as services.
    public let upstreams: [HTTPUpstream]
    public var services: [any Service] { upstreams.map { $0 as any Service } }
    let limits: ServerLimits
    let connectionLimiter: ConnectionLimiter
    let client: HTTPClient
    let logger: Logger

    /// - Parameters:
    ///   - region: the region this gateway runs in, which names its certificate (`<region>/gateway`).
    ///   - issuerURL: the public URL every token names as its issuer.
    public static func start(
        config: LoadedConfiguration, topology: Topology, region: RegionID, transport: InternalTransport, issuerURL: String,
        openAPI: String, redisURL: String? = nil, logger: Logger, clock: @escaping @Sendable () -> Date = Date.init
    ) throws(PlatformError) -> GatewayRole {
        guard config.catalog.region(region) != nil else { throw PlatformError("region \(region) is not in regions.yaml") }
        let identity = ServiceIdentity(region: region.rawValue, role: .gateway)
        let client = try transport.client(as: identity, connectTimeout: topology.settings.connectTimeout)
        var backends: [RegionID: HTTPUpstream] = [:]
        var upstreams: [HTTPUpstream] = []
        var cells: [RegionID: any Upstream] = [:]
        for (cellRegion, roles) in topology.endpoints {
            func upstream(_ role: ServiceRole) -> HTTPUpstream? {
                guard let endpoints = roles[role] else { return nil }
                let upstream = HTTPUpstream(region: cellRegion.rawValue, role: role.rawValue, endpoints: endpoints, client: client,
                                            settings: topology.settings)
                upstreams.append(upstream)
                return upstream
            }
            guard let backend = upstream(.backendAPI) else { continue }
            backends[cellRegion] = backend
            var byService: [String: any Upstream] = [:]
            if let engine = upstream(.matchingEngine) { byService[ServiceRole.matchingEngine.rawValue] = engine }
            if let agent = upstream(.aiAgent) { byService[ServiceRole.aiAgent.rawValue] = agent }
            cells[cellRegion] = ServiceRoutedUpstream(routes: config.routes, main: backend, byService: byService)
        }
        let keys = RemoteKeySet(
            sources: topology.endpoints.values.flatMap { $0[.backendAPI] ?? [] }.map { $0 + "/.well-known/jwks.json" }, client: client)
        let verifier = AccessTokenVerifier(issuer: issuerURL) { await keys.keys() }
        let proxies: TrustedProxies
        do { proxies = try TrustedProxies(config.limits.trustedProxies) } catch { throw PlatformError(error.message) }
        let metrics = HTTPMetrics()
        let rateLimits: any RateLimitStore
        let cache: any ResponseCacheStore
        do {
            rateLimits = try Platform.rateLimitStore(for: config.rateLimits, redisURL: redisURL, logger: logger)
            cache = try Platform.responseCacheStore(redisURL: redisURL)
        } catch let error as PlatformError {
            throw error
        } catch {
            throw PlatformError("\(error)")
        }
        let oauth = OAuthForwarding(catalog: config.catalog, upstreams: backends.mapValues { $0 as any Upstream }, fallback: region)
        let local = Self.localHandler(upstreams: upstreams, keys: keys, oauth: oauth, issuer: issuerURL, openAPI: openAPI)
        let gateway = GatewayResponder(
            routes: config.routes, resolver: RegionResolver(catalog: config.catalog), cells: cells,
            local: local, localPaths: Self.localPaths.union(OAuthForwarding.paths), tokens: verifier, metrics: metrics,
            endpoints: EndpointTemplates(Cell.endpoints + Self.localEndpoints, anonymous: Cell.anonymousEndpoints + Self.localEndpoints),
            rateLimits: RateLimitGate(configuration: config.rateLimits, store: rateLimits, metrics: metrics),
            firewall: config.firewall, shedder: LoadShedder(limit: config.limits.maxInFlightRequests),
            cache: ResponseCacheGate(store: cache, metrics: metrics, now: clock), proxies: proxies)
        return GatewayRole(identity: identity, gateway: gateway, metrics: metrics, upstreams: upstreams, limits: config.limits,
                           connectionLimiter: ConnectionLimiter(maxPerAddress: config.limits.maxConnectionsPerAddress, exempt: proxies),
                           client: client, logger: logger)
    }

    private init(identity: ServiceIdentity, gateway: GatewayResponder, metrics: HTTPMetrics, upstreams: [HTTPUpstream],
                 limits: ServerLimits, connectionLimiter: ConnectionLimiter, client: HTTPClient, logger: Logger) {
        self.identity = identity
        self.gateway = gateway
        self.metrics = metrics
        self.upstreams = upstreams
        self.limits = limits
        self.connectionLimiter = connectionLimiter
        self.client = client
        self.logger = logger
    }

    static let localPaths: Set<String> = [
        "/health", "/ready", "/openapi.yaml", "/.well-known/jwks.json", "/.well-known/oauth-authorization-server",
    ]
    static var localEndpoints: [(method: String, path: String)] { localPaths.sorted().map { ("GET", $0) } + OAuthForwarding.endpoints }

    /// Readiness: every role of every region has an endpoint in rotation.
    struct Readiness: Encodable {
        let status: String
        /// `ready` or `no-endpoint` per `region/role`.
        let roles: [String: String]
    }

    static func localHandler(upstreams: [HTTPUpstream], keys: RemoteKeySet, oauth: OAuthForwarding, issuer: String,
                             openAPI: String) -> GatewayResponder.CellHandler {
        let router = Router(context: AppRequestContext.self)
        router.get("/oauth/authorize") { request, context in try await oauth.forward(request, context: context) }
        for path in OAuthForwarding.paths {
            router.post(RouterPath(stringLiteral: path)) { request, context in try await oauth.forward(request, context: context) }
        }
        router.get("/.well-known/oauth-authorization-server") { _, _ in try Response.json(OperationsRoutes.Discovery(issuer: issuer)) }
        router.get("/health") { _, _ in try Response.json(["status": "ok"]) }
        router.get("/ready") { _, _ in
            var roles: [String: String] = [:]
            for upstream in upstreams { roles["\(upstream.region)/\(upstream.role)"] = upstream.hasEndpointInRotation ? "ready" : "no-endpoint" }
            let ready = roles.values.allSatisfy { $0 == "ready" }
            return try Response.json(Readiness(status: ready ? "ready" : "not-ready", roles: roles), status: ready ? .ok : .serviceUnavailable)
        }
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: openAPI)))
        }
        router.get("/.well-known/jwks.json") { _, _ in try Response.json(await keys.keys(), headers: [.cacheControl: "public, max-age=300"]) }
        let responder = router.buildResponder()
        return { request, context in try await responder.respond(to: request, context: context) }
    }

    /// The public listener: HTTP, or HTTPS (TLS 1.3 with HSTS) when `tls` is given.
    public func application(host: String, port: Int, tls: EdgeTLS?, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        throws -> any Service {
        let server = EdgeServer(limits: limits, limiter: connectionLimiter, metrics: metrics)
        let configuration = ApplicationConfiguration(address: .hostname(host, port: port), serverName: "iworkz")
        let running: @Sendable (any Channel) async -> Void = { channel in await onServerRunning(channel.localAddress?.port ?? port) }
        if let tls {
            return Hummingbird.Application(responder: StrictTransportSecurity(base: gateway), server: try .tls(server.builder(), tlsConfiguration: tls.configuration),
                                           configuration: configuration, onServerRunning: running, logger: logger)
        }
        return Hummingbird.Application(responder: gateway, server: server.builder(), configuration: configuration, onServerRunning: running, logger: logger)
    }

    /// Stops the client to the upstreams.
    public func close() async {
        try? await client.shutdown()
    }
}
