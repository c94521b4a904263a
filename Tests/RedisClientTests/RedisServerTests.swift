import Foundation
import NIOCore
import RedisClient
import ResponseCache
import Testing

/// Runs against the real `redis-server` that scripts/test.sh starts; skipped (with this reason) when
/// IWORKZ_TEST_REDIS_URL is unset.
enum TestRedis {
    static let url = ProcessInfo.processInfo.environment["IWORKZ_TEST_REDIS_URL"]
    static var isAvailable: Bool { url != nil }

    static func configuration(database: Int = 9, protocolVersion: Int = 2) throws -> RedisConfiguration {
        var configuration = try RedisConfiguration(url: url!)
        configuration.database = database
        configuration.protocolVersion = protocolVersion
        // The suite runs beside many others on two cores, and one test makes the server sleep on
        // purpose: these tests check the protocol, not latency, so they wait longer than production.
        configuration.commandTimeout = .seconds(15)
        return configuration
    }

    /// A key no other test uses.
    static func key(_ name: String) -> String { "test:\(name):\(UUID().uuidString)" }
}

@Suite("Redis client against redis-server",
       .enabled(if: TestRedis.isAvailable, "IWORKZ_TEST_REDIS_URL is not set: start redis-server (scripts/test.sh does)"))
struct RedisServerTests {
    @Test func basicCommands() async throws {
        let client = RedisClient(configuration: try TestRedis.configuration())
        defer { Task { await client.close() } }
        #expect(try await client.ping())
        let key = TestRedis.key("basic")
        #expect(try await client.get(key) == nil)
        try await client.set(key, "こんにちは")
        #expect(try await client.get(key).map { String(buffer: $0) } == "こんにちは")
        #expect(try await client.set(key, ByteBuffer(string: "x"), onlyIfAbsent: true) == false)
        #expect(try await client.delete([key, key + ":missing"]) == 1)
        #expect(try await client.increment(key) == 1)
        #expect(try await client.increment(key) == 2)
        try await client.set(key, "short", expiresInMilliseconds: 50)
        try await Task.sleep(for: .milliseconds(120))
        #expect(try await client.get(key) == nil, "PX expiry")
        let error = await #expect(throws: RedisError.self) { try await client.send(["NOSUCHCOMMAND"]) }
        guard case .server(let message)? = error else { Issue.record("expected a server error"); return }
        #expect(message.hasPrefix("ERR"))
        #expect(try await client.ping(), "a server error leaves the connection usable")
    }

    @Test func pipelinesManyConcurrentCommandsCorrectly() async throws {
        let client = RedisClient(configuration: try TestRedis.configuration())
        defer { Task { await client.close() } }
        let key = TestRedis.key("counter")
        let values = try await withThrowingTaskGroup(of: Int64.self) { group in
            for _ in 0..<2000 { group.addTask { try await client.increment(key) } }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        #expect(Set(values) == Set(1...2000), "every reply matched its own command")
        let replies = try await client.pipeline([["SET", key, "a"], ["GET", key], ["LPUSH", key, "x"], ["GET", key]])
        #expect(replies.count == 4)
        #expect((try? replies[1].get())?.string == "a")
        guard case .failure(RedisError.server(let message)) = replies[2] else { Issue.record("WRONGTYPE expected"); return }
        #expect(message.hasPrefix("WRONGTYPE"))
        _ = try await client.delete([key])
    }

    @Test func scriptsFallBackFromEvalshaToEval() async throws {
        let client = RedisClient(configuration: try TestRedis.configuration())
        defer { Task { await client.close() } }
        _ = try await client.send(["SCRIPT", "FLUSH"])
        let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
        let key = TestRedis.key("script")
        #expect(try await client.run(script, keys: [key], arguments: ["5"]).integer == 5, "NOSCRIPT → EVAL")
        #expect(try await client.send(["SCRIPT", "EXISTS", script.sha1]).array?.first?.integer == 1)
        #expect(try await client.run(script, keys: [key], arguments: ["2"]).integer == 7, "EVALSHA")
        _ = try await client.delete([key])
    }

    @Test func databasesAreSelected() async throws {
        let nine = RedisClient(configuration: try TestRedis.configuration(database: 9))
        let ten = RedisClient(configuration: try TestRedis.configuration(database: 10))
        defer { Task { await nine.close(); await ten.close() } }
        let key = TestRedis.key("db")
        try await nine.set(key, "nine")
        #expect(try await ten.get(key) == nil)
        #expect(try await nine.get(key).map { String(buffer: $0) } == "nine")
        _ = try await nine.delete([key])
    }

    @Test func speaksRESP3() async throws {
        let client = RedisClient(configuration: try TestRedis.configuration(protocolVersion: 3))
        defer { Task { await client.close() } }
        let key = TestRedis.key("hash")
        _ = try await client.send(["HSET", key, "a", "1"])
        let reply = try await client.send(["HGETALL", key])
        guard case .map(let map) = reply else { Issue.record("RESP3 HGETALL is a map, got \(reply)"); return }
        #expect(map[.bulkString(ByteBuffer(string: "a"))] == .bulkString(ByteBuffer(string: "1")))
        _ = try await client.delete([key])
    }

    @Test func authenticationFailuresSurface() async throws {
        var configuration = try TestRedis.configuration()
        configuration.password = "wrong-password"
        let client = RedisClient(configuration: configuration)
        defer { Task { await client.close() } }
        await #expect(throws: RedisError.self) { try await client.ping() }
    }

    @Test func aSlowCommandTimesOutAndTheClientRecovers() async throws {
        var configuration = try TestRedis.configuration()
        configuration.connections = 1
        configuration.commandTimeout = .milliseconds(500)
        let client = RedisClient(configuration: configuration)
        defer { Task { await client.close() } }
        await #expect(throws: RedisError.timeout) { try await client.send(["DEBUG", "SLEEP", "1.0"]) }
        try await Task.sleep(for: .milliseconds(800))
        // On a loaded machine one attempt at 500 ms may be too short; recovering means a new
        // connection answers, not that the first attempt does.
        var answered = false
        for _ in 0..<5 where !answered {
            answered = (try? await client.ping()) ?? false
        }
        #expect(answered, "a new connection replaces the one closed on timeout")
    }

    @Test func publishesAndSubscribes() async throws {
        let client = RedisClient(configuration: try TestRedis.configuration())
        defer { Task { await client.close() } }
        let channel = TestRedis.key("channel")
        let subscription = try await client.subscribe(channel)
        #expect(try await client.publish(channel, ByteBuffer(string: "新着求人")) == 1)
        var iterator = subscription.makeAsyncIterator()
        let message = await iterator.next()
        #expect(message?.channel == channel)
        #expect(message.map { String(buffer: $0.payload) } == "新着求人")
        await subscription.close()
        #expect(await iterator.next() == nil, "closing ends the sequence")
    }
}

@Suite("Redis response cache",
       .enabled(if: TestRedis.isAvailable, "IWORKZ_TEST_REDIS_URL is not set: start redis-server (scripts/test.sh does)"))
struct RedisCacheStoreTests {
    @Test func storesExpiresAndInvalidatesByTag() async throws {
        let store = RedisCacheStore(client: RedisClient(configuration: try TestRedis.configuration()), prefix: "test:\(UUID().uuidString):")
        // Far longer than the test can take on a loaded machine: only the short entry below may expire.
        let entry = CachedResponse(body: Data("{\"jobs\":[]}".utf8), contentType: "application/json", etag: "\"e\"", cacheControl: "public, max-age=600",
                                   storedAt: Date(), expiresAt: Date().addingTimeInterval(600))
        let (k1, k2) = (ResponseCacheKey(tag: "/api/v1/jobs/*", variant: "k1"), ResponseCacheKey(tag: "/api/v1/jobs/*", variant: "k2"))
        let other = ResponseCacheKey(tag: "/api/v1/users/*", variant: "k1")
        try await store.set(k1, entry)
        try await store.set(k2, entry)
        try await store.set(other, entry)
        #expect(try await store.get(k1) == entry)
        try await store.invalidate(tag: "/api/v1/jobs/*")
        #expect(try await store.get(k1) == nil)
        #expect(try await store.get(k2) == nil)
        #expect(try await store.get(other) == entry, "the same variant under another tag is another entry")
        let short = CachedResponse(body: Data(), contentType: nil, etag: "\"s\"", cacheControl: nil, storedAt: Date(),
                                   expiresAt: Date().addingTimeInterval(0.1))
        let k3 = ResponseCacheKey(tag: "/api/v1/jobs/*", variant: "k3")
        try await store.set(k3, short)
        try await Task.sleep(for: .milliseconds(250))
        #expect(try await store.get(k3) == nil, "entries expire in Redis too")
    }
}
