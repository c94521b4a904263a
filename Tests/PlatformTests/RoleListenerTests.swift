import Foundation
import JobService
import MutualTLS
import Peering
import NIOHTTP1
@testable import Platform
import Sovereignty
import Testing
@testable import Transfers

/// A backend-api's internal listener admits callers by the identity in their certificate: the public
/// API only for the gateway, with the caller's token verified again; the cross-region routes only for
/// another region's backend-api, and for each record only the region it comes from.
@Suite("Role listener: who may call what")
struct RoleListenerTests {
    static let gateway = ServiceIdentity(region: "jp-tokyo", role: .gateway)
    static let koreanBackend = ServiceIdentity(region: "kr-seoul", role: .backendAPI)

    @Test func thePublicAPIAnswersTheGatewayOnlyAndVerifiesTokensAgain() async throws {
        try await RegionProcess.withBackend(RegionID("jp-tokyo")) { backend in
            #expect(try await backend.call(as: Self.gateway, .GET, "/api/v1/jobs")?.status == 200)
            let peer = try #require(try await backend.call(as: Self.koreanBackend, .GET, "/api/v1/jobs"))
            #expect(peer.status == 403, "another role may not use the public API around the gateway")
            let forged = try #require(try await backend.call(as: Self.gateway, .GET, "/api/v1/users/me",
                                                             headers: [("Authorization", "Bearer eyJhbGciOiJFUzI1NiJ9.e30.AAAA")]))
            #expect(forged.status == 401, "a token the gateway let through is checked again")
            #expect(try await backend.call(as: ServiceIdentity(region: "kr-seoul", role: .aiAgent), .GET, "/api/v1/jobs")?.status == 403,
                    "an agent may read the signing keys, not the public API")
            #expect(try await backend.call(as: ServiceIdentity(region: "jp-tokyo", role: .backendAPI), .GET, "/health") == nil,
                    "a region's backend-api does not call itself: refused at the handshake")
        }
    }

    @Test func crossRegionRoutesAnswerAnotherRegionsBackendForItsOwnRecordsOnly() async throws {
        try await RegionProcess.withBackend(RegionID("jp-tokyo")) { backend in
            let japaneseJob = PeerPortContractTests.job(origin: RegionID("jp-tokyo"), code: "jp1", updated: "2026-12-01T00:00:00.000Z")
            try await backend.role.cell.jobs.upsert(japaneseJob)
            let koreanJob = PeerPortContractTests.job(origin: RegionID("kr-seoul"), code: "kr1", updated: "2026-12-01T00:00:00.000Z")
            let encoder = JSONEncoder()

            // kr-seoul replicates its own posting, not jp-tokyo's.
            #expect(try await backend.call(as: Self.koreanBackend, .PUT, "/internal/v1/catalog/jobs/\(koreanJob.id)",
                                           body: encoder.encode(koreanJob))?.status == 204)
            #expect(try await backend.call(as: Self.koreanBackend, .PUT, "/internal/v1/catalog/jobs/\(japaneseJob.id)",
                                           body: encoder.encode(japaneseJob))?.status == 403)
            // A late, older copy is acknowledged and changes nothing.
            var stale = koreanJob
            stale.updatedAt = "2026-11-01T00:00:00.000Z"
            stale.content.title = "Stale title"
            #expect(try await backend.call(as: Self.koreanBackend, .PUT, "/internal/v1/catalog/jobs/\(koreanJob.id)",
                                           body: encoder.encode(stale))?.status == 204)
            #expect(try await backend.role.cell.jobs.find(koreanJob.id)?.content.title == koreanJob.content.title)
            // The path's id must be the record's.
            #expect(try await backend.call(as: Self.koreanBackend, .PUT, "/internal/v1/catalog/jobs/\(japaneseJob.id)",
                                           body: encoder.encode(koreanJob))?.status == 400)

            // kr-seoul delivers its own workers' applications only.
            let own = PeerPortContractTests.application(for: japaneseJob)
            #expect(try await backend.call(as: Self.koreanBackend, .PUT, "/internal/v1/applications/\(own.id)",
                                           body: encoder.encode(own))?.status == 204)
            let someoneElses = PeerPortContractTests.application(
                for: japaneseJob, worker: RegionalID.generate(kind: .user, regionCode: "eu1", millisecondsSince1970: 1_765_000_000_000))
            #expect(try await backend.call(as: Self.koreanBackend, .PUT, "/internal/v1/applications/\(someoneElses.id)",
                                           body: encoder.encode(someoneElses))?.status == 403)
            // kr-seoul reports only its own people's erasure.
            let europeanWorker = RegionalID.generate(kind: .user, regionCode: "eu1", millisecondsSince1970: 1_765_000_000_000)
            #expect(try await backend.call(as: Self.koreanBackend, .PUT, "/internal/v1/erasures/\(europeanWorker)")?.status == 403)
            #expect(try await backend.role.cell.applications.received(for: japaneseJob.id).map(\.id) == [own.id])
            #expect(try await RevocationStore(database: backend.role.cell.database).all().isEmpty)

            // The gateway never calls these routes, whatever header it sends.
            let asGateway = try #require(try await backend.call(
                as: Self.gateway, .PUT, "/internal/v1/erasures/\(own.workerID)",
                headers: [(PeerIdentityGate.callerHeader.rawName, Self.koreanBackend.description)]))
            #expect(asGateway.status == 403)
            #expect(try await backend.role.cell.applications.received(for: japaneseJob.id).count == 1)

            // The worker's own region reports the erasure: the application goes, the id is refused from now on.
            #expect(try await backend.call(as: Self.koreanBackend, .PUT, "/internal/v1/erasures/\(own.workerID)")?.status == 204)
            #expect(try await backend.role.cell.applications.received(for: japaneseJob.id).isEmpty)
            #expect(try await RevocationStore(database: backend.role.cell.database).all() == [own.workerID.description])

            // Candidate cards: for the asking region's own postings, a bounded number.
            let cards = try JSONSerialization.data(withJSONObject: ["job": try JSONSerialization.jsonObject(with: encoder.encode(koreanJob)), "limit": 5])
            #expect(try await backend.call(as: Self.koreanBackend, .POST, "/internal/v1/candidate-cards", body: cards)?.status == 200)
            let foreign = try JSONSerialization.data(withJSONObject: ["job": try JSONSerialization.jsonObject(with: encoder.encode(japaneseJob)), "limit": 5])
            #expect(try await backend.call(as: Self.koreanBackend, .POST, "/internal/v1/candidate-cards", body: foreign)?.status == 403)
            let unbounded = try JSONSerialization.data(withJSONObject: ["job": try JSONSerialization.jsonObject(with: encoder.encode(koreanJob)), "limit": 100_000])
            #expect(try await backend.call(as: Self.koreanBackend, .POST, "/internal/v1/candidate-cards", body: unbounded)?.status == 422)
        }
    }
}
