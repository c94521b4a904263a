internal import Foundation
internal import SQLKit

/// Applies migrations in order, each in its own write transaction, recording what was applied.
///
/// Several processes of one region may start at once against the same PostgreSQL database: each
/// step re-reads what is applied inside its transaction, which the database's write lock
/// serialises, so a step is applied exactly once.
struct Migrator {
    let database: any TransactionalDatabase

    /// Applies what is not applied yet; returns the ids this call applied, in order.
    @discardableResult
    func apply(_ migrations: [Migration]) async throws -> [String] {
        // Opening a database only to read it (or a server's maintenance database) leaves no trace.
        guard !migrations.isEmpty else { return [] }
        try await database.write { sql in
            try await sql.raw("CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)").run()
        }
        let engine = database.engine
        let before = try await appliedIDs()
        var applied: [String] = []
        // Each pending step is checked again inside its transaction: another process may have applied it meanwhile.
        for migration in migrations where !before.contains(migration.id) {
            let ran = try await database.write { sql -> Bool in
                guard try await sql.raw("SELECT 1 FROM schema_migrations WHERE id = \(bind: migration.id)").first() == nil else { return false }
                for statement in migration.statements(for: engine) {
                    try await sql.raw(SQLQueryString(statement)).run()
                }
                let now = ISO8601DateFormatter().string(from: Date())
                try await sql.raw("INSERT INTO schema_migrations (id, applied_at) VALUES (\(bind: migration.id), \(bind: now))").run()
                return true
            }
            if ran { applied.append(migration.id) }
        }
        return applied
    }

    func appliedIDs() async throws -> Set<String> {
        guard try await hasTable() else { return [] }
        let rows = try await database.sql.raw("SELECT id FROM schema_migrations").all()
        return Set(try rows.map { try $0.decode(column: "id", as: String.self) })
    }

    /// Whether `schema_migrations` exists: a database nobody migrated yet has none.
    private func hasTable() async throws -> Bool {
        switch database.engine {
        case .sqlite:
            try await database.sql.raw("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").first() != nil
        case .postgres:
            try await database.sql.raw("SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'").first() != nil
        }
    }

    /// Whether every one of `ids` is applied; false when the database does not answer.
    func hasApplied(_ ids: [String]) async -> Bool {
        guard let applied = try? await appliedIDs() else { return false }
        return Set(ids).isSubset(of: applied)
    }
}
