internal import Foundation
public import SQLKit
public import Sovereignty
public import Storage
internal import ServerKit
internal import Workforce

/// ``JobStore`` over the cell's SQL database.
public struct SQLJobStore: JobStore {
    let database: any TransactionalDatabase
    /// How many postings, or matches of a search's text, one page examines at most where no index
    /// orders or narrows the listing by itself; on PostgreSQL also the window of newest search rows
    /// a search walks in order (see ``list(_:)``).
    let scanBudget: Int64

    public init(database: any TransactionalDatabase, scanBudget: Int64 = 10_000) {
        self.database = database
        self.scanBudget = max(1, scanBudget)
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
        // Postings are indexed with the last character of each CJK run as a token of its own (see
        // ``SearchTokens/documentTokens(_:)``), and on SQLite under their change number as row id:
        // emptied here, the search table is rebuilt at start.
        Migration(id: "jobs-004", statements: ["DELETE FROM jobs_search"]),
        // Listings run newest change first (see ``list(_:)``): open postings by change number, and
        // on PostgreSQL search rows keyed by it like SQLite's, so a search can walk them in that
        // order; the table is refilled at start.
        Migration(id: "jobs-005", sqlite: [
            "DROP INDEX jobs_status",
            "CREATE INDEX jobs_status_changes ON jobs (status, change_seq)",
        ], postgres: [
            "DROP INDEX jobs_status",
            "CREATE INDEX jobs_status_changes ON jobs (status, change_seq)",
            "DROP TABLE jobs_search",
            "CREATE TABLE jobs_search (change_seq BIGINT PRIMARY KEY, tokens tsvector NOT NULL)",
            "CREATE INDEX jobs_search_tokens ON jobs_search USING gin (tokens)",
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

    /// Fills the search table for postings stored before it existed, after it was lost, or after a
    /// migration emptied it to change how postings are tokenised. Page by page in id order, each
    /// page's documents read inside its write transaction (so a posting written meanwhile is indexed
    /// as written), and a large catalog never sits in memory at once.
    public func rebuildSearchIndexIfNeeded(pageSize: Int = 2_000) async throws {
        let counts = try await database.sql.raw("""
            SELECT (SELECT count(*) FROM jobs) AS jobs, (SELECT count(*) FROM jobs_search) AS indexed
            """).first()
        guard let counts, try counts.decode(column: "jobs", as: Int.self) != counts.decode(column: "indexed", as: Int.self) else { return }
        let engine = database.engine
        try await database.write { sql in
            // FTS5 has no foreign key: rows of postings that are gone, or of versions replaced, would
            // keep the counts apart.
            try await sql.raw(engine == .sqlite
                ? "DELETE FROM jobs_search WHERE rowid NOT IN (SELECT change_seq FROM jobs)"
                : "DELETE FROM jobs_search WHERE change_seq NOT IN (SELECT change_seq FROM jobs)").run()
        }
        var after = ""
        while true {
            let ids = try await database.sql.raw("""
                SELECT id FROM jobs WHERE id > \(bind: after) ORDER BY id LIMIT \(unsafeRaw: String(max(1, pageSize)))
                """).all().map { try $0.decode(column: "id", as: String.self) }
            guard let last = ids.last else { return }
            try await database.write { sql in
                let entries = try await sql.select().columns("document", "change_seq").from("jobs").where("id", .in, ids).all().map { row in
                    let job = try Self.decode(row)
                    return (id: job.id.description, text: StoredJob.searchable(job), sequence: try row.decode(column: "change_seq", as: Int64.self))
                }
                try await Self.deleteSearchRows(sequences: entries.map(\.sequence), engine: engine, on: sql)
                for start in stride(from: 0, to: entries.count, by: Self.rowsPerStatement) {
                    try await Self.insertSearchRows(Array(entries[start..<min(start + Self.rowsPerStatement, entries.count)]), engine: engine, on: sql)
                }
            }
            after = last
        }
    }

    public func upsert(_ job: Job) async throws {
        try await upsert(contentsOf: [job])
    }

    public func find(_ id: RegionalID) async throws -> Job? {
        guard let row = try await database.reads.raw("SELECT document FROM jobs WHERE id = \(bind: id.description)").first() else {
            return nil
        }
        return try Self.decode(row)
    }

    static func decode(_ row: any SQLRow) throws -> Job {
        try JSONDecoder().decode(Job.self, from: Data(try row.decode(column: "document", as: String.self).utf8))
    }
}
