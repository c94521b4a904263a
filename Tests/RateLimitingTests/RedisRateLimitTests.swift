import Synchronization
import Foundation
import Logging
import RedisClient
import Testing
@testable import RateLimiting

enum TestRedis {
    static let url = ProcessInfo.processInfo.environment["IWORKZ_TEST_REDIS_URL"]
    static var isAvailable: Bool { url != nil }
}

@Suite("GCRA in Redis",
       .enabled(if: TestRedis.isAvailable, "IWORKZ_TEST_REDIS_URL is not set: start redis-server (scripts/test.sh does)"))
struct RedisRateLimitTests {
    /// Three gateway replicas, each with its own client and connections, share one Redis.
    @Test func threeReplicasTogetherAdmitExactlyTheLimit() async throws {
        let configuration = try RedisConfiguration(url: TestRedis.url!)
        let replicas = (0..<3).map { _ in RedisRateLimitStore(client: RedisClient(configuration: configuration)) }
        let policy = RateLimitPolicy(name: "exact-\(UUID().uuidString)", scope: .user, limit: 100, periodSeconds: 3600, burst: 100)
        let started = ContinuousClock.now
        let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<900 {
                let store = replicas[index % 3]
                group.addTask { try await store.acquire(key: "user-1", policy: policy).allowed }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(admitted == 100, "admitted \(admitted) of 900 with a limit of 100")
        let next = try await replicas[0].acquire(key: "user-1", policy: policy)
        #expect(!next.allowed)
        // One request per 36 s after the burst, less the seconds the burst took (measured, not guessed:
        // a loaded machine running suites in parallel took 12 s for it), give or take a second of rounding.
        let elapsed = Int((ContinuousClock.now - started).components.seconds)
        #expect((36 - elapsed - 1...36).contains(next.retryAfterSeconds), "retry after \(next.retryAfterSeconds) s, \(elapsed) s after the burst began")
    }

    @Test func refillsAtTheSustainedRate() async throws {
        let client = RedisClient(configuration: try RedisConfiguration(url: TestRedis.url!))
        #expect(try await client.ping(), "warm the connection so set-up time does not count")
        let store = RedisRateLimitStore(client: client)
        // One token every 3 s: the third request is refused unless 3 s pass between the first and the
        // third (a 1-second period was not enough on a loaded CI machine running suites in parallel).
        let policy = RateLimitPolicy(name: "refill-\(UUID().uuidString)", scope: .ip, limit: 1, periodSeconds: 3, burst: 2)
        let started = ContinuousClock.now
        #expect(try await store.acquire(key: "ip", policy: policy).allowed)
        #expect(try await store.acquire(key: "ip", policy: policy).allowed)
        let third = try await store.acquire(key: "ip", policy: policy)
        // A machine loaded enough to take 3 s for three round trips has earned the third a token.
        if ContinuousClock.now - started < .seconds(3) {
            #expect(third.allowed == false)
        }
        try await Task.sleep(for: .milliseconds(3050))
        #expect(try await store.acquire(key: "ip", policy: policy).allowed, "a token every 3 seconds")
    }

    @Test func fallsBackToTheLocalLimitWhenRedisIsDown() async throws {
        var configuration = try RedisConfiguration(url: "redis://127.0.0.1:1")
        configuration.connectTimeout = .milliseconds(200)
        let capture = LogLines()
        let logger = Logger(label: "test") { _ in capture.handler }
        let local = InMemoryRateLimitStore()
        let store = FallbackRateLimitStore(
            primary: RedisRateLimitStore(client: RedisClient(configuration: configuration)), fallback: local, mode: .local, logger: logger)
        let policy = RateLimitPolicy(name: "fb", scope: .ip, limit: 3, periodSeconds: 3600, burst: 3)
        var admitted = 0
        for _ in 0..<10 where try await store.acquire(key: "ip", policy: policy).allowed { admitted += 1 }
        #expect(admitted == 3, "the local limit still holds")
        #expect(store.isDegraded)
        #expect(capture.count == 1, "the failure is logged once, not per request")

        let closed = FallbackRateLimitStore(
            primary: RedisRateLimitStore(client: RedisClient(configuration: configuration)), fallback: local, mode: .closed, logger: logger)
        #expect(try await closed.acquire(key: "other", policy: policy).allowed == false)
        let open = FallbackRateLimitStore(
            primary: RedisRateLimitStore(client: RedisClient(configuration: configuration)), fallback: local, mode: .open, logger: logger)
        #expect(try await open.acquire(key: "ip", policy: policy).allowed == true)
    }
}

/// Counts log events.
final class LogLines: Sendable {
    private let lines = Mutex<Int>(0)
    var count: Int { lines.withLock { $0 } }

    var handler: some LogHandler { CountingHandler(owner: self) }

    fileprivate func add() { lines.withLock { $0 += 1 } }

    struct CountingHandler: LogHandler {
        let owner: LogLines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { owner.add() }
    }
}
