import Foundation
import JobService
import Logging
import MatchingEngine
import SQLKit
import Storage

/// The generated catalog in one store, loaded once and kept between runs (loading a million
/// postings takes minutes; every benchmark of the target opens the same database).
struct SearchCatalog {
    enum Engine: String, CaseIterable { case sqlite = "SQLite", postgres = "PostgreSQL" }

    let engine: Engine
    let database: any TransactionalDatabase
    let store: SQLJobStore

    static let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
    static let batchSize = 5_000

    /// Opens the engine's database and fills it with `count` generated postings unless it holds them already.
    static func open(_ engine: Engine, count: Int, sqliteDirectory: String, postgresURL: String?) async throws -> SearchCatalog {
        let database: any TransactionalDatabase
        switch engine {
        case .sqlite:
            try FileManager.default.createDirectory(atPath: sqliteDirectory, withIntermediateDirectories: true)
            database = try await SQLiteCellDatabase.open(path: sqliteDirectory + "/jobs.sqlite", migrations: SQLJobStore.migrations, logger: logger)
        case .postgres:
            guard let postgresURL else { throw BenchmarkSetupError("IWORKZ_BENCH_POSTGRES_URL is unset") }
            database = try await PostgresCellDatabase.open(location: try PostgresLocation(url: postgresURL), migrations: SQLJobStore.migrations, logger: logger)
        }
        let catalog = SearchCatalog(engine: engine, database: database, store: SQLJobStore(database: database))
        let held = try await database.sql.raw("SELECT count(*) AS n FROM jobs").first()?.decode(column: "n", as: Int.self) ?? 0
        if held != count { try await catalog.load(count: count) }
        return catalog
    }

    /// Writes postings 0..<count in batches, as a catalog import would, then updates the planner's statistics.
    private func load(count: Int) async throws {
        let started = ContinuousClock.now
        try await database.write { sql in
            try await sql.raw("DELETE FROM job_skills").run()
            try await sql.raw("DELETE FROM jobs_search").run()
            try await sql.raw("DELETE FROM jobs").run()
        }
        var generator = SyntheticCatalog(seed: 42, skills: ["welding", "caregiving", "construction", "cooking", "cleaning", "farming",
                                                            "forklift", "sewing", "painting", "electrical", "plumbing", "carpentry"])
        for start in stride(from: 0, to: count, by: Self.batchSize) {
            try await store.upsert(contentsOf: (start..<min(start + Self.batchSize, count)).map { generator.job(index: $0) })
            if (start / Self.batchSize) % 20 == 19 {
                print("\(engine.rawValue): \(start + Self.batchSize) postings written, \(ContinuousClock.now - started)")
            }
        }
        switch engine {
        case .sqlite:
            try await database.sql.raw("INSERT INTO jobs_search (jobs_search) VALUES ('optimize')").run()
            try await database.sql.raw("ANALYZE").run()
        case .postgres:
            try await database.sql.raw("VACUUM ANALYZE jobs").run()
            try await database.sql.raw("VACUUM ANALYZE jobs_search").run()
            try await database.sql.raw("VACUUM ANALYZE job_skills").run()
        }
        print("\(engine.rawValue): \(count) postings loaded in \(ContinuousClock.now - started)")
    }

    /// A trigram index over the lower-cased text, for comparing pg_trgm with the bigram `tsvector`
    /// the platform uses. Needs a database whose LC_CTYPE classifies CJK characters as letters
    /// (C.UTF-8): under the C locale pg_trgm drops them.
    func ensureTrigramIndex() async throws {
        try await database.sql.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm").run()
        let started = ContinuousClock.now
        try await database.sql.raw("CREATE INDEX IF NOT EXISTS bench_jobs_search_text_trgm ON jobs USING gin (search_text gin_trgm_ops)").run()
        let elapsed = ContinuousClock.now - started
        if elapsed > .seconds(1) { print("pg_trgm index built in \(elapsed)") }
    }

    /// The same search as ``SQLJobStore/list(_:)`` for open postings, with `LIKE '%word%'` per
    /// word over the trigram index instead of the bigram `tsvector`.
    func trigramSearch(_ text: String, limit: Int) async throws -> Int {
        var sql = SQLQueryString("SELECT document FROM jobs WHERE status = 'open'")
        for word in text.lowercased().split(separator: " ") {
            sql.appendInterpolation(unsafeRaw: " AND search_text LIKE ")
            sql.appendInterpolation(bind: "%" + word + "%")
        }
        sql.appendInterpolation(unsafeRaw: " ORDER BY id LIMIT \(limit)")
        return try await database.reads.raw(sql).all().count
    }
}

struct BenchmarkSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
