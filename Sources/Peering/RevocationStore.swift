public import Storage
internal import Foundation
internal import ServerKit
internal import SQLKit

/// People erased in another region, whose tokens this region refuses: kept in the cell's database so
/// a restart still refuses them (the revocation list is rebuilt from it and from the cell's own
/// destroyed data keys). Only the pseudonymous ids are kept.
public struct RevocationStore: Sendable {
    let database: any TransactionalDatabase

    public init(database: any TransactionalDatabase) {
        self.database = database
    }

    public static let migrations: [Migration] = [
        Migration(id: "revocations-001", statements: [
            "CREATE TABLE revoked_elsewhere (subject TEXT PRIMARY KEY, revoked_at TEXT NOT NULL)",
        ]),
    ]

    public func record(_ subject: String) async throws {
        let now = Timestamps.format(Date())
        try await database.write { sql in
            try await sql.raw("""
                INSERT INTO revoked_elsewhere (subject, revoked_at) VALUES (\(bind: subject), \(bind: now)) ON CONFLICT (subject) DO NOTHING
                """).run()
        }
    }

    public func all() async throws -> [String] {
        try await database.sql.raw("SELECT subject FROM revoked_elsewhere").all().map { try $0.decode(column: "subject", as: String.self) }
    }
}
