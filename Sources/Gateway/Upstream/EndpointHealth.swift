internal import Synchronization

/// The health of one region's endpoints: consecutive failures, ejections, and the order to try them in.
final class EndpointHealth: Sendable {
    private struct State {
        var failures: Int = 0
        var ejectedUntil: ContinuousClock.Instant?
        /// Whether the endpoint has answered once (a health check or a request): until then it is
        /// tried, but does not make its upstream ready — a first check still waiting on a process that
        /// was not listening yet must not count as a pass.
        var hasAnswered = false
    }

    let endpoints: [String]
    private let settings: UpstreamSettings
    private let states: Mutex<[State]>
    private let next = Atomic<Int>(0)

    init(endpoints: [String], settings: UpstreamSettings) {
        self.endpoints = endpoints
        self.settings = settings
        states = Mutex(Array(repeating: State(), count: endpoints.count))
    }

    /// Endpoints in rotation, starting from the next one round-robin; ejected ones whose time is up
    /// come back on probation.
    func candidates(now: ContinuousClock.Instant = .now) -> [Int] {
        let start = next.wrappingAdd(1, ordering: .relaxed).oldValue
        let available = states.withLock { states in
            states.indices.filter { index in
                guard let until = states[index].ejectedUntil else { return true }
                if until <= now {
                    states[index].ejectedUntil = nil
                    states[index].failures = settings.ejectAfterFailures - 1
                    return true
                }
                return false
            }
        }
        guard !available.isEmpty else { return [] }
        let offset = ((start % available.count) + available.count) % available.count
        return Array(available[offset...] + available[..<offset])
    }

    func succeeded(_ index: Int) {
        states.withLock { $0[index] = State(hasAnswered: true) }
    }

    /// Counts a failure; the endpoint is ejected once it has failed often enough in a row.
    func failed(_ index: Int, now: ContinuousClock.Instant = .now) {
        states.withLock { states in
            states[index].failures += 1
            if states[index].failures >= settings.ejectAfterFailures {
                states[index].ejectedUntil = now + settings.ejectionDuration
            }
        }
    }

    /// A health check's verdict: a healthy endpoint rejoins at once, an unhealthy one leaves.
    func checked(_ index: Int, healthy: Bool, now: ContinuousClock.Instant = .now) {
        states.withLock { states in
            if healthy {
                states[index] = State(hasAnswered: true)
            } else {
                states[index].failures = max(states[index].failures, settings.ejectAfterFailures)
                states[index].ejectedUntil = now + settings.ejectionDuration
            }
        }
    }

    func isEjected(_ index: Int) -> Bool {
        states.withLock { $0[index].ejectedUntil != nil }
    }

    /// Whether the endpoint has answered and is not ejected: what readiness counts.
    func isServing(_ index: Int) -> Bool {
        states.withLock { $0[index].hasAnswered && $0[index].ejectedUntil == nil }
    }
}
