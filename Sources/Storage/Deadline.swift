/// Runs `body`, throwing ``DeadlinePassed`` if it has not finished after `limit` (the body is
/// cancelled). Connection pools wait for a connection without a limit of their own; a start or a
/// readiness check must not.
func withDeadline<T: Sendable>(_ limit: Duration, _ message: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let result = first else { throw DeadlinePassed(description: message) }
        return result
    }
}

/// A database operation that did not finish in time.
public struct DeadlinePassed: Error, CustomStringConvertible {
    public let description: String
}
