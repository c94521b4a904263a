import Foundation
import JobService
import Logging
import MutualTLS
import Peering
@testable import Platform
import ServiceLifecycle
import Sovereignty
import Testing
import TestSupport

/// Postings reach every other region at least once, in order, whatever was down when they were written.
@Suite("Catalog replication")
struct CatalogReplicationTests {
    @Test func postingsWrittenWhileARegionIsDownReachItWhenItReturns() async throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try RegionProcess.certificates(in: folder)
        let port = try await RegionProcess.freePort()
        let korea = ServiceIdentity(region: "kr-seoul", role: .backendAPI)
        let japan = RegionID("jp-tokyo")
        let client = try InternalTransport.mutualTLS(files).client(as: korea)
        try await KoreanOrigin.with { origin in
            let peers = PeerDirectory(endpoints: [japan: ["https://127.0.0.1:\(port)"]], caller: korea, client: client)
            let replicator = origin.replicator(to: japan, peers: peers)
            let first = PeerPortContractTests.job(origin: RegionID("kr-seoul"), code: "kr1", updated: "2026-12-01T00:00:00.000Z")
            var second = PeerPortContractTests.job(origin: RegionID("kr-seoul"), code: "kr1", updated: "2026-12-01T00:00:00.000Z")
            try await origin.postings.upsert(first)
            try await origin.postings.upsert(second)
            second.updatedAt = "2026-12-02T00:00:00.000Z"
            second.content.title = "Welder, night shift"
            try await origin.postings.upsert(second)

            // jp-tokyo is down: nothing is acknowledged, and the write did not wait for it.
            await replicator.deliverAll()
            #expect(try await replicator.backlog(of: japan) == 2)

            let group = ServiceGroup(services: [replicator], logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try await RegionProcess.withBackend(japan, port: port, certificates: files) { backend in
                    let deadline = ContinuousClock.now + .seconds(20)
                    while try await replicator.backlog(of: japan) > 0, ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    #expect(try await replicator.backlog(of: japan) == 0, "jp-tokyo caught up once it returned")
                    #expect(try await backend.role.cell.jobs.find(first.id) == first)
                    let latest = try await backend.role.cell.jobs.find(second.id)
                    #expect(latest?.content.title == "Welder, night shift", "the newest version arrived")
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
        try await client.shutdown()
    }
}
