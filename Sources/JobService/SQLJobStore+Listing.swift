internal import Foundation
public import SQLKit
internal import Storage
internal import Sovereignty
internal import Workforce

extension SQLJobStore {
    /// Postings newest change first, so that every listing — a text search of a common word in a
    /// million postings included — reads only about as many rows as it returns, in an order an index
    /// already holds:
    /// - without text, open postings by `(status, change_seq)`;
    /// - on SQLite, FTS5 hands out its matches by row id, which is the change number, newest first;
    /// - on PostgreSQL a GIN index has no order, and its planner, which cannot tell a rare word from
    ///   a common one it has no statistics for, would walk every row for a word found a few dozen
    ///   times. So a search walks only the newest ``recentSearchWindow`` search rows in order, and
    ///   only if those hold less than a page, looks the older matches up through the index and sorts
    ///   them in a second query — few by then, or the window would have filled the page.
    public func list(_ query: JobQuery) async throws -> JobPage {
        let limit = max(1, min(query.limit, 1000))
        var rows: [any SQLRow]
        if let text = query.text, database.engine == .postgres {
            // Every query goes through the index; a lone CJK character is a prefix of the bigrams.
            guard let match = SearchTokens.tsquery(text) else { return JobPage(jobs: [], next: nil) }
            let top = try await searchTop(query)
            let floor = top - recentSearchWindow
            rows = try await database.reads.raw(postgresSearch(match, query, from: floor, below: top, limit: limit)).all()
            if rows.count < limit, floor > 1 {
                rows += try await database.reads.raw(postgresSearch(match, query, from: nil, below: floor, limit: limit - rows.count)).all()
            }
        } else if let text = query.text {
            guard let match = SearchTokens.query(text) else { return JobPage(jobs: [], next: nil) }  // no letter or digit
            rows = try await database.reads.raw(sqliteSearch(match, query, limit: limit)).all()
        } else {
            var listing: SQLQueryString = "SELECT j.document, j.change_seq FROM jobs j WHERE 1 = 1"
            listing += Self.filters(query)
            if let cursor = query.cursor { listing += " AND j.change_seq < \(bind: cursor.sequence)" }
            rows = try await database.reads.raw(listing + " ORDER BY j.change_seq DESC LIMIT \(unsafeRaw: String(limit))").all()
        }
        let jobs = try rows.map(Self.decode)
        let next = try rows.count == limit ? rows.last.map { JobCursor(sequence: try $0.decode(column: "change_seq", as: Int64.self)) } : nil
        return JobPage(jobs: jobs, next: next)
    }

    /// FTS5 as the outer loop, in descending row id (change number) order, each match joined to
    /// its posting: the walk stops at the page's last row.
    private func sqliteSearch(_ match: String, _ query: JobQuery, limit: Int) -> SQLQueryString {
        var sql: SQLQueryString = """
            SELECT j.document, j.change_seq FROM jobs_search s CROSS JOIN jobs j ON j.change_seq = s.rowid \
            WHERE s.jobs_search MATCH \(bind: match)
            """
        sql += Self.filters(query)
        if let cursor = query.cursor { sql += " AND s.rowid < \(bind: cursor.sequence)" }
        return sql + " ORDER BY s.rowid DESC LIMIT \(unsafeRaw: String(limit))"
    }

    /// Where a PostgreSQL search starts: the cursor, or just above the newest search row.
    private func searchTop(_ query: JobQuery) async throws -> Int64 {
        if let cursor = query.cursor { return cursor.sequence }
        let row = try await database.reads.raw("SELECT COALESCE(MAX(change_seq), 0) + 1 AS top FROM jobs_search").first()
        return try row?.decode(column: "top", as: Int64.self) ?? 1
    }

    /// Matches with change numbers in `from..<below`: in the window (`from` given), walked in
    /// order along the primary key; below it, found through the GIN index and sorted —
    /// `change_seq + 0` keeps the planner from walking the whole primary key for a word it wrongly
    /// takes for common.
    private func postgresSearch(_ match: String, _ query: JobQuery, from: Int64?, below: Int64, limit: Int) -> SQLQueryString {
        var sql: SQLQueryString = """
            SELECT j.document, j.change_seq FROM jobs_search s JOIN jobs j ON j.change_seq = s.change_seq \
            WHERE s.tokens @@ CAST(\(bind: match) AS tsquery) AND s.change_seq < \(bind: below)
            """
        if let from { sql += " AND s.change_seq >= \(bind: from)" }
        sql += Self.filters(query)
        return sql + " ORDER BY \(unsafeRaw: from == nil ? "s.change_seq + 0" : "s.change_seq") DESC LIMIT \(unsafeRaw: String(limit))"
    }

    /// The query's filters on the posting `j`, each a bound value.
    private static func filters(_ query: JobQuery) -> SQLQueryString {
        var sql: SQLQueryString = ""
        if let status = query.status { sql += " AND j.status = \(bind: status.rawValue)" }
        if let country = query.country { sql += " AND j.country = \(bind: country.uppercased())" }
        if let prefecture = query.prefecture { sql += " AND j.prefecture = \(bind: prefecture)" }
        if let type = query.employmentType { sql += " AND j.employment_type = \(bind: type.rawValue)" }
        if let origin = query.originRegion { sql += " AND j.origin_region = \(bind: origin.rawValue)" }
        if let skill = query.skill { sql += " AND j.id IN (SELECT job_id FROM job_skills WHERE skill = \(bind: skill))" }
        return sql
    }
}
