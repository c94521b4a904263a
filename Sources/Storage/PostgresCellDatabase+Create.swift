public import Logging
internal import PostgresKit
internal import SQLKit

extension PostgresCellDatabase {
    /// Creates the location's database when the server does not have it yet, connecting to the
    /// server's `postgres` database to do so (the user needs `CREATEDB`). Returns whether it created it.
    ///
    /// The name cannot be a bound parameter in `CREATE DATABASE`; ``PostgresLocation`` admits only
    /// letters, digits and `_`, so it is safe to write into the statement.
    @discardableResult
    public static func createIfMissing(_ location: PostgresLocation, logger: Logger) async throws -> Bool {
        let maintenance = try await PostgresCellDatabase.open(location: try location.with(database: "postgres"), migrations: [], logger: logger)
        do {
            let exists = try await maintenance.sql.raw("SELECT 1 FROM pg_database WHERE datname = \(bind: location.database)").first() != nil
            if !exists {
                do {
                    try await maintenance.sql.raw("CREATE DATABASE \(unsafeRaw: location.database)").run()
                } catch where isUniqueViolation(error, constraint: "pg_database_datname_index") {
                    // Another process of the region created it at the same moment.
                }
            }
            try await maintenance.close()
            return !exists
        } catch {
            try? await maintenance.close()
            throw error
        }
    }
}
