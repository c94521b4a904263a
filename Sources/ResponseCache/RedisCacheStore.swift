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
        let milliseconds = Int64(value.retainUntil.timeIntervalSinceNow * 1000)
        guard milliseconds > 0 else { return }
        let data = try JSONEncoder().encode(value)
        try await client.set(prefix + key, ByteBuffer(bytes: data), expiresInMilliseconds: milliseconds)
        let tagLifetime = String(max(milliseconds, 60_000))
        var tagCommands: [[String]] = []
        for tag in value.tags {
            let tagKey: String = prefix + "tag:" + tag
            tagCommands.append(["SADD", tagKey, prefix + key])
            tagCommands.append(["PEXPIRE", tagKey, tagLifetime])
        }
        guard !tagCommands.isEmpty else { return }
        for result in try await client.pipeline(tagCommands) { _ = try result.get() }
    }

    /// Deletes a tag's keys and the tag in one atomic step.
    static let invalidation = RedisScript("""
        local keys = redis.call('SMEMBERS', KEYS[1])
        for _, key in ipairs(keys) do redis.call('DEL', key) end
        redis.call('DEL', KEYS[1])
        return #keys
        """)

    public func invalidate(tag: String) async throws {
        _ = try await client.run(Self.invalidation, keys: [prefix + "tag:" + tag], arguments: [])
    }
}
