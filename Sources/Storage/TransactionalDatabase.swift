public import SQLKit

/// A database that stores query through `sql` and write through ``write(_:)``, so a write of
/// several statements is atomic and never interleaves with another write of the same database.
///
/// This is the seam between the services' stores and a driver: a SQLite file per cell, or a
/// PostgreSQL database per region, where a transaction takes a pooled connection of its own.
public protocol TransactionalDatabase: Sendable {
    /// Which SQL the database speaks, for the few statements that differ.
    var engine: SQLEngine { get }
    /// For reads and single statements, on the primary.
    var sql: any SQLDatabase { get }
    /// For reads that may lag the last writes by up to the replica bound (a profile, a posting, a
    /// search): a replica where there is one, the primary otherwise and for a caller who just wrote.
    var reads: any SQLDatabase { get }
    /// Runs the body in one transaction, committed when it returns and rolled back when it throws.
    func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
}

extension TransactionalDatabase {
    /// Without replicas, reads go where everything goes.
    public var reads: any SQLDatabase { sql }
}
