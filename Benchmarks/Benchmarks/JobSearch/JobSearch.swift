import Benchmark
import Foundation
import JobService
import MatchingEngine

// Job search over a generated catalog of 1,000,000 postings (Japanese, Korean and one in three with
// English), the first page of 50 as the API returns it, on SQLite and on PostgreSQL, plus pg_trgm
// for comparison with the bigram index the platform uses. In release:
//   IWORKZ_BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/iworkz_bench_search?sslmode=disable \
//   swift package benchmark --target JobSearch
// (Benchmarks/scripts/job-search.sh starts PostgreSQL, creates the database and runs it.) The
// catalog is written once into IWORKZ_BENCH_SEARCH_DIR (SQLite) and the PostgreSQL database, and
// reused while it holds IWORKZ_BENCH_POSTINGS postings.

let environment = ProcessInfo.processInfo.environment
let postingCount = Int(environment["IWORKZ_BENCH_POSTINGS"] ?? "") ?? 1_000_000
let sqliteDirectory = environment["IWORKZ_BENCH_SEARCH_DIR"] ?? NSTemporaryDirectory() + "iworkz-bench-search"
let postgresURL = environment["IWORKZ_BENCH_POSTGRES_URL"]

/// Queries of each kind, taken in turn; "common" terms match a quarter to a tenth of the catalog,
/// "rare" ones a few dozen postings, and a lone kanji has no bigram to look up. The last two add a
/// country filter no index serves: Japanese words among Korean postings (written in Korean: none of
/// some 140,000 matches is in Korea), and a country with no postings at all, without text — each
/// page stops at the scan budget instead of reading the catalog.
let searches: [(name: String, texts: [String?], country: String?)] = [
    ("ja common", ["介護", "溶接", "建設"], nil),
    ("ja two words", ["溶接 寮完備", "介護 夜勤", "建設 未経験歓迎"], nil),
    ("ja rare", SyntheticCatalog.Vocabulary.japaneseRareTrades, nil),
    ("ja one kanji", ["寮", "鷹"], nil),
    ("ko common", ["요양", "용접", "건설"], nil),
    ("ko phrase", ["기숙사 제공", "초보 환영", "통근 버스"], nil),
    ("ko rare", SyntheticCatalog.Vocabulary.koreanRareTrades, nil),
    ("en common", ["caregiver", "welder", "construction"], nil),
    ("en prefix", ["weld", "care", "constr"], nil),
    ("en rare", SyntheticCatalog.Vocabulary.englishRareTrades, nil),
    ("en one letter", ["a", "s"], nil),
    ("ja common, Korea only", ["介護", "溶接"], "KR"),
    ("no text, unknown country", [nil], "ZZ"),
]

nonisolated(unsafe) var catalogs: [SearchCatalog.Engine: SearchCatalog] = [:]

func catalog(_ engine: SearchCatalog.Engine) async throws -> SearchCatalog {
    if let open = catalogs[engine] { return open }
    let opened = try await SearchCatalog.open(engine, count: postingCount, sqliteDirectory: sqliteDirectory, postgresURL: postgresURL)
    catalogs[engine] = opened
    return opened
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock], warmupIterations: 5, maxDuration: .seconds(5), maxIterations: 400)
    let engines = SearchCatalog.Engine.allCases.filter { $0 == .sqlite || postgresURL != nil }
    for engine in engines {
        for search in searches {
            Benchmark("\(engine.rawValue), \(search.name)") { benchmark in
                let store = try await catalog(engine).store
                for iteration in benchmark.scaledIterations {
                    var query = JobQuery()
                    query.text = search.texts[iteration % search.texts.count]
                    query.country = search.country
                    blackHole(try await store.list(query))
                }
            } setup: {
                let store = try await catalog(engine).store
                for text in search.texts {
                    var query = JobQuery()
                    query.text = text
                    query.country = search.country
                    query.limit = 1_000
                    print("\(engine.rawValue) \"\(text ?? "")\" \(search.country ?? ""): \(try await store.list(query).jobs.count) of the newest 1,000 matches")
                }
            }
        }
    }
    if postgresURL != nil {
        for search in searches where search.country == nil {
            let texts = search.texts.compactMap { $0 }
            Benchmark("PostgreSQL pg_trgm, \(search.name)") { benchmark in
                let postgres = try await catalog(.postgres)
                for iteration in benchmark.scaledIterations {
                    blackHole(try await postgres.trigramSearch(texts[iteration % texts.count], limit: 50))
                }
            } setup: {
                try await catalog(.postgres).ensureTrigramIndex()
            }
        }
    }
}
