public import JobService
public import Sovereignty

/// Where the matching engine reads a ranked posting's text (the index holds none): the cell's job
/// store in one process, the engine's followed copy of the catalog when it runs apart.
public protocol PostingLookup: Sendable {
    func find(_ id: RegionalID) async throws -> Job?
}

extension IndexingJobStore: PostingLookup {}
