internal import Synchronization

/// Who a request acts for, so that their reads after their own write see it: a replica may still
/// be replaying the write, so for a short window after a caller writes, their reads go to the
/// primary. Set per request (the cell's router binds the authenticated subject); work done for
/// nobody in particular (background jobs) reads wherever the replicas allow.
public enum DatabaseCaller {
    @TaskLocal public static var current: String?
}

/// The callers who wrote within the last `window`, kept per process.
final class RecentWriters: Sendable {
    private let window: Duration
    private let writes = Mutex<[String: ContinuousClock.Instant]>([:])

    init(window: Duration) {
        self.window = window
    }

    func noteWrite(by caller: String, at now: ContinuousClock.Instant = .now) {
        writes.withLock { writes in
            // Forget callers whose window has passed, so the map holds only the last few seconds' writers.
            if writes.count > 1024 { writes = writes.filter { now - $0.value < window } }
            writes[caller] = now
        }
    }

    func wroteRecently(_ caller: String, at now: ContinuousClock.Instant = .now) -> Bool {
        writes.withLock { writes in writes[caller].map { now - $0 < window } ?? false }
    }
}
