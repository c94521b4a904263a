public import Foundation
public import SQLKit
public import Storage
public import ServerKit
public import Sovereignty

/// Authorization codes and refresh tokens in the cell's database (see ``GrantStore``).
public struct SQLGrantStore: GrantStore {
    private let database: any TransactionalDatabase

    public init(database: any TransactionalDatabase) {
        self.database = database
    }

    public static let migrations: [Migration] = [
        Migration(id: "oauth-001", sqlite: [
            """
            CREATE TABLE oauth_codes (
                code_digest TEXT PRIMARY KEY, client_id TEXT NOT NULL, user_id TEXT NOT NULL, redirect_uri TEXT NOT NULL,
                code_challenge TEXT NOT NULL, scope TEXT NOT NULL, expires_at REAL NOT NULL, used INTEGER NOT NULL DEFAULT 0,
                family_id TEXT)
            """,
            """
            CREATE TABLE oauth_refresh_tokens (
                token_digest TEXT PRIMARY KEY, family_id TEXT NOT NULL, client_id TEXT NOT NULL, user_id TEXT NOT NULL,
                scope TEXT NOT NULL, expires_at REAL NOT NULL, used INTEGER NOT NULL DEFAULT 0, revoked INTEGER NOT NULL DEFAULT 0)
            """,
            "CREATE INDEX oauth_refresh_tokens_family ON oauth_refresh_tokens (family_id)",
        ], postgres: [
            """
            CREATE TABLE oauth_codes (
                code_digest TEXT PRIMARY KEY, client_id TEXT NOT NULL, user_id TEXT NOT NULL, redirect_uri TEXT NOT NULL,
                code_challenge TEXT NOT NULL, scope TEXT NOT NULL, expires_at DOUBLE PRECISION NOT NULL, used BIGINT NOT NULL DEFAULT 0,
                family_id TEXT)
            """,
            """
            CREATE TABLE oauth_refresh_tokens (
                token_digest TEXT PRIMARY KEY, family_id TEXT NOT NULL, client_id TEXT NOT NULL, user_id TEXT NOT NULL,
                scope TEXT NOT NULL, expires_at DOUBLE PRECISION NOT NULL, used BIGINT NOT NULL DEFAULT 0, revoked BIGINT NOT NULL DEFAULT 0)
            """,
            "CREATE INDEX oauth_refresh_tokens_family ON oauth_refresh_tokens (family_id)",
        ]),
    ]

    public func saveCode(_ code: String, _ grant: Grant.Code, expiresAt: Date) async throws {
        let values = (RandomToken.digest(code), grant.clientID, grant.userID, grant.redirectURI, grant.challenge, grant.scope,
                      expiresAt.timeIntervalSince1970)
        try await database.write { sql in
            try await sql.raw("""
                INSERT INTO oauth_codes (code_digest, client_id, user_id, redirect_uri, code_challenge, scope, expires_at)
                VALUES (\(bind: values.0), \(bind: values.1), \(bind: values.2), \(bind: values.3), \(bind: values.4),
                        \(bind: values.5), \(bind: values.6))
                """).run()
        }
    }

    public func redeemCode(_ code: String, familyID: String, now: Date) async throws -> Grant.Redemption<Grant.Code> {
        let digest = RandomToken.digest(code)
        return try await database.write { sql in
            guard let row = try await sql.raw("SELECT * FROM oauth_codes WHERE code_digest = \(bind: digest)").first() else {
                return .invalid
            }
            if try row.decode(column: "used", as: Int.self) != 0 {
                if let family = try? row.decode(column: "family_id", as: String.self) {
                    try await sql.raw("UPDATE oauth_refresh_tokens SET revoked = 1 WHERE family_id = \(bind: family)").run()
                }
                return .reused
            }
            guard try row.decode(column: "expires_at", as: Double.self) > now.timeIntervalSince1970 else { return .invalid }
            try await sql.raw("UPDATE oauth_codes SET used = 1, family_id = \(bind: familyID) WHERE code_digest = \(bind: digest)").run()
            return .valid(Grant.Code(
                clientID: try row.decode(column: "client_id", as: String.self), userID: try row.decode(column: "user_id", as: String.self),
                redirectURI: try row.decode(column: "redirect_uri", as: String.self),
                challenge: try row.decode(column: "code_challenge", as: String.self), scope: try row.decode(column: "scope", as: String.self)))
        }
    }

    public func saveRefreshToken(_ token: String, _ grant: Grant.Refresh, expiresAt: Date) async throws {
        let values = (RandomToken.digest(token), grant.familyID, grant.clientID, grant.userID, grant.scope, expiresAt.timeIntervalSince1970)
        try await database.write { sql in
            try await sql.raw("""
                INSERT INTO oauth_refresh_tokens (token_digest, family_id, client_id, user_id, scope, expires_at)
                VALUES (\(bind: values.0), \(bind: values.1), \(bind: values.2), \(bind: values.3), \(bind: values.4), \(bind: values.5))
                """).run()
        }
    }

    public func redeemRefreshToken(_ token: String, now: Date) async throws -> Grant.Redemption<Grant.Refresh> {
        let digest = RandomToken.digest(token)
        return try await database.write { sql in
            guard let row = try await sql.raw("SELECT * FROM oauth_refresh_tokens WHERE token_digest = \(bind: digest)").first() else {
                return .invalid
            }
            let family = try row.decode(column: "family_id", as: String.self)
            if try row.decode(column: "used", as: Int.self) != 0 {
                try await sql.raw("UPDATE oauth_refresh_tokens SET revoked = 1 WHERE family_id = \(bind: family)").run()
                return .reused
            }
            guard try row.decode(column: "revoked", as: Int.self) == 0,
                  try row.decode(column: "expires_at", as: Double.self) > now.timeIntervalSince1970 else { return .invalid }
            try await sql.raw("UPDATE oauth_refresh_tokens SET used = 1 WHERE token_digest = \(bind: digest)").run()
            return .valid(Grant.Refresh(familyID: family, clientID: try row.decode(column: "client_id", as: String.self),
                                  userID: try row.decode(column: "user_id", as: String.self), scope: try row.decode(column: "scope", as: String.self)))
        }
    }

    public func revoke(_ token: String) async throws {
        let digest = RandomToken.digest(token)
        try await database.write { sql in
            try await sql.raw("""
                UPDATE oauth_refresh_tokens SET revoked = 1
                WHERE family_id = (SELECT family_id FROM oauth_refresh_tokens WHERE token_digest = \(bind: digest))
                """).run()
        }
    }

    public var recordKind: String { "grants" }

    /// Deletes the person's authorization codes and refresh tokens: no session of theirs survives.
    public func erase(person: RegionalID) async throws -> Int {
        try await database.write { sql in
            _ = try await sql.deleteRows(from: "oauth_codes", where: "user_id", equals: person.description)
            return try await sql.deleteRows(from: "oauth_refresh_tokens", where: "user_id", equals: person.description)
        }
    }
}
