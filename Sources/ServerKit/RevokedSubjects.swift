internal import Synchronization

/// The people whose tokens are refused everywhere from now on: people who erased themselves.
///
/// Access tokens are verified without a call to their issuer, so a still-valid token of an erased
/// person would keep working until it expires; the verifier asks this list on every request. The
/// list is rebuilt at start from the key stores' records of destroyed keys, so it survives a restart.
/// Listeners hear of each revocation (the match stream ends the person's connections).
public final class RevokedSubjects: Sendable {
    private let subjects: Mutex<Set<String>>
    private let listeners = Mutex<[@Sendable (String) -> Void]>([])

    public init(_ subjects: some Sequence<String> = []) {
        self.subjects = Mutex(Set(subjects))
    }

    /// Refuses the subject's tokens from now on and tells the listeners.
    public func revoke(_ subject: String) {
        let added = subjects.withLock { $0.insert(subject).inserted }
        guard added else { return }
        for listener in listeners.withLock({ $0 }) { listener(subject) }
    }

    public func contains(_ subject: String) -> Bool {
        subjects.withLock { $0.contains(subject) }
    }

    /// Calls `listener` with each subject revoked after this call.
    public func onRevoke(_ listener: @escaping @Sendable (String) -> Void) {
        listeners.withLock { $0.append(listener) }
    }
}
