/// One step of a cell's schema, applied once and recorded in `schema_migrations`.
public struct Migration: Sendable, Hashable {
    /// Stable, ordered id such as `users-001`; never renamed once shipped.
    public let id: String
    /// SQL statements, run in order inside one transaction.
    public let statements: [String]

    public init(id: String, statements: [String]) {
        self.id = id
        self.statements = statements
    }
}
