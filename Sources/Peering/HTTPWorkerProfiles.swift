public import MatchingEngine
public import Sovereignty
internal import Foundation
internal import NIOHTTP1
internal import ServerKit

/// A matching engine running apart asks its region's backend-api for the calling worker's matching
/// profile (`GET /internal/v1/worker-profiles/{id}`); the profile never leaves the region.
public struct HTTPWorkerProfiles: WorkerProfiles {
    let peers: PeerDirectory
    let region: RegionID

    /// - Parameter peers: a directory naming the region's own backend-api.
    public init(peers: PeerDirectory, region: RegionID) {
        self.peers = peers
        self.region = region
    }

    /// - Throws: 503 `upstream-unavailable` naming the region when its backend-api cannot be reached
    ///   (the worker's request can be retried; nothing was decided without their profile).
    public func query(for worker: RegionalID) async throws -> WorkerQuery? {
        let answer: (status: Int, body: Data)
        do {
            answer = try await peers.call(.GET, MatchingFeedRoutes.profilePath(worker), to: region)
        } catch {
            throw Problem.upstreamUnavailable(region: region.rawValue, detail: "backend-api: \(error.reason)")
        }
        switch answer.status {
        case 200: return try JSONDecoder().decode(WorkerQuery.self, from: answer.body)
        case 404: return nil
        case 500...: throw Problem.upstreamUnavailable(region: region.rawValue, detail: "backend-api answered \(answer.status)")
        default: throw PeerError.refusal(region, status: answer.status, body: answer.body)
        }
    }
}
