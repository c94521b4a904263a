/// The database engines a cell's stores run on. Statements are portable SQL wherever the two agree;
/// a store asks the engine only where they do not (full-text search, a few types in migrations).
public enum SQLEngine: String, Sendable, CaseIterable {
    /// The embedded default: a file per region.
    case sqlite
    /// Production: a database per region on a PostgreSQL server, directly or through PgBouncer.
    case postgres
}
