internal import Storage
public import Gateway
public import Hummingbird
public import Observability
public import ServerKit
internal import Sovereignty
internal import Foundation
internal import Identity

/// The endpoints the process answers itself: liveness, readiness, the API document, the identity
/// server's keys and metadata on the public listener; liveness, readiness and metrics on the
/// operations listener (`--ops-port`), which only the operators' network reaches.
struct OperationsRoutes {
    let cells: [Cell]
    let metrics: HTTPMetrics
    let openAPI: String
    let ring: SigningKeyRing
    let issuer: String
    let oauth: OAuthServer
    /// The legal data tables and their revision days, shown in `/ready`'s detail.
    let legalData: [LegalDataRevision]
    let clock: @Sendable () -> Date

    static let paths: Set<String> = [
        "/health", "/ready", "/openapi.yaml", "/.well-known/jwks.json", "/.well-known/oauth-authorization-server",
    ]
    /// What the operations listener serves.
    static let operationsPaths: Set<String> = ["/health", "/ready", "/metrics"]

    /// The operations listener's router: probes and the Prometheus exposition.
    func operationsRouter() -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        addProbes(to: router)
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
        return router
    }

    private func addProbes(to router: Router<AppRequestContext>) {
        router.get("/health") { _, _ in try Response.json(["status": "ok"]) }
        router.get("/ready") { _, _ in
            var states: [String: String] = [:]
            var replicas: [String: [ReplicaStatus]] = [:]
            var sessions: [String: String] = [:]
            for cell in cells {
                states[cell.region.id.rawValue] = await cell.isReady() ? "ready" : "not-ready"
                sessions[cell.region.id.rawValue] = await cell.sessionStoreStatus()
                let statuses = cell.database.replicaStatuses()
                if !statuses.isEmpty { replicas[cell.region.id.rawValue] = statuses }
            }
            let ready = states.values.allSatisfy { $0 == "ready" }
            // Out-of-date legal data does not stop the process serving; it is shown for operators to act on.
            let today = Timestamps.day(clock())
            let legalData = legalData.map { Readiness.Table(revision: $0, status: $0.isOverdue(on: today) ? "revision-overdue" : "current") }
            return try Response.json(Readiness(status: ready ? "ready" : "not-ready", cells: states, legalData: legalData,
                                               replicas: replicas.isEmpty ? nil : replicas, sessions: sessions.isEmpty ? nil : sessions),
                                     status: ready ? .ok : .serviceUnavailable)
        }
    }

    /// OAuth 2.0 Authorization Server Metadata (RFC 8414). Not OpenID Connect discovery: no ID token is
    /// issued, so none is advertised.
    struct Discovery: Encodable {
        let issuer: String
        let jwksURI: String
        let tokenEndpoint: String
        let authorizationEndpoint: String
        let revocationEndpoint: String
        let grantTypesSupported = ["authorization_code", "refresh_token", "client_credentials"]
        let responseTypesSupported = ["code"]
        let codeChallengeMethodsSupported = ["S256"]
        let tokenEndpointAuthMethodsSupported = ["client_secret_basic", "client_secret_post", "none"]
        let revocationEndpointAuthMethodsSupported = ["client_secret_basic", "client_secret_post", "none"]
        let scopesSupported = ["profile", "jobs:read", "jobs:write", "matching", "agent", "operator"]

        init(issuer: String) {
            self.issuer = issuer
            jwksURI = issuer + "/.well-known/jwks.json"
            tokenEndpoint = issuer + "/oauth/token"
            authorizationEndpoint = issuer + "/oauth/authorize"
            revocationEndpoint = issuer + "/oauth/revoke"
        }

        enum CodingKeys: String, CodingKey {
            case issuer
            case jwksURI = "jwks_uri"
            case tokenEndpoint = "token_endpoint"
            case authorizationEndpoint = "authorization_endpoint"
            case revocationEndpoint = "revocation_endpoint"
            case grantTypesSupported = "grant_types_supported"
            case responseTypesSupported = "response_types_supported"
            case codeChallengeMethodsSupported = "code_challenge_methods_supported"
            case tokenEndpointAuthMethodsSupported = "token_endpoint_auth_methods_supported"
            case revocationEndpointAuthMethodsSupported = "revocation_endpoint_auth_methods_supported"
            case scopesSupported = "scopes_supported"
        }
    }

    struct Readiness: Encodable {
        /// A table of legal data: its dates, and `current` or `revision-overdue` today.
        struct Table: Encodable {
            let table: String
            let asOf: String
            let revisionDue: String
            let status: String

            init(revision: LegalDataRevision, status: String) {
                table = revision.table
                asOf = revision.asOf
                revisionDue = revision.revisionDue
                self.status = status
            }

            enum CodingKeys: String, CodingKey {
                case table, status
                case asOf = "as_of"
                case revisionDue = "revision_due"
            }
        }

        let status: String
        let cells: [String: String]
        let legalData: [Table]
        /// Each region's read replicas and their lag; absent when no region has replicas. A lagging
        /// replica does not make the process unready: its reads go to the primary meanwhile.
        let replicas: [String: [ReplicaStatus]]?
        /// Each region's session store in Redis, where one is configured (see ``Cell/sessionStoreStatus()``).
        let sessions: [String: String]?

        enum CodingKeys: String, CodingKey {
            case status, cells, replicas, sessions
            case legalData = "legal_data"
        }
    }

    func handler() -> GatewayResponder.CellHandler {
        let router = Router(context: AppRequestContext.self)
        addProbes(to: router)
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: openAPI)))
        }
        router.get("/.well-known/jwks.json") { _, _ in
            try Response.json(ring.jwks(), headers: [.cacheControl: "public, max-age=300"])
        }
        router.get("/.well-known/oauth-authorization-server") { _, _ in
            try Response.json(Discovery(issuer: issuer))
        }
        oauth.add(to: router)
        let responder = router.buildResponder()
        return { request, context in try await responder.respond(to: request, context: context) }
    }
}
