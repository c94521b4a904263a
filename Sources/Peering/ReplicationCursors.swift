public import Storage
public import Sovereignty
internal import SQLKit

/// How far the cell's own postings have reached each other region: the last change of the cell's
/// change sequence a region acknowledged. Kept in the cell's database, so a restart resumes where
/// delivery stopped.
public struct ReplicationCursors: Sendable {
    let database: any TransactionalDatabase

    public init(database: any TransactionalDatabase) {
        self.database = database
    }

    public static let migrations: [Migration] = [
        Migration(id: "catalog-replication-001", sqlite: [
            "CREATE TABLE catalog_replication (target TEXT PRIMARY KEY, sent_through INTEGER NOT NULL)",
        ], postgres: [
            "CREATE TABLE catalog_replication (target TEXT PRIMARY KEY, sent_through BIGINT NOT NULL)",
        ]),
    ]

    /// The last change `target` acknowledged (0: none).
    public func position(of target: RegionID) async throws -> Int64 {
        let row = try await database.sql.raw("SELECT sent_through FROM catalog_replication WHERE target = \(bind: target.rawValue)").first()
        return try row?.decode(column: "sent_through", as: Int64.self) ?? 0
    }

    func advance(_ target: RegionID, to sequence: Int64) async throws {
        try await database.write { sql in
            try await sql.raw("""
                INSERT INTO catalog_replication (target, sent_through) VALUES (\(bind: target.rawValue), \(bind: sequence))
                ON CONFLICT (target) DO UPDATE SET sent_through = CASE WHEN excluded.sent_through > catalog_replication.sent_through
                    THEN excluded.sent_through ELSE catalog_replication.sent_through END
                """).run()
        }
    }
}
