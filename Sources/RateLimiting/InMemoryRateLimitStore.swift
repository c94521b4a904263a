internal import Synchronization

/// Rate limits inside one process: exact, since every decision happens under one lock.
public final class InMemoryRateLimitStore: RateLimitStore {
    private struct State {
        var arrivals: [String: Int64] = [:]
        var decisionsSincePrune = 0
    }

    private let state = Mutex(State())
    private let now: @Sendable () -> Int64

    /// - Parameter now: microseconds on a monotonic clock; injectable for tests.
    public init(now: @escaping @Sendable () -> Int64 = InMemoryRateLimitStore.monotonicMicros) {
        self.now = now
    }

    public func acquire(key: String, policy: RateLimitPolicy) async throws -> RateLimitDecision {
        let now = now()
        let scopedKey = policy.name + "\u{1F}" + key
        return state.withLock { state in
            let (decision, newTAT) = GCRA.evaluate(tat: state.arrivals[scopedKey], now: now, policy: policy)
            if let newTAT { state.arrivals[scopedKey] = newTAT }
            state.decisionsSincePrune += 1
            if state.decisionsSincePrune >= 10_000 {
                // Keys whose arrival time has passed carry no information; drop them to bound memory.
                state.arrivals = state.arrivals.filter { $0.value > now }
                state.decisionsSincePrune = 0
            }
            return decision
        }
    }

    /// Keys currently tracked (for tests and metrics).
    public var trackedKeys: Int { state.withLock { $0.arrivals.count } }

    public static let monotonicMicros: @Sendable () -> Int64 = {
        let elapsed = ContinuousClock.now - start
        return elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
    }

    private static let start = ContinuousClock.now
}
