/// One step of a cell's schema, applied once and recorded in `schema_migrations`.
///
/// Most steps are the same SQL on both engines. Where they differ (types such as `BLOB` and
/// `BYTEA`, SQLite's FTS5 and PostgreSQL's `tsvector`), a step carries each engine's statements.
/// A step may be empty on one engine: PostgreSQL databases started at a later schema than the
/// first SQLite files, so the renames that brought old files there have nothing to do on it.
public struct Migration: Sendable, Hashable {
    /// Stable, ordered id such as `users-001`; never renamed once shipped.
    public let id: String
    private let sqlite: [String]
    private let postgres: [String]

    /// A step whose statements both engines run as written.
    public init(id: String, statements: [String]) {
        self.init(id: id, sqlite: statements, postgres: statements)
    }

    /// A step written for each engine.
    public init(id: String, sqlite: [String], postgres: [String]) {
        self.id = id
        self.sqlite = sqlite
        self.postgres = postgres
    }

    /// The statements to run, in order inside one transaction, on `engine`.
    public func statements(for engine: SQLEngine) -> [String] {
        switch engine {
        case .sqlite: sqlite
        case .postgres: postgres
        }
    }
}
