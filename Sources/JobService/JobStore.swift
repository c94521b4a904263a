public import Sovereignty
public import Workforce

/// Filters for listing postings; nil members do not filter.
public struct JobQuery: Sendable, Hashable {
    public var status: Job.Status? = .open
    public var skill: String?
    public var country: String?
    public var prefecture: String?
    public var employmentType: EmploymentType?
    public var originRegion: RegionID?
    /// Words of the title or description, in any order; Japanese and Korean match without spaces
    /// (character bigrams, see ``SearchTokens``), a lone Japanese or Korean character any word
    /// containing it, Latin words also as prefixes; text without letters or digits matches nothing.
    public var text: String?
    public var limit: Int = 50
    /// Only postings listed after this place (a page's ``JobPage/next``).
    public var cursor: JobCursor?

    public init() {}
}

/// A cell's copy of the job catalog: its own postings and replicas of everyone else's.
public protocol JobStore: Sendable {
    /// Inserts or replaces a posting when the given version is newer (replication is idempotent).
    func upsert(_ job: Job) async throws
    func find(_ id: RegionalID) async throws -> Job?
    /// Postings matching the query, last written first (a posting edited or closed moves to the
    /// front), a page at a time. A page may hold fewer than the limit and still have a next one
    /// (see ``SQLJobStore/list(_:)``): a listing ends where ``JobPage/next`` is nil.
    func list(_ query: JobQuery) async throws -> JobPage
}

/// Carries a posting written in its origin cell to every other cell.
public protocol JobReplicator: Sendable {
    func replicate(_ job: Job) async throws
}
