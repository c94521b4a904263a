internal import Foundation
internal import SQLKit

/// Applies migrations in order, each in its own transaction, recording what was applied.
struct Migrator {
    let database: any SQLDatabase

    func apply(_ migrations: [Migration]) async throws {
        try await database.raw("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)
            """).run()
        let applied = try await appliedIDs()
        for migration in migrations where !applied.contains(migration.id) {
            try await database.raw("BEGIN IMMEDIATE").run()
            do {
                for statement in migration.statements {
                    try await database.raw(SQLQueryString(statement)).run()
                }
                let now = ISO8601DateFormatter().string(from: Date())
                try await database.raw("INSERT INTO schema_migrations (id, applied_at) VALUES (\(bind: migration.id), \(bind: now))").run()
                try await database.raw("COMMIT").run()
            } catch {
                try? await database.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    func appliedIDs() async throws -> Set<String> {
        let rows = try await database.raw("SELECT id FROM schema_migrations").all()
        return Set(try rows.map { try $0.decode(column: "id", as: String.self) })
    }
}
