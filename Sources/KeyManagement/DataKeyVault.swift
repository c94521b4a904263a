public import Crypto
public import Foundation
public import Storage
public import Logging
internal import SQLKit

/// Each person's own data key (AES-256), wrapped by the cell's key-encryption key and kept in the
/// cell's key store — a database of its own, never in the cell's database or its backups.
///
/// Destroying a person's data key is erasure by crypto-shredding: every copy of their sealed fields
/// and documents, including copies in backups taken before, becomes unreadable.
public struct DataKeyVault: Sendable {
    /// What a re-wrap did.
    public struct RewrapSummary: Sendable, Equatable {
        public let rewrapped: Int
        public let version: Int

        public init(rewrapped: Int, version: Int) {
            self.rewrapped = rewrapped
            self.version = version
        }
    }

    let database: any TransactionalDatabase
    let keys: any KeyEncryptionKeyProvider

    public init(database: any TransactionalDatabase, keys: any KeyEncryptionKeyProvider) {
        self.database = database
        self.keys = keys
    }

    public static let migrations: [Migration] = [
        Migration(id: "data-keys-001", sqlite: [
            """
            CREATE TABLE data_keys (
                subject TEXT PRIMARY KEY, kek_version INTEGER NOT NULL, wrapped BLOB NOT NULL, created_at TEXT NOT NULL)
            """,
        ], postgres: [
            """
            CREATE TABLE data_keys (
                subject TEXT PRIMARY KEY, kek_version BIGINT NOT NULL, wrapped BYTEA NOT NULL, created_at TEXT NOT NULL)
            """,
        ]),
        // Who was erased, so that a destroyed key is never made again for them (a request still in
        // flight, or a token not yet expired, would otherwise create data nobody can erase).
        Migration(id: "data-keys-002-destroyed", statements: [
            "CREATE TABLE destroyed_subjects (subject TEXT PRIMARY KEY, destroyed_at TEXT NOT NULL)",
        ]),
    ]

    /// Opens the key store at `path` with deleted rows overwritten in place (`secure_delete`), so a
    /// destroyed key does not linger in free pages of the file.
    public static func openStore(path: String, logger: Logger) async throws -> SQLiteCellDatabase {
        let database = try await SQLiteCellDatabase.open(path: path, migrations: migrations, logger: logger)
        try await database.sql.raw("PRAGMA secure_delete = ON").run()
        return database
    }

    /// The person's data key, created on first use; throws ``KeyManagementError/dataKeyDestroyed(subject:)``
    /// for a person whose key was destroyed, rather than making them a new one.
    public func key(creatingFor subject: String) async throws -> SymmetricKey {
        if let key = try await existingKey(subject) { return key }
        guard try await database.sql.raw("SELECT 1 FROM destroyed_subjects WHERE subject = \(bind: subject)").first() == nil else {
            throw KeyManagementError.dataKeyDestroyed(subject: subject)
        }
        let key = SymmetricKey(size: .bits256)
        let version = try keys.currentVersion()
        let wrapped = try Self.wrap(key, subject: subject, version: version, with: try keys.key(version: version))
        let created = Date().formatted(.iso8601)
        try await database.write { sql in
            try await sql.raw("""
                INSERT INTO data_keys (subject, kek_version, wrapped, created_at)
                VALUES (\(bind: subject), \(bind: version), \(bind: wrapped), \(bind: created))
                ON CONFLICT (subject) DO NOTHING
                """).run()
        }
        // A concurrent first use may have won the insert; everyone uses the stored key.
        guard let stored = try await existingKey(subject) else { throw KeyManagementError.dataKeyDestroyed(subject: subject) }
        return stored
    }

    /// The person's data key; throws ``KeyManagementError/dataKeyDestroyed(subject:)`` after erasure.
    public func key(for subject: String) async throws -> SymmetricKey {
        guard let key = try await existingKey(subject) else { throw KeyManagementError.dataKeyDestroyed(subject: subject) }
        return key
    }

    private func existingKey(_ subject: String) async throws -> SymmetricKey? {
        guard let row = try await database.sql.raw(
            "SELECT kek_version, wrapped FROM data_keys WHERE subject = \(bind: subject)").first() else { return nil }
        let version = try row.decode(column: "kek_version", as: Int.self)
        let wrapped = try row.decode(column: "wrapped", as: Data.self)
        return try Self.unwrap(wrapped, subject: subject, version: version, with: try keys.key(version: version))
    }

    /// Destroys the person's data key. Returns whether there was one.
    @discardableResult
    public func destroy(subject: String) async throws -> Bool {
        let destroyed = Date().formatted(.iso8601)
        let removed = try await database.write { sql in
            try await sql.raw("""
                INSERT INTO destroyed_subjects (subject, destroyed_at) VALUES (\(bind: subject), \(bind: destroyed))
                ON CONFLICT (subject) DO NOTHING
                """).run()
            return try await sql.deleteRows(from: "data_keys", where: "subject", equals: subject) > 0
        }
        // Fold the write-ahead log into the file so the old page images are not left in the log.
        if database.engine == .sqlite { try await database.sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").run() }
        return removed
    }

    /// Who had their key destroyed at or after `since` (an ISO 8601 time; nil for everyone), with when.
    public func destroyedSubjects(since: String?) async throws -> [(subject: String, at: String)] {
        try await database.sql.raw("""
            SELECT subject, destroyed_at FROM destroyed_subjects WHERE destroyed_at >= \(bind: since ?? "")
            """).all().map { (try $0.decode(column: "subject", as: String.self), try $0.decode(column: "destroyed_at", as: String.self)) }
    }

    /// Everyone whose data key was destroyed in this key store.
    public func destroyedSubjects() async throws -> [String] {
        try await database.sql.raw("SELECT subject FROM destroyed_subjects").all().map { try $0.decode(column: "subject", as: String.self) }
    }

    /// Re-wraps every data key under the current key-encryption key version; the data keys themselves,
    /// and so everything sealed with them, do not change.
    public func rewrap() async throws -> RewrapSummary {
        let current = try keys.currentVersion()
        let newKEK = try keys.key(version: current)
        let keys = keys
        let count = try await database.write { sql in
            let rows = try await sql.raw("SELECT subject, kek_version, wrapped FROM data_keys WHERE kek_version <> \(bind: current)").all()
            for row in rows {
                let subject = try row.decode(column: "subject", as: String.self)
                let version = try row.decode(column: "kek_version", as: Int.self)
                let key = try Self.unwrap(try row.decode(column: "wrapped", as: Data.self), subject: subject, version: version,
                                          with: try keys.key(version: version))
                let wrapped = try Self.wrap(key, subject: subject, version: current, with: newKEK)
                try await sql.raw("""
                    UPDATE data_keys SET kek_version = \(bind: current), wrapped = \(bind: wrapped) WHERE subject = \(bind: subject)
                    """).run()
            }
            return rows.count
        }
        if database.engine == .sqlite { try await database.sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").run() }
        return RewrapSummary(rewrapped: count, version: current)
    }

    /// How many data keys each key-encryption key version wraps.
    public func countByVersion() async throws -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for row in try await database.sql.raw("SELECT kek_version, COUNT(*) AS n FROM data_keys GROUP BY kek_version").all() {
            counts[try row.decode(column: "kek_version", as: Int.self)] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    // The subject and version are authenticated with the wrapped key, so a wrapped key moved to
    // another person's row, or relabelled with another version, does not unwrap.
    static func wrap(_ key: SymmetricKey, subject: String, version: Int, with kek: SymmetricKey) throws -> Data {
        let plain = key.withUnsafeBytes { Data($0) }
        guard let combined = try AES.GCM.seal(plain, using: kek, authenticating: Data("\(subject)#\(version)".utf8)).combined else {
            throw KeyManagementError.unreadable("cannot wrap a data key")
        }
        return combined
    }

    static func unwrap(_ wrapped: Data, subject: String, version: Int, with kek: SymmetricKey) throws -> SymmetricKey {
        do {
            let box = try AES.GCM.SealedBox(combined: wrapped)
            return SymmetricKey(data: try AES.GCM.open(box, using: kek, authenticating: Data("\(subject)#\(version)".utf8)))
        } catch {
            throw KeyManagementError.unreadable("the wrapped data key of \(subject) does not authenticate")
        }
    }
}
