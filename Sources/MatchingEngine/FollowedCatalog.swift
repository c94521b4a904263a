public import JobService
public import Sovereignty
internal import Synchronization

/// The open postings of a region as a matching engine running apart holds them: every change the
/// region's backend-api makes to its catalog (its own postings and the copies it receives) is
/// applied here in order, to the index, to the postings returned with matches and, once the engine
/// has caught up, to the workers listening for new matches.
public final class FollowedCatalog: PostingLookup, Sendable {
    public let index: MatchingIndex
    public let notifier: MatchNotifier
    private let postings = Mutex<[RegionalID: Job]>([:])

    public init(index: MatchingIndex, notifier: MatchNotifier) {
        self.index = index
        self.notifier = notifier
    }

    /// Applies postings in the order they changed; an older version than the one held is ignored.
    /// - Parameter announce: whether listening workers hear of new postings (not while catching up
    ///   at start, when every posting would look new).
    public func apply(_ jobs: [Job], announce: Bool) {
        let changed = postings.withLock { held in
            jobs.filter { job in
                if let current = held[job.id], current.updatedAt >= job.updatedAt { return false }
                // A closed posting is kept too, so that a late copy of an older, open version cannot revive it.
                held[job.id] = job
                return true
            }
        }
        index.upsert(contentsOf: changed)
        guard announce else { return }
        for job in changed { notifier.indexed(job) }
    }

    public func find(_ id: RegionalID) async throws -> Job? {
        postings.withLock { $0[id] }
    }

    /// Open postings held.
    public var count: Int { postings.withLock { $0.values.count { $0.status == .open } } }
}
