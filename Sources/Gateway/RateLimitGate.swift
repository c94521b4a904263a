public import HTTPTypes
public import Observability
public import RateLimiting
public import ServerKit

/// Applies the rate-limit policies to a routed request: every applicable policy counts the request,
/// any rejection answers 429 with `Retry-After`, and the tightest policy is reported in the IETF
/// `RateLimit-Policy` and `RateLimit` headers.
public struct RateLimitGate: Sendable {
    let policies: [(policy: RateLimitPolicy, routes: [RouteSelector])]
    let store: any RateLimitStore
    let metrics: HTTPMetrics?

    public init(configuration: RateLimitConfiguration, store: any RateLimitStore, metrics: HTTPMetrics? = nil) {
        self.policies = configuration.policies.map { ($0, $0.routes.compactMap(RouteSelector.init)) }
        self.store = store
        self.metrics = metrics
    }

    /// What the caller is known by, for the policy scopes.
    public struct Caller: Sendable {
        public var ip: String
        public var userID: String?
        public var clientID: String?
        /// The routing rule the request matched (its path pattern).
        public var route: String

        public init(ip: String, userID: String? = nil, clientID: String? = nil, route: String) {
            self.ip = ip
            self.userID = userID
            self.clientID = clientID
            self.route = route
        }
    }

    /// Counts the request; throws a 429 problem when a policy refuses it. Returns the headers to add.
    /// - Parameter namedOnly: count only policies that name routes (for the gateway's own endpoints,
    ///   such as sign-in, which the catch-all policies must not throttle with health checks).
    public func admit(method: String, path: String, caller: Caller, namedOnly: Bool = false) async throws -> HTTPFields {
        var decisions: [RateLimitDecision] = []
        for (policy, routes) in policies where (routes.isEmpty && !namedOnly) || routes.contains(where: { $0.matches(method: method, path: path) }) {
            let key: String?
            switch policy.scope {
            case .ip: key = caller.ip
            case .user: key = caller.userID
            case .client: key = caller.clientID
            case .route: key = caller.route
            }
            guard let key else { continue }
            let decision = try await store.acquire(key: key, policy: policy)
            decisions.append(decision)
            if !decision.allowed {
                metrics?.recordRateLimitRejection(policy: policy.name)
                var headers = Self.headers(for: decision)
                headers[.retryAfter] = String(decision.retryAfterSeconds)
                throw Problem("rate-limited", status: .tooManyRequests, title: "Too many requests",
                              detail: "policy \(policy.name) allows \(policy.limit) requests per \(policy.periodSeconds) s; retry after \(decision.retryAfterSeconds) s",
                              headers: headers)
            }
        }
        guard let tightest = decisions.min(by: { $0.remaining < $1.remaining }) else { return [:] }
        return Self.headers(for: tightest)
    }

    /// Charges a failed authentication or a firewall block to the caller's address, on every policy
    /// with a `failure_cost`, so that guessing and probing use up the address's budget.
    public func chargeFailure(ip: String) async {
        for (policy, _) in policies where policy.failureCost > 0 {
            for _ in 0..<policy.failureCost {
                guard let decision = try? await store.acquire(key: ip, policy: policy), decision.allowed else { break }
            }
        }
    }

    /// `RateLimit-Policy: "name";q=limit;w=window` and `RateLimit: "name";r=remaining;t=reset`.
    static func headers(for decision: RateLimitDecision) -> HTTPFields {
        let policy = decision.policy
        return [
            .rateLimitPolicy: "\"\(policy.name)\";q=\(policy.limit);w=\(policy.periodSeconds)",
            .rateLimit: "\"\(policy.name)\";r=\(decision.remaining);t=\(decision.resetSeconds)",
        ]
    }
}

extension HTTPField.Name {
    static let rateLimitPolicy = HTTPField.Name("RateLimit-Policy")!
    static let rateLimit = HTTPField.Name("RateLimit")!
}
