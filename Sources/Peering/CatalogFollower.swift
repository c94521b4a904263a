public import Logging
public import MatchingEngine
public import ServiceLifecycle
public import Sovereignty
internal import Foundation
internal import NIOHTTP1
internal import Synchronization

/// A matching engine running apart follows its region's catalog: it reads the backend-api's change
/// feed (`GET /internal/v1/catalog/changes`) from where it left off, page after page, and applies
/// each change in order to its ``FollowedCatalog``; then it asks again every `pollInterval`.
///
/// The engine starts from the first change, so it needs no store of its own; it is ready (and new
/// postings are announced to listening workers) once it has read the whole feed once. A backend-api
/// that does not answer is asked again after 1 s, doubling to `maxBackoff`, and the engine keeps
/// serving the catalog it holds.
public final class CatalogFollower: Service {
    let region: RegionID
    let peers: PeerDirectory
    let catalog: FollowedCatalog
    let logger: Logger
    let pollInterval: Duration
    private let position = Atomic<Int64>(0)
    private let caughtUp = Atomic<Bool>(false)
    private let backoff: RetryBackoff

    /// - Parameter peers: a directory naming the region's own backend-api.
    public init(region: RegionID, peers: PeerDirectory, catalog: FollowedCatalog, logger: Logger,
                pollInterval: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(30)) {
        self.region = region
        self.peers = peers
        self.catalog = catalog
        self.logger = logger
        self.pollInterval = pollInterval
        backoff = RetryBackoff(ceiling: maxBackoff)
    }

    /// Whether the whole feed has been read once since start.
    public var isCaughtUp: Bool { caughtUp.load(ordering: .acquiring) }

    /// The last change applied.
    public var lastApplied: Int64 { position.load(ordering: .acquiring) }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if self.backoff.isDue(self.region) {
                    do {
                        try await self.catchUp()
                        self.backoff.succeeded(self.region)
                    } catch {
                        let delay = self.backoff.failed(self.region)
                        self.logger.warning("cannot read the region's catalog feed; retrying", metadata: [
                            "retry_in_ms": "\(delay.milliseconds)", "error": "\(error)",
                        ])
                    }
                }
                try? await Task.sleep(for: self.pollInterval)
            }
        }
    }

    /// Reads and applies the feed until a page comes back empty.
    public func catchUp() async throws {
        let announce = isCaughtUp
        while true {
            let after = position.load(ordering: .acquiring)
            let answer = try await peers.call(.GET, MatchingFeedRoutes.changesPath + "?after=\(after)&limit=\(MatchingFeedRoutes.pageLimit)",
                                              to: region)
            guard answer.status == 200 else { throw PeerError.refusal(region, status: answer.status, body: answer.body) }
            let page = try JSONDecoder().decode(MatchingFeedRoutes.ChangePage.self, from: answer.body)
            catalog.apply(page.changes.map(\.job), announce: announce)
            position.store(max(after, page.next), ordering: .releasing)
            if page.changes.count < MatchingFeedRoutes.pageLimit { break }
        }
        if !announce {
            caughtUp.store(true, ordering: .releasing)
            logger.info("matching engine caught up with the region's catalog", metadata: ["postings": "\(catalog.count)"])
        }
    }
}
