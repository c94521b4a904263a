public import Foundation
internal import Crypto
internal import Synchronization

/// Growing back-off per account on wrong passwords, whatever address the attempts come from: the
/// first few failures are free, then each further attempt must wait twice as long as the last
/// (1 s, 2 s, 4 s … up to 15 minutes) until a sign-in succeeds.
///
/// Accounts are known by a hash of region and email, so the table holds no address in the clear;
/// unknown emails are throttled alike, so the answer does not tell who is registered.
public final class SignInThrottle: Sendable {
    struct State {
        var failures: Int
        var blockedUntil: Date
    }

    public let freeFailures: Int
    public let maximumDelaySeconds: Int
    private let capacity: Int
    private let accounts = Mutex<[String: State]>([:])
    private let now: @Sendable () -> Date

    public init(freeFailures: Int = 3, maximumDelaySeconds: Int = 900, capacity: Int = 100_000, now: @escaping @Sendable () -> Date = Date.init) {
        self.freeFailures = freeFailures
        self.maximumDelaySeconds = maximumDelaySeconds
        self.capacity = capacity
        self.now = now
    }

    static func account(region: String, email: String) -> String {
        let digest = SHA256.hash(data: Data("\(region)\u{0}\(email.lowercased())".utf8))
        return digest.prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// Seconds the account must still wait before its next attempt, or nil when it may try now.
    public func delay(region: String, email: String) -> Int? {
        let key = Self.account(region: region, email: email)
        let current = now()
        guard let state = accounts.withLock({ $0[key] }), state.blockedUntil > current else { return nil }
        return max(1, Int(state.blockedUntil.timeIntervalSince(current).rounded(.up)))
    }

    /// Records a wrong password; returns the delay now imposed (0 while failures are still free).
    @discardableResult
    public func failed(region: String, email: String) -> Int {
        let key = Self.account(region: region, email: email)
        let current = now()
        return accounts.withLock { accounts in
            if accounts.count >= capacity { accounts = accounts.filter { $0.value.blockedUntil > current } }
            var state = accounts[key] ?? State(failures: 0, blockedUntil: .distantPast)
            state.failures += 1
            let beyond = state.failures - freeFailures
            let delay = beyond > 0 ? min(maximumDelaySeconds, 1 << min(beyond - 1, 20)) : 0
            state.blockedUntil = current.addingTimeInterval(TimeInterval(delay))
            accounts[key] = state
            return delay
        }
    }

    public func succeeded(region: String, email: String) {
        let key = Self.account(region: region, email: email)
        _ = accounts.withLock { $0.removeValue(forKey: key) }
    }
}
