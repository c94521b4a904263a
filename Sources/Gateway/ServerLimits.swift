internal import Yams

/// `config/server.yaml`: connection-level limits of the HTTP server, per process.
public struct ServerLimits: Sendable, Equatable {
    /// Requests in progress beyond which the gateway answers 503 at once (load shedding).
    public var maxInFlightRequests = 512
    /// Open connections one client address may hold.
    public var maxConnectionsPerAddress = 256
    /// Seconds a client has to send a complete request head (from connecting, or from the previous response).
    public var headerTimeoutSeconds = 10
    /// Seconds a client has to send a request body once its head arrived.
    public var bodyTimeoutSeconds = 30
    /// Seconds a connection may sit with nothing read or written before it is closed.
    public var idleTimeoutSeconds = 30
    /// Address blocks of the proxies in front (load balancer, CDN) whose forwarding headers are believed.
    public var trustedProxies: [String] = []

    public init() {}

    public init(yaml: String) throws(GatewayConfigurationError) {
        struct Document: Decodable {
            let maxInFlightRequests: Int?
            let maxConnectionsPerAddress: Int?
            let headerTimeoutSeconds: Int?
            let bodyTimeoutSeconds: Int?
            let idleTimeoutSeconds: Int?
            let trustedProxies: [String]?

            enum CodingKeys: String, CodingKey {
                case maxInFlightRequests = "max_in_flight_requests"
                case maxConnectionsPerAddress = "max_connections_per_address"
                case headerTimeoutSeconds = "header_timeout_seconds"
                case bodyTimeoutSeconds = "body_timeout_seconds"
                case idleTimeoutSeconds = "idle_timeout_seconds"
                case trustedProxies = "trusted_proxies"
            }
        }
        let document: Document
        do {
            document = try YAMLDecoder().decode(Document.self, from: yaml)
        } catch {
            throw GatewayConfigurationError(message: "server limits file: \(error)")
        }
        var limits = ServerLimits()
        limits.maxInFlightRequests = document.maxInFlightRequests ?? limits.maxInFlightRequests
        limits.maxConnectionsPerAddress = document.maxConnectionsPerAddress ?? limits.maxConnectionsPerAddress
        limits.headerTimeoutSeconds = document.headerTimeoutSeconds ?? limits.headerTimeoutSeconds
        limits.bodyTimeoutSeconds = document.bodyTimeoutSeconds ?? limits.bodyTimeoutSeconds
        limits.idleTimeoutSeconds = document.idleTimeoutSeconds ?? limits.idleTimeoutSeconds
        limits.trustedProxies = document.trustedProxies ?? []
        _ = try TrustedProxies(limits.trustedProxies)
        if let problem = limits.problems.first {
            throw GatewayConfigurationError(message: "server limits file: \(problem)")
        }
        self = limits
    }

    /// What is wrong with these limits; empty when they are usable.
    public var problems: [String] {
        let named = [
            ("max_in_flight_requests", maxInFlightRequests), ("max_connections_per_address", maxConnectionsPerAddress),
            ("header_timeout_seconds", headerTimeoutSeconds), ("body_timeout_seconds", bodyTimeoutSeconds),
            ("idle_timeout_seconds", idleTimeoutSeconds),
        ]
        return named.filter { $0.1 <= 0 }.map { "\($0.0) must be a positive whole number, not \($0.1)" }
    }
}
