import Synchronization
import Testing
@testable import RateLimiting

/// A clock the test moves by hand, in microseconds.
final class ManualClock: Sendable {
    private let value = Mutex<Int64>(1_000_000_000)
    var now: Int64 { value.withLock { $0 } }
    func advance(seconds: Double) { value.withLock { $0 += Int64(seconds * 1_000_000) } }
}

@Suite("GCRA in memory")
struct GCRATests {
    let policy = RateLimitPolicy(name: "p", scope: .ip, limit: 10, periodSeconds: 10, burst: 3)

    @Test func admitsTheBurstThenTheSustainedRate() async throws {
        let clock = ManualClock()
        let store = InMemoryRateLimitStore(now: { clock.now })
        var admitted: [Bool] = []
        for _ in 0..<5 { admitted.append(try await store.acquire(key: "a", policy: policy).allowed) }
        #expect(admitted == [true, true, true, false, false], "burst of 3")
        let rejected = try await store.acquire(key: "a", policy: policy)
        #expect(rejected.retryAfterSeconds == 1)
        #expect(rejected.remaining == 0)
        clock.advance(seconds: 0.999)
        #expect(try await store.acquire(key: "a", policy: policy).allowed == false)
        clock.advance(seconds: 0.001)
        #expect(try await store.acquire(key: "a", policy: policy).allowed == true, "one per second refills")
        #expect(try await store.acquire(key: "a", policy: policy).allowed == false)
        clock.advance(seconds: 100)
        let fresh = try await store.acquire(key: "a", policy: policy)
        #expect(fresh.allowed && fresh.remaining == 2)
        #expect(try await store.acquire(key: "b", policy: policy).allowed, "keys are independent")
    }

    @Test func remainingAndResetCountDown() async throws {
        let clock = ManualClock()
        let store = InMemoryRateLimitStore(now: { clock.now })
        let decisions = try await [1, 2, 3].asyncMap { _ in try await store.acquire(key: "k", policy: policy) }
        #expect(decisions.map(\.remaining) == [2, 1, 0])
        #expect(decisions.map(\.resetSeconds) == [1, 2, 3])
    }

    @Test func isExactUnderConcurrency() async throws {
        let store = InMemoryRateLimitStore()
        let hourly = RateLimitPolicy(name: "h", scope: .user, limit: 50, periodSeconds: 3600, burst: 50)
        let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<1000 { group.addTask { try await store.acquire(key: "u", policy: hourly).allowed } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(admitted == 50)
    }

    @Test func forgetsKeysWhoseTimeHasPassed() async throws {
        let clock = ManualClock()
        let store = InMemoryRateLimitStore(now: { clock.now })
        for index in 0..<10_000 { _ = try await store.acquire(key: "ip\(index)", policy: policy) }
        #expect(store.trackedKeys == 10_000)
        clock.advance(seconds: 60)
        for _ in 0..<10_000 { _ = try await store.acquire(key: "late", policy: policy) }
        #expect(store.trackedKeys == 1, "only the key still limited is kept")
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
