public import Foundation
public import RedisClient
internal import NIOCore

/// Cached responses in Redis, shared by every gateway replica. A tag's entries and the set listing
/// them share the tag's hash tag (`iworkz:cache:{/api/v1/jobs/*}:…`), so they live in one slot of a
/// Redis Cluster and one script can drop them all atomically: a cluster refuses a script that
/// touches keys of other slots. (The price: one route's entries live on one master.)
public struct RedisCacheStore: ResponseCacheStore {
    private let client: RedisClient
    private let prefix: String

    public init(client: RedisClient, prefix: String = "iworkz:cache:") {
        self.client = client
        self.prefix = prefix
    }

    private func slotPrefix(_ tag: String) -> String { prefix + RedisSlot.hashTag(tag) + ":" }
    private func entryKey(_ key: ResponseCacheKey) -> String { slotPrefix(key.tag) + "entry:" + key.variant }
    private func tagSetKey(_ tag: String) -> String { slotPrefix(tag) + "keys" }

    public func get(_ key: ResponseCacheKey) async throws -> CachedResponse? {
        guard let buffer = try await client.get(entryKey(key)) else { return nil }
        return try? JSONDecoder().decode(CachedResponse.self, from: Data(buffer.readableBytesView))
    }

    /// Stores the entry and lists it under its tag, in one script so the two cannot be separated.
    static let store = RedisScript("""
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        redis.call('SADD', KEYS[2], KEYS[1])
        if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[2], ARGV[3]) end
        return 1
        """)

    public func set(_ key: ResponseCacheKey, _ value: CachedResponse) async throws {
        let milliseconds = Int64(value.retainUntil.timeIntervalSinceNow * 1000)
        guard milliseconds > 0 else { return }
        let data = try JSONEncoder().encode(value)
        _ = try await client.run(Self.store, keys: [entryKey(key), tagSetKey(key.tag)],
                                 arguments: [String(decoding: data, as: UTF8.self), String(milliseconds), String(max(milliseconds, 60_000))])
    }

    /// Deletes a tag's entries and its set in one atomic step; every key is in the tag's slot.
    static let invalidation = RedisScript("""
        local keys = redis.call('SMEMBERS', KEYS[1])
        for _, key in ipairs(keys) do redis.call('DEL', key) end
        redis.call('DEL', KEYS[1])
        return #keys
        """)

    public func invalidate(tag: String) async throws {
        _ = try await client.run(Self.invalidation, keys: [tagSetKey(tag)], arguments: [])
    }
}
