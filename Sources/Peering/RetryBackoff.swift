internal import Synchronization
public import Sovereignty

/// When to try a region again after a failed delivery: 1 s, doubling to a ceiling.
final class RetryBackoff: Sendable {
    let ceiling: Duration
    private let state = Mutex<[RegionID: (delay: Duration, until: ContinuousClock.Instant)]>([:])

    init(ceiling: Duration) {
        self.ceiling = ceiling
    }

    /// Whether `region` may be tried now.
    func isDue(_ region: RegionID) -> Bool {
        state.withLock { $0[region].map { $0.until <= .now } ?? true }
    }

    /// Whether some region's wait is over (a reason to wake up and try).
    var anyDue: Bool {
        state.withLock { state in state.values.contains { $0.until <= .now } }
    }

    func succeeded(_ region: RegionID) {
        state.withLock { $0[region] = nil }
    }

    /// Records a failure; the wait before the next try.
    func failed(_ region: RegionID) -> Duration {
        state.withLock { state in
            let delay = min(ceiling, (state[region]?.delay ?? .milliseconds(500)) * 2)
            state[region] = (delay, .now + delay)
            return delay
        }
    }
}

extension Duration {
    /// Whole milliseconds, for log metadata.
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
