public import JobService
public import Sovereignty

/// A job store that keeps the cell's matching index current: every write (local or replicated)
/// reaches the index after it reaches the database, then the workers listening for new matches.
public struct IndexingJobStore: JobStore {
    let store: any JobStore
    let index: MatchingIndex
    let notifier: MatchNotifier?

    public init(store: any JobStore, index: MatchingIndex, notifier: MatchNotifier? = nil) {
        self.store = store
        self.index = index
        self.notifier = notifier
    }

    public func upsert(_ job: Job) async throws {
        try await store.upsert(job)
        index.upsert(job)
        notifier?.indexed(job)
    }

    public func find(_ id: RegionalID) async throws -> Job? {
        try await store.find(id)
    }

    public func list(_ query: JobQuery) async throws -> [Job] {
        try await store.list(query)
    }
}
