import Foundation
import JobService
import Logging
import MatchingEngine
import Platform
import SQLKit
import Storage
import Workforce

/// The matching query in SQL on SQLite: postings sharing a credited skill, joined with the kinds of
/// posting the worker is eligible for (decided in Swift by the same rules), filtered by hours, start
/// date and language, scored with the same formula, best ten.
final class SQLRanking: Sendable {
    let database: SQLiteCellDatabase
    let setup: MatchingSetup
    let kinds: [OpeningKind]
    let skillIDs: [String: Int]
    let directory: URL
    static let languages = ["ja": 0, "ko": 1]

    init(database: SQLiteCellDatabase, setup: MatchingSetup, kinds: [OpeningKind], skillIDs: [String: Int], directory: URL) {
        self.database = database
        self.setup = setup
        self.kinds = kinds
        self.skillIDs = skillIDs
        self.directory = directory
    }

    static func load(_ jobs: [Job], setup: MatchingSetup) async throws -> SQLRanking {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("iworkz-bench-sql-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = try await SQLiteCellDatabase.open(path: directory.appendingPathComponent("jobs.sqlite").path, migrations: [],
                                                   logger: Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() })
        var skillIDs: [String: Int] = [:], kindIDs: [OpeningKind: Int] = [:], kinds: [OpeningKind] = []
        var frequency: [Int: Int] = [:]
        let skillsOf = jobs.map { job in
            Array(Set(job.content.requiredSkills.map { name -> Int in
                let canonical = setup.taxonomy.canonical(name)
                if let id = skillIDs[canonical] { return id }
                skillIDs[canonical] = skillIDs.count
                return skillIDs.count - 1
            }))
        }
        for skills in skillsOf { for skill in skills { frequency[skill, default: 0] += 1 } }
        let rarity = frequency.mapValues { log(1 + Double(jobs.count) / Double($0)) }
        try await database.sql.raw("""
            CREATE TABLE jobs (slot INTEGER PRIMARY KEY, version INTEGER, kind INTEGER, hours INTEGER, start_day INTEGER,
                language INTEGER, language_rank INTEGER, country TEXT, prefecture TEXT, city TEXT, commute TEXT,
                salary_max INTEGER, currency TEXT, period TEXT, created_day INTEGER, skill_weight REAL)
            """).run()
        try await database.sql.raw("CREATE TABLE job_skills (skill INTEGER, slot INTEGER, PRIMARY KEY (skill, slot)) WITHOUT ROWID").run()
        try await database.sql.raw("CREATE TABLE skill_rarity (skill INTEGER PRIMARY KEY, rarity REAL)").run()
        try await database.sql.raw("CREATE TABLE recency (age INTEGER PRIMARY KEY, points REAL)").run()
        let weights = setup.configuration.weights
        for batch in stride(from: 0, to: jobs.count, by: 500) {
            var rows: [String] = [], skillRows: [String] = []
            for slot in batch..<min(batch + 500, jobs.count) {
                let content = jobs[slot].content
                let kind = OpeningKind(isOpen: true, country: content.location.country, field: content.field, employmentType: content.employmentType,
                                       listedStatuses: content.eligibleResidenceStatuses.sorted(), sponsorsVisa: content.visaSponsorship ?? false)
                let kindID = kindIDs[kind] ?? { kindIDs[kind] = kinds.count; kinds.append(kind); return kinds.count - 1 }()
                let minimum = content.minimumLanguage
                func text(_ value: String?) -> String { value.map { "'\($0.lowercased().replacingOccurrences(of: "'", with: "''"))'" } ?? "NULL" }
                let commute = setup.configuration.commuteRegion(country: content.location.country, prefecture: content.location.prefecture)
                let weight = skillsOf[slot].reduce(0) { $0 + rarity[$1]! }
                rows.append("(\(slot), \(version(jobs[slot].updatedAt)), \(kindID), \(content.weeklyHours.map(String.init) ?? "NULL"), "
                    + "\(content.startDate.flatMap(day).map(String.init) ?? "NULL"), \(minimum.map { languages[$0.language] ?? 9 } ?? -1), "
                    + "\(minimum.map { $0.rank ?? 127 } ?? 0), '\(content.location.country)', \(text(content.location.prefecture)), "
                    + "\(text(content.location.city)), \(text(commute)), \(content.salary.map { String($0.max) } ?? "NULL"), "
                    + "'\(content.salary?.currency ?? "")', '\(content.salary?.period.rawValue ?? "")', \(day(jobs[slot].createdAt) ?? 0), \(weight))")
                for skill in skillsOf[slot] { skillRows.append("(\(skill), \(slot))") }
            }
            let (jobRows, skillRowsText) = (rows.joined(separator: ","), skillRows.joined(separator: ","))
            try await database.write { sql in
                try await sql.raw(SQLQueryString("INSERT INTO jobs VALUES " + jobRows)).run()
                try await sql.raw(SQLQueryString("INSERT INTO job_skills VALUES " + skillRowsText)).run()
            }
        }
        let rarityRows = rarity.map { "(\($0.key), \($0.value))" }.joined(separator: ",")
        try await database.sql.raw(SQLQueryString("INSERT INTO skill_rarity VALUES " + rarityRows)).run()
        let recencyRows = (0...3_650).map { "(\($0), \(weights.recency * pow(0.5, Double($0) / setup.configuration.recencyHalfLifeDays)))" }
        try await database.sql.raw(SQLQueryString("INSERT INTO recency VALUES " + recencyRows.joined(separator: ","))).run()
        try await database.sql.raw("ANALYZE").run()
        return SQLRanking(database: database, setup: setup, kinds: kinds, skillIDs: skillIDs, directory: directory)
    }

    /// The scores of the best postings, best first.
    func rank(_ worker: WorkerQuery, limit: Int, on date: String) async throws -> [Double] {
        var credit: [Int: Double] = [:]
        for name in worker.skills {
            let id = setup.taxonomy.canonical(name)
            if let skill = skillIDs[id] { credit[skill] = 1 }
            for related in setup.taxonomy.related(id) {
                if let skill = skillIDs[related], credit[skill, default: 0] < setup.configuration.relatedSkillCredit {
                    credit[skill] = setup.configuration.relatedSkillCredit
                }
            }
        }
        guard !credit.isEmpty else { return [] }
        var eligibleKinds: [String] = []
        for (id, kind) in kinds.enumerated() {
            let prepared = setup.rules.prepare(worker.candidate, for: kind, on: date)
            guard prepared.isEligible else { continue }
            eligibleKinds.append("(\(id), \(prepared.hourLimit ?? -1), \(prepared.checksExpiry ? 1 : 0), \(kind.employmentType == .fullTime ? 1 : 0))")
        }
        guard !eligibleKinds.isEmpty else { return [] }
        var best: [String: Int] = [:]
        for code in Self.languages.keys {
            best[code] = worker.candidate.languages.filter { $0.language == code }.compactMap(\.rank).max() ?? -1
        }
        let weights = setup.configuration.weights, credits = setup.configuration.locationCredit
        let today = day(date)!
        let expiry = worker.candidate.residenceExpiresOn.flatMap(day) ?? Int.max
        let place = worker.location
        let commute = setup.configuration.commuteRegion(country: place?.country ?? "", prefecture: place?.prefecture)
        func text(_ value: String?) -> String { value.map { "'\($0.lowercased().replacingOccurrences(of: "'", with: "''"))'" } ?? "NULL" }
        let languageRank = "(CASE j.language WHEN 0 THEN \(best["ja"]!) WHEN 1 THEN \(best["ko"]!) ELSE -1 END)"
        let desired = worker.desiredSalary
        let salary = desired.map { pay in
            pay.amount <= 0 ? "\(weights.salary / 2)" : """
                CASE WHEN j.salary_max IS NULL OR j.currency <> '\(pay.currency)' OR j.period <> '\(pay.period.rawValue)' THEN \(weights.salary / 2)
                     WHEN j.salary_max >= \(pay.amount) THEN \(weights.salary) ELSE \(weights.salary) * j.salary_max / \(pay.amount).0 END
                """
        } ?? "\(weights.salary / 2)"
        let location = place.map { place in """
            CASE WHEN j.country <> '\(place.country)' THEN 0
                 WHEN j.city IS NOT NULL AND j.city = \(text(place.city)) THEN \(weights.location * credits.city)
                 WHEN j.prefecture IS NOT NULL AND j.prefecture = \(text(place.prefecture)) THEN \(weights.location * credits.prefecture)
                 WHEN j.commute IS NOT NULL AND j.commute = \(text(commute)) THEN \(weights.location * credits.commuteRegion)
                 ELSE \(weights.location * credits.country) END
            """ } ?? "0"
        let query = """
            WITH credit(skill, share) AS (VALUES \(credit.map { "(\($0.key), \($0.value))" }.joined(separator: ","))),
                 ek(kind, hour_limit, checks_expiry, full_time) AS (VALUES \(eligibleKinds.joined(separator: ",")))
            SELECT \(weights.skills) * SUM(r.rarity * c.share) / j.skill_weight + \(location) + \(salary)
                   + CASE WHEN j.language < 0 THEN \(weights.language)
                          ELSE \(weights.language) * (0.5 + 0.25 * MIN(2, MAX(0, \(languageRank) - j.language_rank))) END
                   + rc.points AS score
            FROM job_skills s
            JOIN credit c ON c.skill = s.skill
            JOIN skill_rarity r ON r.skill = s.skill
            JOIN jobs j ON j.slot = s.slot
            JOIN ek ON ek.kind = j.kind
            JOIN recency rc ON rc.age = MAX(0, \(today) - j.created_day)
            WHERE s.skill IN (\(credit.keys.map(String.init).joined(separator: ",")))
              AND (ek.hour_limit < 0 OR COALESCE(j.hours, CASE WHEN ek.full_time = 1 THEN 40 END) <= ek.hour_limit)
              AND (ek.checks_expiry = 0 OR \(expiry) >= MAX(COALESCE(j.start_day, \(today)), \(today)))
              AND (j.language < 0 OR \(languageRank) >= j.language_rank)
            GROUP BY j.slot
            ORDER BY score DESC, j.version DESC
            LIMIT \(limit)
            """
        return try await database.sql.raw(SQLQueryString(query)).all().map { try $0.decode(column: "score", as: Double.self) }
    }

    func close() async throws {
        try await database.close()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// `2026-11-17…` → days since 1970.
func day(_ text: String) -> Int? {
    let parts = text.prefix(10).split(separator: "-").compactMap { Int($0) }
    guard parts.count == 3 else { return nil }
    var components = DateComponents(timeZone: TimeZone(identifier: "UTC"), year: parts[0], month: parts[1], day: parts[2])
    components.calendar = Calendar(identifier: .gregorian)
    return components.date.map { Int($0.timeIntervalSince1970 / 86_400) }
}

/// The timestamp's digits as one number, as the index orders versions.
func version(_ timestamp: String) -> Int64 {
    timestamp.utf8.reduce(Int64(0)) { (48...57).contains($1) ? $0 &* 10 &+ Int64($1 - 48) : $0 }
}
