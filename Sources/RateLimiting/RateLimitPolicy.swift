/// A limit of `limit` requests per `period` with bursts of up to `burst`, enforced by GCRA
/// (generic cell rate algorithm): one stored value per key, the theoretical arrival time.
public struct RateLimitPolicy: Sendable, Hashable, Decodable {
    /// What a policy counts by.
    public enum Scope: String, Sendable, Hashable, Decodable {
        case ip, user, client, route
    }

    public let name: String
    public let scope: Scope
    public let limit: Int
    public let periodSeconds: Int
    public let burst: Int
    /// `METHOD /route/template` entries the policy is limited to; empty for every route.
    public let routes: [String]
    /// Requests' worth of budget a failed authentication or a firewall block from the caller costs
    /// (0: failures cost nothing beyond the request itself).
    public let failureCost: Int

    public init(name: String, scope: Scope, limit: Int, periodSeconds: Int, burst: Int, routes: [String] = [], failureCost: Int = 0) {
        self.failureCost = failureCost
        self.name = name
        self.scope = scope
        self.limit = limit
        self.periodSeconds = periodSeconds
        self.burst = burst
        self.routes = routes
    }

    enum CodingKeys: String, CodingKey {
        case name, scope, limit, burst, routes
        case periodSeconds = "period_seconds"
        case failureCost = "failure_cost"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        scope = try container.decode(Scope.self, forKey: .scope)
        limit = try container.decode(Int.self, forKey: .limit)
        periodSeconds = try container.decode(Int.self, forKey: .periodSeconds)
        burst = try container.decodeIfPresent(Int.self, forKey: .burst) ?? limit
        routes = try container.decodeIfPresent([String].self, forKey: .routes) ?? []
        failureCost = try container.decodeIfPresent(Int.self, forKey: .failureCost) ?? 0
    }

    /// Microseconds between two requests at the sustained rate.
    public var emissionInterval: Int64 { Int64(periodSeconds) * 1_000_000 / Int64(max(1, limit)) }

    /// Problems with the numbers, for configuration validation.
    public var problems: [String] {
        var problems: [String] = []
        if limit < 1 { problems.append("policy \(name): limit must be at least 1") }
        if periodSeconds < 1 { problems.append("policy \(name): period_seconds must be at least 1") }
        if burst < 1 { problems.append("policy \(name): burst must be at least 1") }
        if limit >= 1, periodSeconds >= 1, Int64(periodSeconds) * 1_000_000 / Int64(limit) == 0 {
            problems.append("policy \(name): \(limit) requests per \(periodSeconds) s leaves less than a microsecond between requests")
        }
        if failureCost < 0 || failureCost > 1000 { problems.append("policy \(name): failure_cost must be from 0 to 1000") }
        if failureCost > 0, scope != .ip { problems.append("policy \(name): failure_cost applies to ip policies only") }
        if !name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
            problems.append("policy \(name): name may hold only letters, digits, - and _")
        }
        return problems
    }
}

/// The answer for one request under one policy.
public struct RateLimitDecision: Sendable, Hashable {
    public let policy: RateLimitPolicy
    public let allowed: Bool
    /// Requests that could still be made at once.
    public let remaining: Int
    /// Seconds until the limit is fully available again.
    public let resetSeconds: Int
    /// For a rejection, seconds until a request would be allowed.
    public let retryAfterSeconds: Int

    /// Builds a decision from GCRA quantities in microseconds.
    public init(policy: RateLimitPolicy, allowed: Bool, retryAfterMicros: Int64, resetMicros: Int64) {
        self.policy = policy
        self.allowed = allowed
        let interval = policy.emissionInterval
        let used = interval > 0 ? Int((resetMicros + interval - 1) / interval) : 0
        remaining = max(0, policy.burst - used)
        resetSeconds = Int((max(0, resetMicros) + 999_999) / 1_000_000)
        retryAfterSeconds = allowed ? 0 : max(1, Int((retryAfterMicros + 999_999) / 1_000_000))
    }
}

/// Where theoretical arrival times live: this process, or Redis shared by every gateway replica.
public protocol RateLimitStore: Sendable {
    /// Counts one request against the policy for the key, unless it is over the limit.
    func acquire(key: String, policy: RateLimitPolicy) async throws -> RateLimitDecision
}
