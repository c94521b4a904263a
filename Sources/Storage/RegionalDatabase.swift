/// A cell's database as its owner sees it: the stores' ``TransactionalDatabase`` plus what opening,
/// readiness and shutdown need. SQLite (``SQLiteCellDatabase``) and PostgreSQL
/// (``PostgresCellDatabase``) each implement it.
public protocol RegionalDatabase: TransactionalDatabase {
    /// Whether the database answers and every migration it was opened with is applied.
    func isReady() async -> Bool
    /// Ends the connections; the data stays.
    func close() async throws
    /// The read replicas' last measured lag (none for SQLite).
    func replicaStatuses() -> [ReplicaStatus]
}

extension RegionalDatabase {
    public func replicaStatuses() -> [ReplicaStatus] { [] }

    /// Applies the migrations not applied yet, each once even when several processes start
    /// together; returns the ids this call applied.
    public func migrate(_ migrations: [Migration]) async throws -> [String] {
        try await Migrator(database: self).apply(migrations)
    }
}
