public import Sovereignty
public import Transfers
internal import Foundation
internal import NIOHTTP1

/// Hands an application to the job's region, and an erased worker's retraction to every region
/// that received them, over the network (`PUT /internal/v1/applications/{id}`,
/// `PUT /internal/v1/retractions/{worker}`). Both are idempotent: the receiver keys the record by id.
public struct HTTPApplicationDelivery: ApplicationDelivery {
    let peers: PeerDirectory

    public init(peers: PeerDirectory) {
        self.peers = peers
    }

    public func deliver(_ application: Application, to region: RegionID) async throws {
        let answer = try await peers.call(.PUT, PeerRoutes.applicationPath(application.id), body: try JSONEncoder().encode(application), to: region)
        guard answer.status == 204 else { throw PeerError.refusal(region, status: answer.status, body: answer.body) }
    }

    public func retract(worker: RegionalID, from region: RegionID) async throws {
        let answer = try await peers.call(.PUT, PeerRoutes.retractionPath(worker), to: region)
        guard answer.status == 204 else { throw PeerError.refusal(region, status: answer.status, body: answer.body) }
    }
}
