public import Logging
internal import Synchronization

/// A shared store with a plan for when it fails: use the local limit (default), admit everything
/// (fail open) or refuse everything (fail closed). The failure and the recovery are each logged once,
/// not per request.
public final class FallbackRateLimitStore: RateLimitStore {
    public enum Mode: String, Sendable, Decodable {
        case local, open, closed
    }

    private let primary: any RateLimitStore
    private let fallback: any RateLimitStore
    private let mode: Mode
    private let logger: Logger
    private let failing = Mutex(false)

    public init(primary: any RateLimitStore, fallback: any RateLimitStore, mode: Mode, logger: Logger) {
        self.primary = primary
        self.fallback = fallback
        self.mode = mode
        self.logger = logger
    }

    /// Whether the shared store is currently failing.
    public var isDegraded: Bool { failing.withLock { $0 } }

    public func acquire(key: String, policy: RateLimitPolicy) async throws -> RateLimitDecision {
        do {
            let decision = try await primary.acquire(key: key, policy: policy)
            if failing.withLock({ let was = $0; $0 = false; return was }) {
                logger.notice("rate limit store recovered")
            }
            return decision
        } catch {
            if !failing.withLock({ let was = $0; $0 = true; return was }) {
                logger.error("rate limit store failed; degrading", metadata: ["mode": "\(mode.rawValue)", "error": "\(error)"])
            }
            switch mode {
            case .local:
                return try await fallback.acquire(key: key, policy: policy)
            case .open:
                return RateLimitDecision(policy: policy, allowed: true, retryAfterMicros: 0, resetMicros: 0)
            case .closed:
                return RateLimitDecision(policy: policy, allowed: false, retryAfterMicros: 1_000_000, resetMicros: 1_000_000)
            }
        }
    }
}
