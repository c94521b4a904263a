import AsyncHTTPClient
import Foundation
import JobService
import Logging
import MatchingEngine
import MutualTLS
import Peering
@testable import Platform
import Sovereignty
import Testing
import TestSupport
import UserService
import Workforce

/// The ports between a region's backend-api and its matching engine — workers' profiles and the
/// catalog — give the engine the same answers in one process and over mTLS, and only the region's
/// own engine may use them.
@Suite("Matching ports: in-process and HTTP adapters")
struct MatchingPortContractTests {
    static let japan = RegionID("jp-tokyo")
    static let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    @Test func bothProfileAdaptersGiveTheSameQuery() async throws {
        try await RegionProcess.withBackend(Self.japan) { backend in
            let worker = Self.worker(code: "jp1", profile: WorkerProfile(
                skills: ["welding", "forklift"], languages: [LanguageProficiency(language: "ja", test: "JLPT", level: "N3")],
                residence: .init(status: "specified-skilled-worker-1", expiresOn: "2028-04-01"), location: Place(country: "JP", prefecture: "Aichi"),
                desiredSalary: Pay(amount: 250_000, currency: "JPY", period: .month)))
            let noProfile = Self.worker(code: "jp1", profile: nil)
            try await backend.role.cell.users.insert(worker, passwordHash: nil)
            try await backend.role.cell.users.insert(noProfile, passwordHash: nil)
            let stranger = Self.worker(code: "kr1", profile: WorkerProfile(skills: ["welding"]))
            try await backend.withClient(as: ServiceIdentity(region: "jp-tokyo", role: .matchingEngine)) { client in
                let inProcess = StoredWorkerProfiles(users: backend.role.cell.users)
                let http = HTTPWorkerProfiles(peers: PeerDirectory(endpoints: [Self.japan: [backend.baseURL]],
                                                                   caller: ServiceIdentity(region: "jp-tokyo", role: .matchingEngine), client: client),
                                              region: Self.japan)
                for adapter in [inProcess, http] as [any WorkerProfiles] {
                    let query = try #require(try await adapter.query(for: worker.id), "\(type(of: adapter))")
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = .sortedKeys
                    let expected = WorkerQuery(worker: worker, profile: worker.profile!)
                    #expect(try encoder.encode(query) == encoder.encode(expected), "\(type(of: adapter))")
                    #expect(query.candidate == expected.candidate)
                    #expect(try await adapter.query(for: noProfile.id) == nil, "a person without a worker profile")
                    #expect(try await adapter.query(for: stranger.id) == nil, "a person of another region")
                }
                // The wire form carries what matching reads and nothing that names the person.
                let answer = try #require(try await backend.call(as: ServiceIdentity(region: "jp-tokyo", role: .matchingEngine), .GET,
                                                                 "/internal/v1/worker-profiles/\(worker.id)"))
                #expect(answer.status == 200)
                #expect(!answer.body.contains(worker.email) && !answer.body.contains(worker.displayName) && !answer.body.contains(worker.id.description))
            }
        }
    }

    @Test func theFollowedCatalogRanksLikeTheCellsOwnIndex() async throws {
        try await RegionProcess.withBackend(Self.japan) { backend in
            let cell = backend.role.cell
            var jobs: [Job] = []
            for index in 0..<7 {
                var job = PeerPortContractTests.job(origin: Self.japan, code: "jp1", updated: "2026-12-0\(index + 1)T00:00:00.000Z")
                job.content.title = "Posting \(index)"
                job.content.requiredSkills = index.isMultiple(of: 2) ? ["welding"] : ["forklift"]
                jobs.append(job)
                try await cell.jobs.upsert(job)
            }
            var closed = jobs[2]
            closed.status = .closed
            closed.updatedAt = "2026-12-09T00:00:00.000Z"
            try await cell.jobs.upsert(closed)
            let engine = ServiceIdentity(region: "jp-tokyo", role: .matchingEngine)
            try await backend.withClient(as: engine) { client in
                let matching = backend.role.configuration.matching
                let index = MatchingIndex(rules: matching.rules, taxonomy: matching.taxonomy, configuration: matching.configuration)
                let followed = FollowedCatalog(index: index, notifier: MatchNotifier(index: index))
                let follower = CatalogFollower(region: Self.japan, peers: PeerDirectory(endpoints: [Self.japan: [backend.baseURL]], caller: engine,
                                                                                        client: client),
                                               catalog: followed, logger: Self.quiet)
                #expect(!follower.isCaughtUp)
                try await follower.catchUp()
                #expect(follower.isCaughtUp)
                #expect(followed.count == cell.matchingIndex.count)
                #expect(followed.count == 6, "the closed posting is not held open")
                let query = WorkerQuery(candidate: Candidate(residenceStatus: "citizen", countryOfResidence: "JP"), skills: ["welding"], location: Place(country: "JP"),
                                        desiredSalary: nil)
                let ranked = { (index: MatchingIndex) in index.rank(query, limit: 10, on: "2026-12-10").matches.map { "\($0.jobID) \($0.score)" } }
                #expect(ranked(index) == ranked(cell.matchingIndex))
                #expect(!ranked(index).isEmpty)
                #expect(try await followed.find(jobs[0].id)?.content.title == "Posting 0")

                // A change after the catch-up arrives on the next read, and only it is read.
                let before = follower.lastApplied
                var renamed = jobs[0]
                renamed.content.title = "Renamed"
                renamed.updatedAt = "2026-12-10T00:00:00.000Z"
                try await cell.jobs.upsert(renamed)
                try await follower.catchUp()
                #expect(follower.lastApplied > before)
                #expect(try await followed.find(jobs[0].id)?.content.title == "Renamed")
                // An older version applied late changes nothing.
                followed.apply([jobs[0]], announce: false)
                #expect(try await followed.find(jobs[0].id)?.content.title == "Renamed")
            }
        }
    }

    @Test func onlyTheRegionsOwnMatchingEngineMayReadTheFeed() async throws {
        try await RegionProcess.withBackend(Self.japan) { backend in
            for caller in [ServiceIdentity(region: "jp-tokyo", role: .gateway), ServiceIdentity(region: "kr-seoul", role: .backendAPI)] {
                let answer = try await backend.call(as: caller, .GET, "/internal/v1/catalog/changes")
                #expect(answer?.status == 403, "\(caller)")
            }
            #expect(try await backend.call(as: ServiceIdentity(region: "kr-seoul", role: .matchingEngine), .GET, "/internal/v1/catalog/changes")?.status == 403,
                    "another region's engine may read the keys, not the feed")
            #expect(try await backend.call(as: ServiceIdentity(region: "jp-tokyo", role: .aiAgent), .GET, "/internal/v1/worker-profiles/x")?.status == 403)
            let engine = ServiceIdentity(region: "jp-tokyo", role: .matchingEngine)
            #expect(try await backend.call(as: engine, .GET, "/internal/v1/catalog/changes?after=-1")?.status == 422)
            #expect(try await backend.call(as: engine, .GET, "/internal/v1/catalog/changes?limit=100000")?.status == 422)
            #expect(try await backend.call(as: engine, .GET, "/internal/v1/worker-profiles/not-an-id")?.status == 400)
            #expect(try await backend.call(as: engine, .GET, "/internal/v1/catalog/changes")?.status == 200)
        }
    }

    static func worker(code: String, profile: WorkerProfile?) -> UserService.User {
        UserService.User(
            id: RegionalID.generate(kind: .user, regionCode: code, millisecondsSince1970: 1_800_000_000_000),
            role: .worker, email: "worker-\(UUID().uuidString.prefix(8))@example.jp", displayName: "Aiko Test", countryOfResidence: "JP",
            homeRegion: code == "jp1" ? "jp-tokyo" : "kr-seoul", companyName: nil, profile: profile,
            createdAt: "2026-11-25T00:00:00Z", updatedAt: "2026-11-25T00:00:00Z")
    }
}
