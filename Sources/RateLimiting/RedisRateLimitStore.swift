public import RedisClient

/// Rate limits shared by every gateway replica: one Lua script reads and writes the theoretical
/// arrival time atomically on the server, with the server's clock, so N replicas together admit
/// exactly the limit and clock skew between replicas does not matter.
public struct RedisRateLimitStore: RateLimitStore {
    private let client: RedisClient
    private let prefix: String

    public init(client: RedisClient, prefix: String = "iworkz:ratelimit:") {
        self.client = client
        self.prefix = prefix
    }

    static let script = RedisScript("""
        local interval = tonumber(ARGV[1])
        local burst = tonumber(ARGV[2])
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
        local tat = tonumber(redis.call('GET', KEYS[1])) or now
        if tat < now then tat = now end
        local new_tat = tat + interval
        local allow_at = new_tat - burst * interval
        if now < allow_at then
          return {0, allow_at - now, tat - now}
        end
        -- Lua prints large numbers in exponent form; store the exact integer.
        redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.ceil((new_tat - now) / 1000) + 1000)
        return {1, 0, new_tat - now}
        """)

    public func acquire(key: String, policy: RateLimitPolicy) async throws -> RateLimitDecision {
        let reply = try await client.run(
            Self.script, keys: [prefix + policy.name + ":" + key],
            arguments: [String(policy.emissionInterval), String(policy.burst)])
        guard let values = reply.array?.compactMap(\.integer), values.count == 3 else {
            throw RedisError.unexpectedReply("rate limit script returned \(reply)")
        }
        return RateLimitDecision(policy: policy, allowed: values[0] == 1, retryAfterMicros: values[1], resetMicros: values[2])
    }
}
