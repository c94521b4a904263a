internal import PostgresNIO

/// Whether a store's write failed on a `UNIQUE` constraint, on either engine: SQLite reports it
/// in its message, PostgreSQL by SQLSTATE 23505.
public func isUniqueViolation(_ error: any Error, constraint: String) -> Bool {
    if let error = error as? PSQLError {
        return error.serverInfo?[.sqlState] == "23505" && (error.serverInfo?[.constraintName]?.contains(constraint) ?? false)
    }
    return "\(error)".contains("UNIQUE constraint failed") && "\(error)".contains(constraint)
}
