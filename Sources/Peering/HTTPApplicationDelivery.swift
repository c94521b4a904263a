public import Sovereignty
public import Transfers
internal import Foundation
internal import NIOHTTP1

/// Hands an application to the job's region over the network (`PUT /internal/v1/applications/{id}`).
/// Idempotent: the receiver keys the application by its id.
public struct HTTPApplicationDelivery: ApplicationDelivery {
    let peers: PeerDirectory

    public init(peers: PeerDirectory) {
        self.peers = peers
    }

    public func deliver(_ application: Application, to region: RegionID) async throws {
        let answer = try await peers.call(.PUT, PeerRoutes.applicationPath(application.id), body: try JSONEncoder().encode(application), to: region)
        guard answer.status == 204 else { throw PeerError.refusal(region, status: answer.status, body: answer.body) }
    }
}
