public import JobService
public import Sovereignty

/// A job store that keeps the cell's matching index current: every write (local or replicated)
/// reaches the index after it reaches the database.
public struct IndexingJobStore: JobStore {
    let store: any JobStore
    let index: MatchingIndex

    public init(store: any JobStore, index: MatchingIndex) {
        self.store = store
        self.index = index
    }

    public func upsert(_ job: Job) async throws {
        try await store.upsert(job)
        index.upsert(job)
    }

    public func find(_ id: RegionalID) async throws -> Job? {
        try await store.find(id)
    }

    public func list(_ query: JobQuery) async throws -> [Job] {
        try await store.list(query)
    }
}
