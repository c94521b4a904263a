internal import Foundation
public import SQLKit
public import Sovereignty
public import Storage
internal import ServerKit

/// ``UserStore`` over the cell's SQL database; the profile is kept as a JSON document.
public struct SQLUserStore: UserStore {
    private let database: any TransactionalDatabase

    public init(database: any TransactionalDatabase) {
        self.database = database
    }

    /// The schema of the `users` table.
    public static let migrations: [Migration] = [
        Migration(id: "users-001", statements: [
            """
            CREATE TABLE users (
                id TEXT PRIMARY KEY,
                email TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL,
                home_region TEXT NOT NULL,
                document TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL)
            """,
        ]),
    ]

    public func insert(_ user: User) async throws {
        let document = try Self.encode(user)
        let (id, email, role, home) = (user.id.description, user.email.lowercased(), user.role.rawValue, user.homeRegion.rawValue)
        let (created, updated) = (user.createdAt, user.updatedAt)
        do {
            try await database.write { sql in
                try await sql.raw("""
                    INSERT INTO users (id, email, role, home_region, document, created_at, updated_at)
                    VALUES (\(bind: id), \(bind: email), \(bind: role), \(bind: home), \(bind: document),
                            \(bind: created), \(bind: updated))
                    """).run()
            }
        } catch where "\(error)".contains("UNIQUE constraint failed: users.email") {
            throw UserStoreError.emailTaken
        }
    }

    public func find(_ id: RegionalID) async throws -> User? {
        guard let row = try await database.sql.raw("SELECT document FROM users WHERE id = \(bind: id.description)").first() else {
            return nil
        }
        return try JSONDecoder().decode(User.self, from: Data(try row.decode(column: "document", as: String.self).utf8))
    }

    public func update(_ user: User) async throws {
        let (id, email, document, updated) = (user.id.description, user.email.lowercased(), try Self.encode(user), user.updatedAt)
        do {
            try await database.write { sql in
                try await sql.raw("""
                    UPDATE users SET email = \(bind: email), document = \(bind: document), updated_at = \(bind: updated)
                    WHERE id = \(bind: id)
                    """).run()
            }
        } catch where "\(error)".contains("UNIQUE constraint failed: users.email") {
            throw UserStoreError.emailTaken
        }
    }

    private static func encode(_ user: User) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(user), as: UTF8.self)
    }
}
