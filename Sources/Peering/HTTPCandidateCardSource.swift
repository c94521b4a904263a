public import JobService
public import Sovereignty
public import Transfers
internal import Foundation
internal import NIOHTTP1

/// Asks another jurisdiction's backend-api for candidate cards (`POST /internal/v1/candidate-cards`).
/// The answering cell decides, under its transfer policy, which cards leave it; the asking region is
/// the one in this process's certificate, not one it claims.
public struct HTTPCandidateCardSource: CandidateCardSource {
    let peers: PeerDirectory
    let region: RegionID

    public init(peers: PeerDirectory, region: RegionID) {
        self.peers = peers
        self.region = region
    }

    public func cards(for job: Job, requestedBy requester: RegionID, limit: Int) async throws -> [CandidateCard] {
        let body = try JSONEncoder().encode(PeerRoutes.CardRequest(job: job, limit: limit))
        let answer = try await peers.call(.POST, PeerRoutes.cardsPath, body: body, to: region)
        guard answer.status == 200 else { throw PeerError.refusal(region, status: answer.status, body: answer.body) }
        return try JSONDecoder().decode([CandidateCard].self, from: answer.body)
    }
}
