public import SQLKit

extension SQLDatabase {
    /// Deletes the rows whose `column` equals `value` and returns how many it deleted
    /// (`DELETE … RETURNING`, which SQLite and PostgreSQL both speak).
    public func deleteRows(from table: String, where column: String, equals value: String) async throws -> Int {
        try await raw("DELETE FROM \(ident: table) WHERE \(ident: column) = \(bind: value) RETURNING 1 AS deleted").all().count
    }
}
