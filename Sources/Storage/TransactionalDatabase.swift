public import SQLKit

/// A database that stores query through `sql` and write through ``write(_:)``, so a write of
/// several statements is atomic and never interleaves with another write.
///
/// This is the seam between the services' stores and a driver: SQLite per cell today, a PostgreSQL
/// pool (where a transaction takes a connection of its own) later.
public protocol TransactionalDatabase: Sendable {
    /// For reads and single statements.
    var sql: any SQLDatabase { get }
    /// Runs the body in one transaction, committed when it returns and rolled back when it throws.
    func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
}
