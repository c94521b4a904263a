import Benchmark
import Foundation
import JobService
import Logging
import MatchingEngine
import Platform
import SQLKit
import Storage
import Workforce

/// Matching one worker against 1,000,000 generated postings: the in-memory index, and the same
/// query (candidates by skill, eligibility, the same scoring) in SQL on SQLite, for comparison.
let postingCount = Int(ProcessInfo.processInfo.environment["IWORKZ_BENCH_POSTINGS"] ?? "") ?? 1_000_000
let configDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("config")

final class Fixture: @unchecked Sendable {
    let setup: MatchingSetup
    let jobs: [Job]
    let workers: [WorkerQuery]
    var index: MatchingIndex?
    var sql: SQLRanking?
    var next = 0

    init() throws {
        setup = try LoadedConfiguration.load(from: configDirectory).matching
        var generator = SyntheticCatalog(seed: 42, skills: Array(setup.taxonomy.skills.keys))
        jobs = (0..<postingCount).map { generator.job(index: $0) }
        workers = (0..<1_000).map { _ in generator.worker() }
    }

    func makeIndex() -> MatchingIndex {
        MatchingIndex(rules: setup.rules, taxonomy: setup.taxonomy, configuration: setup.configuration)
    }

    func nextWorker() -> WorkerQuery {
        next = (next + 1) % workers.count
        return workers[next]
    }
}

nonisolated(unsafe) var fixture: Fixture!
let day = "2026-11-17"

func residentBytes() -> Int {
    let fields = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8))?.split(separator: " ") ?? []
    return (fields.count > 1 ? Int(fields[1]) ?? 0 : 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput], warmupIterations: 10, maxDuration: .seconds(10), maxIterations: 5_000)

    Benchmark("index build, \(postingCount) postings", configuration: .init(metrics: [.wallClock], warmupIterations: 0, maxIterations: 3)) { benchmark in
        for _ in benchmark.scaledIterations {
            let index = fixture.makeIndex()
            benchmark.startMeasurement()
            index.upsert(contentsOf: fixture.jobs)
            benchmark.stopMeasurement()
            blackHole(index)
        }
    } setup: {
        if fixture == nil { fixture = try Fixture() }
    }

    Benchmark("rank one worker, in-memory index, \(postingCount) postings") { benchmark in
        let index = fixture.index!
        for _ in benchmark.scaledIterations {
            blackHole(index.rank(fixture.nextWorker(), limit: 10, on: day))
        }
    } setup: {
        if fixture == nil { fixture = try Fixture() }
        let before = residentBytes()
        let index = fixture.makeIndex()
        index.upsert(contentsOf: fixture.jobs)
        fixture.index = index
        print("index of \(index.count) postings: resident memory grew by \((residentBytes() - before) / 1_048_576) MiB while building it")
        let sample = fixture.workers.prefix(200).map { index.rank($0, limit: 10, on: day) }
        let considered = sample.map(\.considered).sorted(), eligible = sample.map(\.eligible).sorted()
        let scored = sample.map(\.scored).sorted()
        print("per query: considered median \(considered[100]), max \(considered.last!); eligible median \(eligible[100]), max \(eligible.last!); scored (not pruned) median \(scored[100]), max \(scored.last!)")
    }

    // The architecture's budget is stated for the top 20.
    Benchmark("rank one worker, top 20, in-memory index, \(postingCount) postings") { benchmark in
        let index = fixture.index!
        for _ in benchmark.scaledIterations {
            blackHole(index.rank(fixture.nextWorker(), limit: 20, on: day))
        }
    } setup: {
        if fixture == nil { fixture = try Fixture() }
        if fixture.index == nil {
            let index = fixture.makeIndex()
            index.upsert(contentsOf: fixture.jobs)
            fixture.index = index
        }
    }

    Benchmark("rank one worker, SQL on SQLite, \(postingCount) postings") { benchmark in
        let sql = fixture.sql!
        for _ in benchmark.scaledIterations {
            blackHole(try await sql.rank(fixture.nextWorker(), limit: 10, on: day))
        }
    } setup: {
        if fixture == nil { fixture = try Fixture() }
        let sql = try await SQLRanking.load(fixture.jobs, setup: fixture.setup)
        fixture.sql = sql
        let index = fixture.index ?? { let index = fixture.makeIndex(); index.upsert(contentsOf: fixture.jobs); return index }()
        var agree = 0
        for worker in fixture.workers.prefix(50) {
            let fromIndex = index.rank(worker, limit: 10, on: day).matches.map(\.score)
            let fromSQL = try await sql.rank(worker, limit: 10, on: day)
            if fromIndex.count == fromSQL.count, zip(fromIndex, fromSQL).allSatisfy({ abs($0 - $1) < 1e-6 }) { agree += 1 }
        }
        print("SQL and index return the same top-10 scores for \(agree) of 50 workers")
    } teardown: {
        try await fixture.sql?.close()
    }
}
