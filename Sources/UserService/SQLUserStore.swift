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
        // The hash lives outside the JSON document so no read of a profile can ever return it.
        Migration(id: "users-002", statements: ["ALTER TABLE users ADD COLUMN password_hash TEXT"]),
    ]

    public func insert(_ user: User, passwordHash: String?) async throws {
        let document = try Self.encode(user)
        let (id, email, role, home) = (user.id.description, user.email.lowercased(), user.role.rawValue, user.homeRegion.rawValue)
        let (created, updated) = (user.createdAt, user.updatedAt)
        do {
            try await database.write { sql in
                try await sql.raw("""
                    INSERT INTO users (id, email, role, home_region, document, created_at, updated_at, password_hash)
                    VALUES (\(bind: id), \(bind: email), \(bind: role), \(bind: home), \(bind: document),
                            \(bind: created), \(bind: updated), \(bind: passwordHash))
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

    public func credentials(email: String) async throws -> (user: User, passwordHash: String)? {
        guard let row = try await database.sql.raw(
            "SELECT document, password_hash FROM users WHERE email = \(bind: email.lowercased())").first(),
              let hash = try row.decodeNil(column: "password_hash") ? nil : row.decode(column: "password_hash", as: String.self)
        else { return nil }
        let user = try JSONDecoder().decode(User.self, from: Data(try row.decode(column: "document", as: String.self).utf8))
        return (user, hash)
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
