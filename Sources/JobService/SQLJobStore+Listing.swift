internal import Foundation
public import SQLKit
internal import Storage
internal import Sovereignty
internal import Workforce

extension SQLJobStore {
    /// Postings newest change first, so that every listing — a text search of a common word in a
    /// million postings included — reads about as many rows as it returns, in an order an index
    /// already holds:
    /// - without text, postings by `(status, change_seq)`;
    /// - on SQLite, FTS5 hands out its matches by row id, which is the change number, newest first;
    /// - on PostgreSQL a GIN index has no order, and its planner, which cannot tell a rare word from
    ///   a common one it has no statistics for, would walk every row for a word found a few dozen
    ///   times. So a search walks only a window of the newest ``scanBudget`` search rows in order,
    ///   and only if those hold less than a page looks older matches up through the index and sorts
    ///   them in a second query — few by then, or the window would have filled the page.
    ///
    /// Filters no index serves (country, prefecture, employment type, origin, skill) could make a
    /// page read the whole catalog to find nothing. With any of them a page examines at most
    /// ``scanBudget`` postings (or matches of the text), and when those leave it short it still
    /// names where the next one starts: a page may hold fewer than `limit` postings, even none, and
    /// the listing ends only where ``JobPage/next`` is nil. A skill few postings require (a quarter
    /// of the budget at most) is the exception without text: its postings come from its index.
    public func list(_ query: JobQuery) async throws -> JobPage {
        let limit = max(1, min(query.limit, 1000))
        guard let text = query.text else { return try await listing(query, limit: limit) }
        // Every query goes through the index; a lone CJK character is a prefix of the bigrams.
        if database.engine == .postgres {
            guard let match = SearchTokens.tsquery(text) else { return JobPage(jobs: [], next: nil) }
            return try await postgresSearch(match, query, limit: limit)
        }
        guard let match = SearchTokens.query(text) else { return JobPage(jobs: [], next: nil) }  // no letter or digit
        return try await sqliteSearch(match, query, limit: limit)
    }

    /// Without text: along `(status, change_seq)`, or `change_seq` for every status; from the
    /// skill's own index when the query names a skill few postings require.
    private func listing(_ query: JobQuery, limit: Int) async throws -> JobPage {
        if let skill = query.skill, try await isRare(skill) { return try await listing(query, rareSkill: skill, limit: limit) }
        var boundary: Int64?
        if query.narrowsBeyondStatus {
            var scan: SQLQueryString = "SELECT change_seq AS seq FROM jobs WHERE 1 = 1"
            if let status = query.status { scan += " AND status = \(bind: status.rawValue)" }
            if let cursor = query.cursor { scan += " AND change_seq < \(bind: cursor.sequence)" }
            boundary = try await budgetBoundary(scan + " ORDER BY change_seq DESC")
        }
        var sql: SQLQueryString = "SELECT j.document, j.change_seq FROM jobs j WHERE 1 = 1"
        sql += Self.filters(query)
        if let cursor = query.cursor { sql += " AND j.change_seq < \(bind: cursor.sequence)" }
        if let boundary { sql += " AND j.change_seq >= \(bind: boundary)" }
        let rows = try await database.reads.raw(sql + " ORDER BY j.change_seq DESC LIMIT \(unsafeRaw: String(limit))").all()
        return try page(rows, limit: limit, continuingBelow: boundary)
    }

    /// Whether at most a quarter of the scan budget of postings require the skill: then the
    /// postings are found through `job_skills` and sorted, a page complete however they are spread.
    private func isRare(_ skill: String) async throws -> Bool {
        let few = max(1, scanBudget / 4)
        let row = try await database.reads.raw("""
            SELECT count(*) AS n FROM (SELECT 1 FROM job_skills WHERE skill = \(bind: skill) LIMIT \(unsafeRaw: String(few + 1))) AS k
            """).first()
        return try (row?.decode(column: "n", as: Int64.self) ?? 0) <= few
    }

    /// The postings requiring a rare skill, from its index (`CROSS JOIN` keeps SQLite's order of
    /// tables, `change_seq + 0` keeps PostgreSQL from walking the whole catalog in order instead).
    private func listing(_ query: JobQuery, rareSkill skill: String, limit: Int) async throws -> JobPage {
        var others = query
        others.skill = nil
        let join = database.engine == .sqlite ? "CROSS JOIN" : "JOIN"  // PostgreSQL's CROSS JOIN takes no ON
        var sql: SQLQueryString = """
            SELECT j.document, j.change_seq FROM job_skills k \(unsafeRaw: join) jobs j ON j.id = k.job_id WHERE k.skill = \(bind: skill)
            """
        sql += Self.filters(others)
        if let cursor = query.cursor { sql += " AND j.change_seq < \(bind: cursor.sequence)" }
        let rows = try await database.reads.raw(sql + " ORDER BY j.change_seq + 0 DESC LIMIT \(unsafeRaw: String(limit))").all()
        return try page(rows, limit: limit, continuingBelow: nil)
    }

    /// FTS5 as the outer loop, in descending row id (change number) order, each match joined to
    /// its posting: the walk stops at the page's last row, or at the budget's last match.
    private func sqliteSearch(_ match: String, _ query: JobQuery, limit: Int) async throws -> JobPage {
        var boundary: Int64?
        if query.narrowsBeyondStatus {
            var scan: SQLQueryString = "SELECT rowid AS seq FROM jobs_search WHERE jobs_search MATCH \(bind: match)"
            if let cursor = query.cursor { scan += " AND rowid < \(bind: cursor.sequence)" }
            boundary = try await budgetBoundary(scan + " ORDER BY rowid DESC")
        }
        var sql: SQLQueryString = """
            SELECT j.document, j.change_seq FROM jobs_search s CROSS JOIN jobs j ON j.change_seq = s.rowid \
            WHERE s.jobs_search MATCH \(bind: match)
            """
        sql += Self.filters(query)
        if let cursor = query.cursor { sql += " AND s.rowid < \(bind: cursor.sequence)" }
        if let boundary { sql += " AND s.rowid >= \(bind: boundary)" }
        let rows = try await database.reads.raw(sql + " ORDER BY s.rowid DESC LIMIT \(unsafeRaw: String(limit))").all()
        return try page(rows, limit: limit, continuingBelow: boundary)
    }

    /// The window first; older matches through the index only when the window leaves the page short
    /// and the word is rare enough there that the older matches are few (without narrowing filters
    /// a short window means exactly that). Otherwise the page ends at the window.
    private func postgresSearch(_ match: String, _ query: JobQuery, limit: Int) async throws -> JobPage {
        let top = try await searchTop(query)
        let floor = top - scanBudget
        var rows = try await database.reads.raw(postgresMatches(match, query, from: floor, below: top, limit: limit)).all()
        guard rows.count < limit, floor > 1 else { return try page(rows, limit: limit, continuingBelow: nil) }
        if query.narrowsBeyondStatus, try await !fewOlderMatches(match, from: floor, below: top) {
            return try page(rows, limit: limit, continuingBelow: floor)
        }
        rows += try await database.reads.raw(postgresMatches(match, query, from: nil, below: floor, limit: limit - rows.count)).all()
        return try page(rows, limit: limit, continuingBelow: nil)
    }

    /// Whether the matches below the window, extrapolated from how many the window (``scanBudget``
    /// change numbers) holds, are few enough — a quarter of the budget — to look up and sort.
    private func fewOlderMatches(_ match: String, from floor: Int64, below top: Int64) async throws -> Bool {
        let row = try await database.reads.raw("""
            SELECT count(*) AS n FROM jobs_search WHERE ts_match_vq(tokens, CAST(\(bind: match) AS tsquery)) \
            AND change_seq >= \(bind: floor) AND change_seq < \(bind: top)
            """).first()
        let inWindow = Double(try row?.decode(column: "n", as: Int64.self) ?? 0)
        return inWindow * Double(floor) / Double(scanBudget) <= Double(scanBudget) / 4
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
    /// takes for common. In the window the match is `ts_match_vq`, the function behind `@@`, which
    /// no index serves: the planner underestimates phrases of common words (4,577 rows for one
    /// matching 139,888) and would otherwise build the GIN bitmap of the whole catalog for them.
    private func postgresMatches(_ match: String, _ query: JobQuery, from: Int64?, below: Int64, limit: Int) -> SQLQueryString {
        var sql: SQLQueryString = from == nil
            ? "SELECT j.document, j.change_seq FROM jobs_search s JOIN jobs j ON j.change_seq = s.change_seq WHERE s.tokens @@ CAST(\(bind: match) AS tsquery)"
            : "SELECT j.document, j.change_seq FROM jobs_search s JOIN jobs j ON j.change_seq = s.change_seq WHERE ts_match_vq(s.tokens, CAST(\(bind: match) AS tsquery))"
        sql += " AND s.change_seq < \(bind: below)"
        if let from { sql += " AND s.change_seq >= \(bind: from)" }
        sql += Self.filters(query)
        return sql + " ORDER BY \(unsafeRaw: from == nil ? "s.change_seq + 0" : "s.change_seq") DESC LIMIT \(unsafeRaw: String(limit))"
    }

    /// The change number of the budget's last candidate of a scan ordered newest first, or nil
    /// when the scan holds fewer: the page examines candidates from there up.
    private func budgetBoundary(_ scan: SQLQueryString) async throws -> Int64? {
        let row = try await database.reads.raw(scan + " LIMIT 1 OFFSET \(unsafeRaw: String(scanBudget - 1))").first()
        return try row?.decode(column: "seq", as: Int64.self)
    }

    /// The page of `rows`; the next starts after its last posting when it is full, else below
    /// `boundary` when the budget cut the scan short (and anything is left below it).
    private func page(_ rows: [any SQLRow], limit: Int, continuingBelow boundary: Int64?) throws -> JobPage {
        let jobs = try rows.map(Self.decode)
        if rows.count == limit, let last = rows.last {
            return JobPage(jobs: jobs, next: JobCursor(sequence: try last.decode(column: "change_seq", as: Int64.self)))
        }
        return JobPage(jobs: jobs, next: boundary.flatMap { $0 > 1 ? JobCursor(sequence: $0) : nil })
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

extension JobQuery {
    /// Whether a filter no index serves narrows the listing (the status is in the indexes).
    var narrowsBeyondStatus: Bool {
        country != nil || prefecture != nil || employmentType != nil || originRegion != nil || skill != nil
    }
}
