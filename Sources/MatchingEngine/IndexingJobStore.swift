public import JobService
public import Sovereignty

/// A job store that keeps the cell's matching index current: every write (local or replicated)
/// reaches the index after it reaches the database, then the workers listening for new matches —
/// through the event bus when there is one (every replica hears it, this one included), directly
/// otherwise.
public struct IndexingJobStore: JobStore {
    let store: any JobStore
    let index: MatchingIndex
    let notifier: MatchNotifier?
    let bus: (any JobEventBus)?

    public init(store: any JobStore, index: MatchingIndex, notifier: MatchNotifier? = nil, bus: (any JobEventBus)? = nil) {
        self.store = store
        self.index = index
        self.notifier = notifier
        self.bus = bus
    }

    public func upsert(_ job: Job) async throws {
        try await store.upsert(job)
        index.upsert(job)
        guard let bus else {
            notifier?.indexed(job)
            return
        }
        do {
            try await bus.publish(job)
        } catch {
            // The write stands; this replica's own subscribers still hear of it.
            notifier?.indexed(job)
        }
    }

    /// A posting announced on the bus (by any replica, this one included).
    public func received(_ job: Job) {
        index.upsert(job)
        notifier?.indexed(job)
    }

    public func find(_ id: RegionalID) async throws -> Job? {
        try await store.find(id)
    }

    public func list(_ query: JobQuery) async throws -> JobPage {
        try await store.list(query)
    }
}
