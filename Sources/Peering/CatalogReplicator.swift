public import JobService
public import Logging
public import ServiceLifecycle
public import Sovereignty
internal import Foundation
internal import NIOHTTP1
internal import Synchronization

/// Carries the cell's public postings to every other region's backend-api, at least once and in the
/// order they changed, whatever is down when they are written.
///
/// The cell's postings table is the outbox: every write takes the next number of the cell's change
/// sequence in the same transaction as the posting (``SQLJobStore/changes(from:after:limit:)``), and
/// for each region the cell remembers the last change that region acknowledged
/// (``ReplicationCursors``). Writing a posting never waits for the network: it wakes this service,
/// which sends each region what it has not acknowledged (`PUT /internal/v1/catalog/jobs/{id}`) and
/// backs off from a region that does not answer (1 s, doubling to 30 s). The receiver applies a copy
/// only when it is newer than the one it holds, so a repeat after a lost acknowledgement, or a
/// late old version, changes nothing.
public final class CatalogReplicator: JobReplicator, Service {
    let origin: RegionID
    let targets: [RegionID]
    let postings: SQLJobStore
    let cursors: ReplicationCursors
    let peers: PeerDirectory
    let logger: Logger
    let pollInterval: Duration
    let maxBackoff: Duration
    private let pending = Atomic<Bool>(true)
    private let backoff: RetryBackoff

    public init(origin: RegionID, targets: [RegionID], postings: SQLJobStore, cursors: ReplicationCursors, peers: PeerDirectory,
                logger: Logger, pollInterval: Duration = .milliseconds(100), maxBackoff: Duration = .seconds(30)) {
        self.origin = origin
        self.targets = targets.filter { $0 != origin }.sorted { $0.rawValue < $1.rawValue }
        self.postings = postings
        self.cursors = cursors
        self.peers = peers
        self.logger = logger
        self.pollInterval = pollInterval
        self.maxBackoff = maxBackoff
        backoff = RetryBackoff(ceiling: maxBackoff)
    }

    /// The posting is already in the cell's change sequence: wake the sender.
    public func replicate(_ job: Job) async throws {
        pending.store(true, ordering: .releasing)
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let due = self.pending.exchange(false, ordering: .acquiringAndReleasing) || self.backoff.anyDue
                if due { await self.deliverAll() }
                try? await Task.sleep(for: self.pollInterval)
            }
        }
    }

    /// Sends every region what it has not acknowledged; regions backing off wait their turn.
    public func deliverAll() async {
        for target in targets where backoff.isDue(target) {
            do {
                try await deliver(to: target)
                backoff.succeeded(target)
            } catch {
                let delay = backoff.failed(target)
                logger.warning("catalog replication to a region failed; retrying", metadata: [
                    "target_region": "\(target)", "retry_in_ms": "\(delay.milliseconds)", "error": "\(error)",
                ])
            }
        }
    }

    /// How many of the cell's changes `target` has not acknowledged (for tests and `/ready` detail).
    public func backlog(of target: RegionID) async throws -> Int {
        try await postings.changes(from: origin, after: cursors.position(of: target), limit: 1000).count
    }

    private func deliver(to target: RegionID) async throws {
        var position = try await cursors.position(of: target)
        while true {
            let batch = try await postings.changes(from: origin, after: position, limit: 100)
            guard !batch.isEmpty else { return }
            for change in batch {
                let answer = try await peers.call(.PUT, PeerRoutes.jobPath(change.job.id), body: try JSONEncoder().encode(change.job), to: target)
                guard answer.status == 204 else { throw PeerError.refusal(target, status: answer.status, body: answer.body) }
                try await cursors.advance(target, to: change.sequence)
                position = change.sequence
            }
        }
    }
}
