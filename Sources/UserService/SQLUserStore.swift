internal import Foundation
internal import Crypto
public import KeyManagement
internal import SQLKit
public import Sovereignty
public import Storage
internal import ServerKit

/// ``UserStore`` over the cell's SQL database. A person's record (email, name, profile) and password
/// hash are sealed with their own data key; the email is found through a blind index. What stays in
/// the clear is what routing and housekeeping need: id, role, home region and timestamps.
public struct SQLUserStore: UserStore {
    private let database: any TransactionalDatabase
    private let cipher: PersonalDataCipher
    private let emails: BlindIndex

    public init(database: any TransactionalDatabase, cipher: PersonalDataCipher, emails: BlindIndex) {
        self.database = database
        self.cipher = cipher
        self.emails = emails
    }

    /// The context a person's record is sealed under (with their id as the subject).
    public static let documentContext = "users.document"
    static let passwordContext = "users.password_hash"

    /// The schema of the `users` table.
    public static let migrations: [Migration] = [
        Migration(id: "users-001", sqlite: [
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
        ], postgres: [
            // PostgreSQL databases start at the shape the SQLite files reached by users-003.
            """
            CREATE TABLE users (
                id TEXT PRIMARY KEY,
                email_index TEXT NOT NULL UNIQUE,
                role TEXT NOT NULL,
                home_region TEXT NOT NULL,
                sealed_document TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                sealed_password_hash TEXT)
            """,
        ]),
        // The hash lives outside the JSON document so no read of a profile can ever return it.
        Migration(id: "users-002", sqlite: ["ALTER TABLE users ADD COLUMN password_hash TEXT"], postgres: []),
        // Records are sealed per person from here on; rows written before are sealed at open.
        Migration(id: "users-003", sqlite: [
            "ALTER TABLE users RENAME COLUMN email TO email_index",
            "ALTER TABLE users RENAME COLUMN document TO sealed_document",
            "ALTER TABLE users RENAME COLUMN password_hash TO sealed_password_hash",
        ], postgres: []),
    ]

    public func insert(_ user: User, passwordHash: String?) async throws {
        let subject = user.id.description
        let key = try await cipher.vault.key(creatingFor: subject)
        let document = try Self.seal(try Self.encode(user), key: key, subject: subject, context: Self.documentContext)
        let password = try passwordHash.map { try Self.seal(Data($0.utf8), key: key, subject: subject, context: Self.passwordContext) }
        let (email, role, home) = (emails.index(user.email.lowercased()), user.role.rawValue, user.homeRegion.rawValue)
        let (created, updated) = (user.createdAt, user.updatedAt)
        do {
            try await database.write { sql in
                try await sql.raw("""
                    INSERT INTO users (id, email_index, role, home_region, sealed_document, created_at, updated_at, sealed_password_hash)
                    VALUES (\(bind: subject), \(bind: email), \(bind: role), \(bind: home), \(bind: document),
                            \(bind: created), \(bind: updated), \(bind: password))
                    """).run()
            }
        } catch where isUniqueViolation(error, constraint: "email_index") {
            throw UserStoreError.emailTaken
        }
    }

    public func find(_ id: RegionalID) async throws -> User? {
        guard let row = try await database.reads.raw("SELECT sealed_document FROM users WHERE id = \(bind: id.description)").first() else {
            return nil
        }
        return try await open(row, subject: id.description)
    }

    public func credentials(email: String) async throws -> (user: User, passwordHash: String)? {
        guard let row = try await database.sql.raw("""
            SELECT id, sealed_document, sealed_password_hash FROM users WHERE email_index = \(bind: emails.index(email.lowercased()))
            """).first(),
              !(try row.decodeNil(column: "sealed_password_hash")) else { return nil }
        let subject = try row.decode(column: "id", as: String.self)
        let key = try await cipher.vault.key(for: subject)
        let user = try Self.open(row, key: key, subject: subject)
        let sealed = try Self.base64(try row.decode(column: "sealed_password_hash", as: String.self))
        let hash = String(decoding: try PersonalDataCipher.open(sealed, key: key, subject: subject, context: Self.passwordContext), as: UTF8.self)
        return (user, hash)
    }

    public func isRegistered(email: String) async throws -> Bool {
        try await database.sql.raw("SELECT 1 FROM users WHERE email_index = \(bind: emails.index(email.lowercased()))").first() != nil
    }

    public func update(_ user: User) async throws {
        let subject = user.id.description
        let key = try await cipher.vault.key(creatingFor: subject)
        let document = try Self.seal(try Self.encode(user), key: key, subject: subject, context: Self.documentContext)
        let (email, updated) = (emails.index(user.email.lowercased()), user.updatedAt)
        do {
            try await database.write { sql in
                try await sql.raw("""
                    UPDATE users SET email_index = \(bind: email), sealed_document = \(bind: document), updated_at = \(bind: updated)
                    WHERE id = \(bind: subject)
                    """).run()
            }
        } catch where "\(error)".contains("UNIQUE constraint failed: users.email_index") {
            throw UserStoreError.emailTaken
        }
    }

    public func erase(_ id: RegionalID) async throws -> Bool {
        // The key first: once it is gone, the row and every copy of it are unreadable, whatever happens next.
        let hadKey = try await cipher.vault.destroy(subject: id.description)
        let hadRow = try await database.write { sql in try await sql.deleteRows(from: "users", where: "id", equals: id.description) > 0 }
        return hadKey || hadRow
    }

    /// Seals rows written before records were sealed (plain JSON documents and hashes, plain emails).
    /// Returns how many rows it sealed.
    @discardableResult
    public func sealPlaintextRows() async throws -> Int {
        let rows = try await database.sql.raw(
            "SELECT id, sealed_document, sealed_password_hash FROM users WHERE sealed_document LIKE '{%'").all()
        for row in rows {
            let subject = try row.decode(column: "id", as: String.self)
            let plain = try row.decode(column: "sealed_document", as: String.self)
            let user = try JSONDecoder().decode(User.self, from: Data(plain.utf8))
            let key = try await cipher.vault.key(creatingFor: subject)
            let document = try Self.seal(Data(plain.utf8), key: key, subject: subject, context: Self.documentContext)
            let password = try (try row.decodeNil(column: "sealed_password_hash") ? nil
                : row.decode(column: "sealed_password_hash", as: String.self)).map {
                    try Self.seal(Data($0.utf8), key: key, subject: subject, context: Self.passwordContext)
                }
            let email = emails.index(user.email.lowercased())
            try await database.write { sql in
                try await sql.raw("""
                    UPDATE users SET email_index = \(bind: email), sealed_document = \(bind: document),
                        sealed_password_hash = \(bind: password) WHERE id = \(bind: subject)
                    """).run()
            }
        }
        return rows.count
    }

    /// One key fetch per person and call: the sealed fields of a row share it.
    private static func seal(_ data: Data, key: SymmetricKey, subject: String, context: String) throws -> String {
        try PersonalDataCipher.seal(data, key: key, subject: subject, context: context).base64EncodedString()
    }

    private func open(_ row: any SQLRow, subject: String) async throws -> User {
        try Self.open(row, key: try await cipher.vault.key(for: subject), subject: subject)
    }

    private static func open(_ row: any SQLRow, key: SymmetricKey, subject: String) throws -> User {
        let sealed = try base64(try row.decode(column: "sealed_document", as: String.self))
        return try JSONDecoder().decode(User.self, from: try PersonalDataCipher.open(sealed, key: key, subject: subject, context: documentContext))
    }

    private static func base64(_ text: String) throws -> Data {
        guard let data = Data(base64Encoded: text) else { throw KeyManagementError.unreadable("a sealed column is not base64") }
        return data
    }

    private static func encode(_ user: User) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try encoder.encode(user)
    }
}
