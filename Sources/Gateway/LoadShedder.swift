internal import Synchronization

/// Bounds the requests in progress: past the bound the gateway answers 503 with `Retry-After` at once
/// instead of letting queues (and latency for everyone) grow.
public final class LoadShedder: Sendable {
    public let limit: Int
    private let inFlight = Atomic<Int>(0)

    public init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot; false when none is free (nothing is taken then).
    public func enter() -> Bool {
        let now = inFlight.wrappingAdd(1, ordering: .acquiring).newValue
        if now > limit {
            inFlight.wrappingSubtract(1, ordering: .releasing)
            return false
        }
        return true
    }

    public func leave() {
        inFlight.wrappingSubtract(1, ordering: .releasing)
    }

    public var current: Int { inFlight.load(ordering: .relaxed) }
}
