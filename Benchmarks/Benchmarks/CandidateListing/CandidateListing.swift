import Benchmark
import Foundation
import Gateway
import MatchingEngine
import SQLKit
import HTTPTypes
import Hummingbird
import Logging
import NIOEmbedded
import Platform
import RateLimiting
import ServerKit
import Sovereignty
import Transfers
import UserService
import Workforce

/// An employer's candidate list among 100,000 workers of one cell who all opted in to discovery:
/// through the gateway, authenticated, as the employer sees it (scoring, eligibility, the audit entry).
/// Budget: p99 ≤ 50 ms.
struct CandidateFixture: @unchecked Sendable {
    let platform: Platform
    let token: String
    let path: String
    let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }

    func request() -> Request {
        Request(head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: path,
                                  headerFields: [.authorization: "Bearer \(token)", .userAgent: "bench/1.0"]),
                body: .init(buffer: .init()))
    }

    func context() -> AppRequestContext {
        AppRequestContext(source: ApplicationRequestContextSource(channel: EmbeddedChannel(), logger: logger))
    }
}

nonisolated(unsafe) var candidateFixture: CandidateFixture!

func makeCandidateFixture(workers: Int) async throws -> CandidateFixture {
    let data = FileManager.default.temporaryDirectory.appendingPathComponent("iworkz-bench-\(UUID().uuidString)")
    let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("config")
    var loaded = try LoadedConfiguration.load(from: config)
    loaded.rateLimits = RateLimitConfiguration(policies: [])
    let logger = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
    let platform = try await Platform.start(config: loaded, dataDirectory: data.path, openAPI: "", bcryptCost: 4, logger: logger)
    let cell = platform.cell("jp-tokyo")!
    // Skills by a Zipf-like law over the taxonomy, as in the matching benchmark's catalog.
    let skills = Array(Set(loaded.matching.taxonomy.labels.map(\.skillID))).sorted()
    var random = SyntheticCatalog.Generator(seed: 42)
    let stamp = Timestamps.format(Date())
    let start = ContinuousClock.now
    // Sealing is CPU work that runs in parallel; the cell's writes serialise on its write lock.
    let batch = 8
    for first in stride(from: 0, to: workers, by: batch) {
        let picks = (first..<min(first + batch, workers)).map { index in
            (index, (0..<3).map { _ in skills[Int(pow(Double.random(in: 0..<1, using: &random), 3) * Double(skills.count))] })
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, picked) in picks {
                group.addTask { try await storeWorker(index: index, skills: picked, cell: cell, stamp: stamp) }
            }
            try await group.waitForAll()
        }
        if (first + batch) % 10_000 == 0 { print("  \(first + batch) workers stored after \(ContinuousClock.now - start)") }
    }
    try await cell.candidatePool.load()
    print("\(workers) opted-in workers stored and pooled in \(ContinuousClock.now - start); pool holds \(cell.candidatePool.count(destination: "JP"))")
    let employerID = RegionalID.generate(kind: .user, regionCode: "jp1", millisecondsSince1970: 1_800_000_000_000)
    var employer = User(id: employerID, role: .employer, email: "hr@bench.example", displayName: "HR", countryOfResidence: "JP",
                        homeRegion: "jp-tokyo", companyName: "Bench K.K.", profile: nil, createdAt: stamp, updatedAt: stamp)
    employer.corporateNumber = "1180301018771"
    employer.verifiedAt = stamp
    try await cell.users.insert(employer, passwordHash: nil)
    let token = try await platform.issuer.mint(for: Principal(userID: employerID, role: .employer, homeRegion: "jp-tokyo"))
    // A posting asking for the tenth most common skill.
    let job: [String: Any] = [
        "title": "Bench posting", "description": "Work in a team.", "required_skills": [skills[Int(pow(0.3, 3) * Double(skills.count))]],
        "eligible_residence_statuses": [], "location": ["country": "JP", "prefecture": "Tokyo"],
        "salary": ["min": 220_000, "max": 300_000, "currency": "JPY", "period": "month"], "employment_type": "full-time",
        "field": "industrial-manufacturing",
    ]
    let post = Request(head: HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/api/v1/jobs",
                                         headerFields: [.authorization: "Bearer \(token)", .contentType: "application/json"]),
                       body: .init(buffer: .init(data: try JSONSerialization.data(withJSONObject: job))))
    let fixtureContext = CandidateFixture(platform: platform, token: token, path: "").context()
    let created = try await platform.gateway.respond(to: post, context: fixtureContext)
    precondition(created.status == .created, "could not post the job: \(created.status)")
    let row = try await cell.database.sql.raw("SELECT id FROM jobs WHERE employer_id = \(bind: employerID.description)").first()!
    let jobID = try row.decode(column: "id", as: String.self)
    return CandidateFixture(platform: platform, token: token, path: "/api/v1/jobs/\(jobID)/candidates")
}

/// One worker of the cell, who opted in to candidate discovery at home.
func storeWorker(index: Int, skills: [String], cell: Cell, stamp: String) async throws {
    let id = RegionalID.generate(kind: .user, regionCode: "jp1", millisecondsSince1970: 1_790_000_000_000 + UInt64(index))
    let profile = WorkerProfile(
        skills: skills, languages: [LanguageProficiency(language: "ja", test: "JLPT", level: ["N1", "N2", "N3", "N4"][index % 4])],
        residence: .init(status: ["specified-skilled-worker-1", "technical-intern-training", "permanent-resident"][index % 3], expiresOn: "2030-01-31"),
        location: Place(country: "JP", prefecture: ["Tokyo", "Osaka", "Aichi"][index % 3], city: nil),
        desiredSalary: Pay(amount: 200_000 + (index % 20) * 10_000, currency: "JPY", period: .month))
    let user = User(id: id, role: .worker, email: "worker\(index)@example.jp", displayName: "Worker \(index)", countryOfResidence: "JP",
                    homeRegion: "jp-tokyo", companyName: nil, profile: profile, createdAt: stamp, updatedAt: stamp)
    try await cell.users.insert(user, passwordHash: nil)
    try await cell.consents.insert(Consent(id: UUID().uuidString.lowercased(), userID: id, destination: "JP",
                                           purpose: TransferPurposes.candidateDiscovery, noticeVersion: "bench", noticeText: "", givenAt: stamp))
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput], warmupIterations: 5, maxDuration: .seconds(20), maxIterations: 500)

    Benchmark("candidates for a job among 100,000 opted-in workers of a cell") { benchmark in
        for _ in benchmark.scaledIterations {
            let response = try await candidateFixture.platform.gateway.respond(to: candidateFixture.request(), context: candidateFixture.context())
            precondition(response.status == .ok)
        }
    } setup: {
        candidateFixture = try await makeCandidateFixture(workers: Int(ProcessInfo.processInfo.environment["IWORKZ_BENCH_WORKERS"] ?? "") ?? 100_000)
    }
}
