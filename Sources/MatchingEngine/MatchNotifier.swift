public import Foundation
public import JobService
internal import ServerKit
internal import Synchronization

/// Real-time matching: workers connected to the stream hear about a new posting in their cell as
/// soon as it is indexed, when it is one they may take and its score reaches their threshold.
/// In-memory fan-out within the process.
public final class MatchNotifier: Sendable {
    /// A new posting scored for one subscriber.
    public struct Event: Sendable {
        public let match: RankedJob
        public let job: Job
    }

    private struct Subscriber: Sendable {
        /// Whose stream this is, so that it can be ended when they are erased.
        let person: String?
        let query: WorkerQuery
        let minimumScore: Double
        let continuation: AsyncStream<Event>.Continuation
    }

    private let index: MatchingIndex
    private let subscribers = Mutex<[UUID: Subscriber]>([:])
    private let now: @Sendable () -> Date

    public init(index: MatchingIndex, now: @escaping @Sendable () -> Date = Date.init) {
        self.index = index
        self.now = now
    }

    /// Events for a worker until the stream is dropped; the returned id ends the subscription.
    public func subscribe(_ query: WorkerQuery, minimumScore: Double, person: String? = nil) -> (id: UUID, events: AsyncStream<Event>) {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(64))
        subscribers.withLock { $0[id] = Subscriber(person: person, query: query, minimumScore: minimumScore, continuation: continuation) }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(id) }
        return (id, stream)
    }

    public func unsubscribe(_ id: UUID) {
        subscribers.withLock { $0.removeValue(forKey: id) }?.continuation.finish()
    }

    /// Ends every stream of `person` (who was erased).
    public func end(person: String) {
        let ended = subscribers.withLock { subscribers in
            let ids = subscribers.filter { $0.value.person == person }.map(\.key)
            return ids.compactMap { subscribers.removeValue(forKey: $0) }
        }
        for subscriber in ended { subscriber.continuation.finish() }
    }

    /// The people with a stream open.
    public var subscribedPersons: Set<String> {
        subscribers.withLock { Set($0.values.compactMap(\.person)) }
    }

    /// Connected subscribers (for tests and metrics).
    public var subscriberCount: Int { subscribers.withLock { $0.count } }

    /// Called after a posting reached the index; only a newly created, open posting is announced.
    public func indexed(_ job: Job) {
        guard job.status == .open, job.createdAt == job.updatedAt else { return }
        let current = subscribers.withLock { Array($0.values) }
        guard !current.isEmpty else { return }
        guard let evaluator = index.evaluator(for: job, on: Timestamps.day(now())) else { return }
        for subscriber in current {
            // The same rule as a ranked query: a shared (or related) skill, or a posting requiring none.
            guard let match = evaluator.match(subscriber.query), match.score >= subscriber.minimumScore else { continue }
            subscriber.continuation.yield(Event(match: match, job: job))
        }
    }
}
