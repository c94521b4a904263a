internal import Foundation
public import SQLKit
public import Sovereignty
public import Storage
internal import ServerKit
internal import Workforce

/// ``JobStore`` over the cell's SQL database.
public struct SQLJobStore: JobStore {
    private let database: any TransactionalDatabase

    public init(database: any TransactionalDatabase) {
        self.database = database
    }

    public static let migrations: [Migration] = [
        Migration(id: "jobs-001", statements: [
            """
            CREATE TABLE jobs (
                id TEXT PRIMARY KEY,
                employer_id TEXT NOT NULL,
                origin_region TEXT NOT NULL,
                status TEXT NOT NULL,
                country TEXT NOT NULL,
                prefecture TEXT,
                employment_type TEXT NOT NULL,
                search_text TEXT NOT NULL,
                document TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL)
            """,
            "CREATE INDEX jobs_status ON jobs (status, id)",
            "CREATE TABLE job_skills (job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE, skill TEXT NOT NULL, PRIMARY KEY (job_id, skill))",
            "CREATE INDEX job_skills_skill ON job_skills (skill)",
        ]),
        // Full-text search that works for Japanese and Korean: character bigrams in an FTS5 table.
        // On PostgreSQL the same tokens are a `tsvector` with their positions, under a GIN index.
        Migration(id: "jobs-002", sqlite: [
            "CREATE VIRTUAL TABLE jobs_search USING fts5(job_id UNINDEXED, tokens, tokenize = 'unicode61')",
        ], postgres: [
            "CREATE TABLE jobs_search (job_id TEXT PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE, tokens tsvector NOT NULL)",
            "CREATE INDEX jobs_search_tokens ON jobs_search USING gin (tokens)",
        ]),
        // Every write of a posting takes the next number of the cell's change sequence, so the
        // cell's own postings can be sent to other regions in the order they changed, from where
        // each region left off (see ``changes(from:after:limit:)``). Rows from before are numbered
        // in insertion order and sent once.
        Migration(id: "jobs-003", sqlite: [
            "ALTER TABLE jobs ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0",
            "UPDATE jobs SET change_seq = rowid",
            "CREATE INDEX jobs_changes ON jobs (origin_region, change_seq)",
            // The next number is MAX(change_seq) + 1 on every write: an index read, not a table scan.
            "CREATE INDEX jobs_change_seq ON jobs (change_seq)",
        ], postgres: [
            "ALTER TABLE jobs ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0",
            "CREATE INDEX jobs_changes ON jobs (origin_region, change_seq)",
            "CREATE INDEX jobs_change_seq ON jobs (change_seq)",
        ]),
    ]

    /// A posting as it was written, with its place in the cell's change sequence.
    public struct Change: Codable, Sendable {
        public let sequence: Int64
        public let job: Job
    }

    /// Postings of `origin` written after change `sequence`, oldest change first.
    public func changes(from origin: RegionID, after sequence: Int64, limit: Int) async throws -> [Change] {
        try await database.sql.raw("""
            SELECT change_seq, document FROM jobs WHERE origin_region = \(bind: origin.rawValue) AND change_seq > \(bind: sequence)
            ORDER BY change_seq LIMIT \(unsafeRaw: String(max(1, min(limit, 1000))))
            """).all().map { row in Change(sequence: try row.decode(column: "change_seq", as: Int64.self), job: try Self.decode(row)) }
    }

    /// Every posting the cell holds (its own and the copies it received) written after change
    /// `sequence`, oldest change first: the feed the region's matching engine follows.
    public func changes(after sequence: Int64, limit: Int) async throws -> [Change] {
        try await database.sql.raw("""
            SELECT change_seq, document FROM jobs WHERE change_seq > \(bind: sequence)
            ORDER BY change_seq LIMIT \(unsafeRaw: String(max(1, min(limit, 1000))))
            """).all().map { row in Change(sequence: try row.decode(column: "change_seq", as: Int64.self), job: try Self.decode(row)) }
    }

    /// Fills the search table for postings stored before it existed (or after it was lost).
    public func rebuildSearchIndexIfNeeded() async throws {
        let counts = try await database.sql.raw("""
            SELECT (SELECT count(*) FROM jobs) AS jobs, (SELECT count(*) FROM jobs_search) AS indexed
            """).first()
        guard let counts, try counts.decode(column: "jobs", as: Int.self) != counts.decode(column: "indexed", as: Int.self) else { return }
        let rows = try await database.sql.raw("SELECT id, document FROM jobs").all()
        let engine = database.engine
        let entries = try rows.map { row -> (String, String) in
            let job = try Self.decode(row)
            return (job.id.description, job.content.title + "\n" + job.content.description)
        }
        try await database.write { sql in
            try await sql.raw("DELETE FROM jobs_search").run()
            for (id, text) in entries {
                try await sql.raw(Self.insertSearchRow(id: id, text: text, engine: engine)).run()
            }
        }
    }

    public func upsert(_ job: Job) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let document = String(decoding: try encoder.encode(job), as: UTF8.self)
        let searchText = (job.content.title + "\n" + job.content.description).lowercased()
        let text = job.content.title + "\n" + job.content.description
        let engine = database.engine
        let id = job.id.description
        let skills = Set(job.content.requiredSkills)
        let (country, prefecture, type) = (job.content.location.country, job.content.location.prefecture, job.content.employmentType.rawValue)
        let (origin, employer, status) = (job.originRegion.rawValue, job.employerID.description, job.status.rawValue)
        let (created, updated) = (job.createdAt, job.updatedAt)
        try await database.write { sql in
            // Only a newer version replaces the stored one, so late replication never regresses a posting.
            let stored = try await sql.raw("SELECT updated_at FROM jobs WHERE id = \(bind: id)").first()
            if let stored, try stored.decode(column: "updated_at", as: String.self) >= updated { return }
            // Writes are serialised (one writer per cell), so the next number is never taken twice.
            try await sql.raw("""
                INSERT INTO jobs (id, employer_id, origin_region, status, country, prefecture, employment_type,
                                  search_text, document, created_at, updated_at, change_seq)
                VALUES (\(bind: id), \(bind: employer), \(bind: origin), \(bind: status), \(bind: country), \(bind: prefecture),
                        \(bind: type), \(bind: searchText), \(bind: document), \(bind: created), \(bind: updated),
                        (SELECT COALESCE(MAX(change_seq), 0) + 1 FROM jobs))
                ON CONFLICT (id) DO UPDATE SET status = excluded.status, country = excluded.country,
                    prefecture = excluded.prefecture, employment_type = excluded.employment_type,
                    search_text = excluded.search_text, document = excluded.document, updated_at = excluded.updated_at,
                    change_seq = excluded.change_seq
                """).run()
            try await sql.raw("DELETE FROM jobs_search WHERE job_id = \(bind: id)").run()
            try await sql.raw(Self.insertSearchRow(id: id, text: text, engine: engine)).run()
            try await sql.raw("DELETE FROM job_skills WHERE job_id = \(bind: id)").run()
            for skill in skills {
                try await sql.raw("INSERT INTO job_skills (job_id, skill) VALUES (\(bind: id), \(bind: skill))").run()
            }
        }
    }

    public func find(_ id: RegionalID) async throws -> Job? {
        guard let row = try await database.reads.raw("SELECT document FROM jobs WHERE id = \(bind: id.description)").first() else {
            return nil
        }
        return try Self.decode(row)
    }

    public func list(_ query: JobQuery) async throws -> [Job] {
        var sql = SQLQueryString("SELECT document FROM jobs WHERE 1 = 1")
        if let status = query.status { sql.appendInterpolation(unsafeRaw: " AND status = "); sql.appendInterpolation(bind: status.rawValue) }
        if let country = query.country { sql.appendInterpolation(unsafeRaw: " AND country = "); sql.appendInterpolation(bind: country.uppercased()) }
        if let prefecture = query.prefecture { sql.appendInterpolation(unsafeRaw: " AND prefecture = "); sql.appendInterpolation(bind: prefecture) }
        if let type = query.employmentType { sql.appendInterpolation(unsafeRaw: " AND employment_type = "); sql.appendInterpolation(bind: type.rawValue) }
        if let origin = query.originRegion { sql.appendInterpolation(unsafeRaw: " AND origin_region = "); sql.appendInterpolation(bind: origin.rawValue) }
        if let after = query.after { sql.appendInterpolation(unsafeRaw: " AND id > "); sql.appendInterpolation(bind: after) }
        if let skill = query.skill {
            sql.appendInterpolation(unsafeRaw: " AND id IN (SELECT job_id FROM job_skills WHERE skill = ")
            sql.appendInterpolation(bind: skill)
            sql.appendInterpolation(unsafeRaw: ")")
        }
        if let text = query.text {
            let postgres = database.engine == .postgres
            if let match = postgres ? SearchTokens.tsquery(text) : SearchTokens.query(text), !SearchTokens.needsScan(text) {
                sql.appendInterpolation(unsafeRaw: postgres
                    ? " AND id IN (SELECT job_id FROM jobs_search WHERE tokens @@ CAST("
                    : " AND id IN (SELECT job_id FROM jobs_search WHERE jobs_search MATCH ")
                sql.appendInterpolation(bind: match)
                sql.appendInterpolation(unsafeRaw: postgres ? " AS tsquery))" : ")")
            } else {
                sql.appendInterpolation(unsafeRaw: postgres ? " AND strpos(search_text, " : " AND instr(search_text, ")
                sql.appendInterpolation(bind: text.lowercased())
                sql.appendInterpolation(unsafeRaw: ") > 0")
            }
        }
        sql.appendInterpolation(unsafeRaw: " ORDER BY id LIMIT \(max(1, min(query.limit, 1000)))")
        return try await database.reads.raw(sql).all().map(Self.decode)
    }

    /// The search row of a posting: FTS5 tokens on SQLite, a positioned `tsvector` on PostgreSQL.
    private static func insertSearchRow(id: String, text: String, engine: SQLEngine) -> SQLQueryString {
        switch engine {
        case .sqlite:
            "INSERT INTO jobs_search (job_id, tokens) VALUES (\(bind: id), \(bind: SearchTokens.document(text)))"
        case .postgres:
            "INSERT INTO jobs_search (job_id, tokens) VALUES (\(bind: id), CAST(\(bind: SearchTokens.tsvector(text)) AS tsvector))"
        }
    }

    private static func decode(_ row: any SQLRow) throws -> Job {
        try JSONDecoder().decode(Job.self, from: Data(try row.decode(column: "document", as: String.self).utf8))
    }
}
