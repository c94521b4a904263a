internal import Foundation
internal import Logging
internal import ServerKit
internal import KeyManagement
internal import Sovereignty
internal import SQLKit
internal import Storage
internal import UserService

/// Erasures applied again whenever a cell opens, so that a database restored from a backup or a
/// point in time before an erasure never serves the erased person again.
///
/// The erasure journal is the key store's list of destroyed data keys: it lives apart from the
/// cell's database (a file of its own in the data folder, never in PostgreSQL's WAL, replicas or
/// base backups), so a restore of the database leaves it as it is. The database keeps how far it
/// has applied the journal (`erasure_replay`); a restored database carries an older position, and
/// the erasures after it are applied before the cell serves. Until then the restored rows are
/// unreadable anyway: they are sealed with keys that no longer exist.
struct ErasureReplay {
    static let migrations: [Migration] = [
        Migration(id: "erasure-replay-001", statements: [
            "CREATE TABLE erasure_replay (id INTEGER PRIMARY KEY, through TEXT NOT NULL)",
        ]),
    ]

    let database: any TransactionalDatabase
    let vault: DataKeyVault

    /// Erases, for every person whose key was destroyed since the last replay, what the database
    /// still holds of them; returns how many people it erased again.
    @discardableResult
    func apply(users: SQLUserStore, records: [any PersonalRecords], logger: Logger) async throws -> Int {
        let row = try await database.sql.raw("SELECT through FROM erasure_replay WHERE id = 1").first()
        let through = try row?.decode(column: "through", as: String.self)
        let destroyed = try await vault.destroyedSubjects(since: through)
        guard let latest = destroyed.map(\.at).max() else { return 0 }
        var erased = 0
        for (subject, _) in destroyed {
            // Subjects are ids this platform made; anything else in the journal has no rows to find.
            guard let person = try? RegionalID.parse(subject) else { continue }
            var removed = try await users.erase(person) ? 1 : 0
            for store in records { removed += try await store.erase(person: person) }
            if removed > 0 { erased += 1 }
        }
        try await database.write { sql in
            try await sql.raw("""
                INSERT INTO erasure_replay (id, through) VALUES (1, \(bind: latest))
                ON CONFLICT (id) DO UPDATE SET through = excluded.through
                """).run()
        }
        if erased > 0 { logger.notice("erasures applied again to records restored from before them", metadata: ["people": "\(erased)"]) }
        return erased
    }
}
