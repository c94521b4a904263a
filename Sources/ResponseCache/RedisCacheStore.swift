public import Foundation
public import RedisClient
internal import NIOCore

/// Cached responses in Redis, shared by every gateway replica; each tag is a set of keys so a write
/// invalidates everywhere at once.
public struct RedisCacheStore: ResponseCacheStore {
    private let client: RedisClient
    private let prefix: String

    public init(client: RedisClient, prefix: String = "iworkz:cache:") {
        self.client = client
        self.prefix = prefix
    }

    public func get(_ key: String) async throws -> CachedResponse? {
        guard let buffer = try await client.get(prefix + key) else { return nil }
        return try? JSONDecoder().decode(CachedResponse.self, from: Data(buffer.readableBytesView))
    }

    public func set(_ key: String, _ value: CachedResponse) async throws {
        let milliseconds = Int64(value.expiresAt.timeIntervalSinceNow * 1000)
        guard milliseconds > 0 else { return }
        let data = try JSONEncoder().encode(value)
        try await client.set(prefix + key, ByteBuffer(bytes: data), expiresInMilliseconds: milliseconds)
        for tag in value.tags {
            _ = try await client.send(["SADD", prefix + "tag:" + tag, prefix + key])
            _ = try await client.send(["PEXPIRE", prefix + "tag:" + tag, String(max(milliseconds, 60_000))])
        }
    }

    public func invalidate(tag: String) async throws {
        let script = RedisScript("""
            local keys = redis.call('SMEMBERS', KEYS[1])
            for _, key in ipairs(keys) do redis.call('DEL', key) end
            redis.call('DEL', KEYS[1])
            return #keys
            """)
        _ = try await client.run(script, keys: [prefix + "tag:" + tag], arguments: [])
    }
}
