public import JobService
public import Sovereignty
internal import Foundation
internal import NIOHTTP1

/// Carries a public posting to every other region's backend-api (`PUT /internal/v1/catalog/jobs/{id}`).
/// The receiver applies it only when it is newer than what it holds, so a retry or a late copy is harmless.
public struct HTTPJobReplicator: JobReplicator {
    let peers: PeerDirectory
    let origin: RegionID

    public init(peers: PeerDirectory, origin: RegionID) {
        self.peers = peers
        self.origin = origin
    }

    public func replicate(_ job: Job) async throws {
        let body = try JSONEncoder().encode(job)
        var failures: [PeerError] = []
        for region in peers.regions.sorted(by: { $0.rawValue < $1.rawValue }) where region != origin {
            do {
                let answer = try await peers.call(.PUT, PeerRoutes.jobPath(job.id), body: body, to: region)
                guard answer.status == 204 else { throw PeerError.refusal(region, status: answer.status, body: answer.body) }
            } catch let error as PeerError {
                failures.append(error)
            }
        }
        if let first = failures.first { throw first }
    }
}
