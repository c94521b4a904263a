public import Foundation
internal import SQLKit
public import Sovereignty
public import Storage
public import ServerKit

/// A person's consent to a transfer: to which jurisdiction, for what, and the notice they were shown.
public struct Consent: Codable, Sendable, Hashable {
    public let id: String
    public let userID: RegionalID
    /// The destination jurisdiction (`JP`, `KR`, `EU`…).
    public let destination: String
    public let purpose: String
    public let noticeVersion: String
    /// The notice exactly as shown when the consent was given.
    public let noticeText: String
    /// The form of consent given: the one the home jurisdiction's law requires, when it was recorded.
    public let kind: ConsentKind
    public let givenAt: String
    public var withdrawnAt: String?

    public var isActive: Bool { withdrawnAt == nil }

    public init(id: String, userID: RegionalID, destination: String, purpose: String, noticeVersion: String, noticeText: String,
                kind: ConsentKind, givenAt: String, withdrawnAt: String? = nil) {
        self.id = id
        self.userID = userID
        self.destination = destination
        self.purpose = purpose
        self.noticeVersion = noticeVersion
        self.noticeText = noticeText
        self.kind = kind
        self.givenAt = givenAt
        self.withdrawnAt = withdrawnAt
    }

    enum CodingKeys: String, CodingKey {
        case id, destination, purpose, kind
        case userID = "user_id"
        case noticeVersion = "notice_version"
        case noticeText = "notice_text"
        case givenAt = "given_at"
        case withdrawnAt = "withdrawn_at"
    }
}

/// Consents, kept in the person's home cell.
public struct ConsentStore: PersonalRecords {
    let database: any TransactionalDatabase

    public init(database: any TransactionalDatabase) {
        self.database = database
    }

    public static let migrations: [Migration] = [
        Migration(id: "consents-001", statements: [
            """
            CREATE TABLE consents (
                id TEXT PRIMARY KEY, user_id TEXT NOT NULL, destination TEXT NOT NULL, purpose TEXT NOT NULL,
                notice_version TEXT NOT NULL, notice_text TEXT NOT NULL, given_at TEXT NOT NULL, withdrawn_at TEXT)
            """,
            "CREATE INDEX consents_user ON consents (user_id, destination, purpose)",
        ]),
        // Consents given before their form was recorded are `unrecorded`: no evidence until given again.
        Migration(id: "consents-002", statements: ["ALTER TABLE consents ADD COLUMN kind TEXT NOT NULL DEFAULT 'unrecorded'"]),
    ]

    public func insert(_ consent: Consent) async throws {
        try await database.write { sql in
            try await sql.raw("""
                INSERT INTO consents (id, user_id, destination, purpose, notice_version, notice_text, kind, given_at, withdrawn_at)
                VALUES (\(bind: consent.id), \(bind: consent.userID.description), \(bind: consent.destination), \(bind: consent.purpose),
                        \(bind: consent.noticeVersion), \(bind: consent.noticeText), \(bind: consent.kind.rawValue), \(bind: consent.givenAt),
                        \(bind: consent.withdrawnAt))
                """).run()
        }
    }

    /// A person's consents, newest first.
    public func list(for user: RegionalID) async throws -> [Consent] {
        try await database.sql.raw("""
            SELECT * FROM consents WHERE user_id = \(bind: user.description) ORDER BY given_at DESC, id
            """).all().map(Self.decode)
    }

    /// The person's consent in force for a destination and purpose, if any.
    public func active(for user: RegionalID, destination: String, purpose: String) async throws -> Consent? {
        try await database.sql.raw("""
            SELECT * FROM consents WHERE user_id = \(bind: user.description) AND destination = \(bind: destination)
              AND purpose = \(bind: purpose) AND withdrawn_at IS NULL ORDER BY given_at DESC LIMIT 1
            """).first().map(Self.decode)
    }

    /// Everyone's consents in force for a destination and purpose, one per person (the newest).
    public func active(destination: String, purpose: String) async throws -> [Consent] {
        var seen = Set<String>()
        return try await database.sql.raw("""
            SELECT * FROM consents WHERE destination = \(bind: destination) AND purpose = \(bind: purpose)
              AND withdrawn_at IS NULL ORDER BY user_id, given_at DESC
            """).all().map(Self.decode).filter { seen.insert($0.userID.description).inserted }
    }

    /// Everyone's consents in force for a purpose, whatever the destination.
    public func active(purpose: String) async throws -> [Consent] {
        try await database.sql.raw("""
            SELECT * FROM consents WHERE purpose = \(bind: purpose) AND withdrawn_at IS NULL ORDER BY user_id, given_at DESC
            """).all().map(Self.decode)
    }

    /// Withdraws one of the person's consents; nil when they have no such consent.
    public func withdraw(_ id: String, of user: RegionalID, at: String) async throws -> Consent? {
        try await database.write { sql in
            guard let row = try await sql.raw("SELECT * FROM consents WHERE id = \(bind: id) AND user_id = \(bind: user.description)").first() else {
                return nil
            }
            var consent = try Self.decode(row)
            guard consent.isActive else { return consent }
            try await sql.raw("UPDATE consents SET withdrawn_at = \(bind: at) WHERE id = \(bind: id)").run()
            consent.withdrawnAt = at
            return consent
        }
    }

    public var recordKind: String { "consents" }

    /// Deletes the person's consents (the audit log keeps the events, by id only).
    public func erase(person: RegionalID) async throws -> Int {
        try await database.write { sql in try await sql.deleteRows(from: "consents", where: "user_id", equals: person.description) }
    }

    static func decode(_ row: any SQLRow) throws -> Consent {
        guard let user = RegionalID(try row.decode(column: "user_id", as: String.self)) else {
            throw SovereigntyError(.malformedIdentifier, "stored consent has a malformed user id")
        }
        return Consent(
            id: try row.decode(column: "id", as: String.self), userID: user,
            destination: try row.decode(column: "destination", as: String.self), purpose: try row.decode(column: "purpose", as: String.self),
            noticeVersion: try row.decode(column: "notice_version", as: String.self),
            noticeText: try row.decode(column: "notice_text", as: String.self),
            kind: ConsentKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .unrecorded,
            givenAt: try row.decode(column: "given_at", as: String.self),
            withdrawnAt: try row.decode(column: "withdrawn_at", as: String?.self))
    }
}
