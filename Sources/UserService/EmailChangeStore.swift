public import Foundation
public import KeyManagement
public import ServerKit
public import Sovereignty
public import Storage
internal import SQLKit

/// Email changes waiting for their confirmation: the new address (sealed with the person's data
/// key) and a hash of the one-time token sent to it. The address changes only when the token comes
/// back, so nobody can take over an address they cannot read, and the request itself answers alike
/// whether or not the address is registered.
public struct EmailChangeStore: PersonalRecords {
    public static let lifetime: TimeInterval = 24 * 3600
    static let sealContext = "email-change"

    let database: any TransactionalDatabase
    let cipher: PersonalDataCipher
    public var recordKind: String { "email_changes" }

    public init(database: any TransactionalDatabase, cipher: PersonalDataCipher) {
        self.database = database
        self.cipher = cipher
    }

    public static let migrations: [Migration] = [
        Migration(id: "email-changes-001", sqlite: [
            """
            CREATE TABLE email_changes (
                token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, sealed_email BLOB NOT NULL, expires_at TEXT NOT NULL)
            """,
            "CREATE INDEX email_changes_user ON email_changes (user_id)",
        ], postgres: [
            """
            CREATE TABLE email_changes (
                token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, sealed_email BYTEA NOT NULL, expires_at TEXT NOT NULL)
            """,
            "CREATE INDEX email_changes_user ON email_changes (user_id)",
        ]),
    ]

    /// Records a change to `email` for the person, replacing any earlier one; returns the token to send.
    public func start(for person: RegionalID, email: String, now: Date) async throws -> String {
        let token = "ec_" + RandomToken.make(bytes: 32)
        let sealed = try await cipher.seal(Data(email.utf8), subject: person.description, context: Self.sealContext)
        let expires = Timestamps.format(now.addingTimeInterval(Self.lifetime))
        try await database.write { sql in
            try await sql.raw("DELETE FROM email_changes WHERE user_id = \(bind: person.description)").run()
            try await sql.raw("""
                INSERT INTO email_changes (token_hash, user_id, sealed_email, expires_at)
                VALUES (\(bind: RandomToken.digest(token)), \(bind: person.description), \(bind: sealed), \(bind: expires))
                """).run()
        }
        return token
    }

    /// The new address for a token the person holds, removing the pending change; nil for an unknown,
    /// expired or someone else's token.
    public func finish(for person: RegionalID, token: String, now: Date) async throws -> String? {
        let hash = RandomToken.digest(token)
        let row = try await database.write { sql in
            let found = try await sql.raw("""
                SELECT sealed_email, expires_at FROM email_changes WHERE token_hash = \(bind: hash) AND user_id = \(bind: person.description)
                """).first()
            if found != nil { try await sql.raw("DELETE FROM email_changes WHERE token_hash = \(bind: hash)").run() }
            return found
        }
        guard let row, try row.decode(column: "expires_at", as: String.self) > Timestamps.format(now) else { return nil }
        let sealed = try row.decode(column: "sealed_email", as: Data.self)
        return String(decoding: try await cipher.open(sealed, subject: person.description, context: Self.sealContext), as: UTF8.self)
    }

    public func erase(person: RegionalID) async throws -> Int {
        try await database.write { sql in try await sql.deleteRows(from: "email_changes", where: "user_id", equals: person.description) }
    }
}
