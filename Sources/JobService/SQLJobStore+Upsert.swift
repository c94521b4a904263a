internal import Foundation
public import SQLKit
internal import Storage
internal import Sovereignty
internal import Workforce

extension SQLJobStore {
    /// Postings per statement: 12 values a row stays far below both engines' bound-parameter limits
    /// (SQLite 32,766; PostgreSQL 65,535), and a skill row per required skill besides.
    static let rowsPerStatement = 200

    /// Writes many postings in one transaction — a catalog import, a replication backlog — with
    /// multi-row statements: a posting replaces the stored one only when it is newer, as in
    /// ``upsert(_:)``, and of several versions of one posting in `jobs` the newest wins. Each
    /// written posting takes the next number of the change sequence, in the order given.
    public func upsert(contentsOf jobs: [Job]) async throws {
        var newest: [String: Int] = [:]
        var rows: [StoredJob] = []
        for job in jobs {
            let row = try StoredJob(job)
            if let index = newest[row.id] {
                if rows[index].updatedAt < row.updatedAt { rows[index] = row }
            } else {
                newest[row.id] = rows.count
                rows.append(row)
            }
        }
        guard !rows.isEmpty else { return }
        let engine = database.engine
        try await database.write { [rows] sql in
            for start in stride(from: 0, to: rows.count, by: Self.rowsPerStatement) {
                try await Self.write(rows[start..<min(start + Self.rowsPerStatement, rows.count)], engine: engine, on: sql)
            }
        }
    }

    /// One statement's worth of postings, inside the write transaction (writes of a cell are
    /// serialised, so the change numbers taken here are never taken twice).
    private static func write(_ batch: ArraySlice<StoredJob>, engine: SQLEngine, on sql: any SQLDatabase) async throws {
        var stored: [String: (updatedAt: String, sequence: Int64)] = [:]
        for row in try await sql.select().columns("id", "updated_at", "change_seq").from("jobs").where("id", .in, batch.map(\.id)).all() {
            stored[try row.decode(column: "id", as: String.self)] = (try row.decode(column: "updated_at", as: String.self),
                                                                      try row.decode(column: "change_seq", as: Int64.self))
        }
        // Only a newer version replaces the stored one, so late replication never regresses a posting.
        let fresh = batch.filter { row in stored[row.id].map { $0.updatedAt < row.updatedAt } ?? true }
        guard !fresh.isEmpty else { return }
        let last = try await sql.raw("SELECT COALESCE(MAX(change_seq), 0) AS last FROM jobs").first()?.decode(column: "last", as: Int64.self) ?? 0
        let insert = sql.insert(into: "jobs").columns(
            "id", "employer_id", "origin_region", "status", "country", "prefecture", "employment_type",
            "search_text", "document", "created_at", "updated_at", "change_seq")
        for (offset, row) in fresh.enumerated() {
            insert.values([
                SQLBind(row.id), SQLBind(row.employer), SQLBind(row.origin), SQLBind(row.status), SQLBind(row.country),
                SQLBind(row.prefecture), SQLBind(row.employmentType), SQLBind(row.searchText), SQLBind(row.document),
                SQLBind(row.createdAt), SQLBind(row.updatedAt), SQLBind(last + Int64(offset) + 1),
            ] as [any SQLExpression])
        }
        try await insert.onConflict(with: ["id"]) { conflict in
            conflict.set(excludedValueOf: "status").set(excludedValueOf: "country").set(excludedValueOf: "prefecture")
                .set(excludedValueOf: "employment_type").set(excludedValueOf: "search_text").set(excludedValueOf: "document")
                .set(excludedValueOf: "updated_at").set(excludedValueOf: "change_seq")
        }.run()
        let ids = fresh.map(\.id)
        try await deleteSearchRows(sequences: fresh.compactMap { stored[$0.id]?.sequence }, engine: engine, on: sql)
        try await insertSearchRows(fresh.enumerated().map { offset, row in (row.id, row.text, last + Int64(offset) + 1) }, engine: engine, on: sql)
        try await sql.delete(from: "job_skills").where("job_id", .in, ids).run()
        let skills = fresh.flatMap { row in row.skills.map { (row.id, $0) } }
        if !skills.isEmpty {
            let insertSkills = sql.insert(into: "job_skills").columns("job_id", "skill")
            for (id, skill) in skills { insertSkills.values([SQLBind(id), SQLBind(skill)] as [any SQLExpression]) }
            try await insertSkills.run()
        }
    }

    /// The search rows of postings, in one statement, under each posting's change number (so a
    /// search can walk them newest first, and a row is found again without a scan: FTS5 cannot
    /// look a row up by an unindexed column): FTS5 tokens on SQLite, a positioned `tsvector` on
    /// PostgreSQL.
    static func insertSearchRows(_ entries: [(id: String, text: String, sequence: Int64)], engine: SQLEngine,
                                 on sql: any SQLDatabase) async throws {
        guard !entries.isEmpty else { return }
        switch engine {
        case .sqlite:
            let insert = sql.insert(into: "jobs_search").columns("rowid", "job_id", "tokens")
            for (id, text, sequence) in entries {
                insert.values([SQLBind(sequence), SQLBind(id), SQLBind(SearchTokens.document(text))] as [any SQLExpression])
            }
            try await insert.run()
        case .postgres:
            let insert = sql.insert(into: "jobs_search").columns("change_seq", "tokens")
            for (_, text, sequence) in entries {
                insert.values([SQLBind(sequence), SQLQueryString("CAST(\(bind: SearchTokens.tsvector(text)) AS tsvector)")] as [any SQLExpression])
            }
            try await insert.run()
        }
    }

    /// Removes the search rows of the postings that had these change numbers.
    static func deleteSearchRows(sequences: [Int64], engine: SQLEngine, on sql: any SQLDatabase) async throws {
        guard !sequences.isEmpty else { return }
        try await sql.delete(from: "jobs_search")
            .where(SQLColumn(engine == .sqlite ? "rowid" : "change_seq"), .in, SQLBind.group(sequences)).run()
    }
}

/// A posting as the `jobs` table holds it.
struct StoredJob: Sendable {
    let id, employer, origin, status, country: String
    let prefecture: String?
    let employmentType, searchText, document, createdAt, updatedAt: String
    /// The text the search row is made of: title and description.
    let text: String
    let skills: Set<String>

    init(_ job: Job) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        document = String(decoding: try encoder.encode(job), as: UTF8.self)
        text = Self.searchable(job)
        searchText = text.lowercased()
        id = job.id.description
        employer = job.employerID.description
        origin = job.originRegion.rawValue
        status = job.status.rawValue
        country = job.content.location.country
        prefecture = job.content.location.prefecture
        employmentType = job.content.employmentType.rawValue
        createdAt = job.createdAt
        updatedAt = job.updatedAt
        skills = Set(job.content.requiredSkills)
    }

    /// What a posting is found by: its title and description.
    static func searchable(_ job: Job) -> String {
        job.content.title + "\n" + job.content.description
    }
}
