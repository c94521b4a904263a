public import Logging
public import ServiceLifecycle
public import Sovereignty
public import Storage
public import Transfers
internal import Foundation
internal import NIOHTTP1
internal import ServerKit
internal import SQLKit
internal import Synchronization

/// Tells every other region's backend-api that a person was erased here
/// (`PUT /internal/v1/erasures/{person}`): each deletes the applications it received from them and
/// refuses their tokens. At least once, whatever is down: the notice is written to the cell's
/// database in the erasure's request, and this service sends what is waiting, backing off from a
/// region that does not answer. Receiving a notice twice changes nothing.
public final class ErasureNotifier: ErasureNotices, Service {
    let database: any TransactionalDatabase
    let targets: [RegionID]
    let peers: PeerDirectory
    let logger: Logger
    let pollInterval: Duration
    private let pending = Atomic<Bool>(true)
    private let backoff: RetryBackoff

    public init(database: any TransactionalDatabase, targets: [RegionID], peers: PeerDirectory, logger: Logger,
                pollInterval: Duration = .milliseconds(100), maxBackoff: Duration = .seconds(30)) {
        self.database = database
        self.targets = targets.sorted { $0.rawValue < $1.rawValue }
        self.peers = peers
        self.logger = logger
        self.pollInterval = pollInterval
        backoff = RetryBackoff(ceiling: maxBackoff)
    }

    public static let migrations: [Migration] = [
        Migration(id: "erasure-notices-001", statements: [
            "CREATE TABLE erasure_notices (person TEXT NOT NULL, target TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (person, target))",
        ]),
    ]

    /// Every other region is told, not only the recipients: any of them may be shown the person's token.
    public func erased(_ person: RegionalID, recipients: [RegionID]) async throws -> [RegionID] {
        let now = Timestamps.format(Date())
        try await database.write { [targets] sql in
            for target in targets {
                try await sql.raw("""
                    INSERT INTO erasure_notices (person, target, created_at) VALUES (\(bind: person.description), \(bind: target.rawValue), \(bind: now))
                    ON CONFLICT (person, target) DO NOTHING
                    """).run()
            }
        }
        pending.store(true, ordering: .releasing)
        return targets
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if self.pending.exchange(false, ordering: .acquiringAndReleasing) || self.backoff.anyDue { await self.deliverAll() }
                try? await Task.sleep(for: self.pollInterval)
            }
        }
    }

    /// Sends every waiting notice; regions backing off wait their turn.
    public func deliverAll() async {
        for target in targets where backoff.isDue(target) {
            do {
                for person in try await waiting(for: target) {
                    let answer = try await peers.call(.PUT, PeerRoutes.erasurePath(person), to: target)
                    guard answer.status == 204 else { throw PeerError.refusal(target, status: answer.status, body: answer.body) }
                    try await database.write { sql in
                        try await sql.raw("""
                            DELETE FROM erasure_notices WHERE person = \(bind: person) AND target = \(bind: target.rawValue)
                            """).run()
                    }
                }
                backoff.succeeded(target)
            } catch {
                let delay = backoff.failed(target)
                logger.warning("an erasure notice could not be delivered; retrying", metadata: [
                    "target_region": "\(target)", "retry_in_ms": "\(delay.milliseconds)", "error": "\(error)",
                ])
            }
        }
    }

    /// Notices not yet acknowledged by `target`, oldest first.
    public func waiting(for target: RegionID) async throws -> [String] {
        try await database.sql.raw("""
            SELECT person FROM erasure_notices WHERE target = \(bind: target.rawValue) ORDER BY created_at, person
            """).all().map { try $0.decode(column: "person", as: String.self) }
    }
}
