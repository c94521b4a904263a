public import JobService

/// Carries job writes to every replica of a cell's matching engine, so each keeps its index current
/// and notifies the workers connected to it. Without a bus (one process), the writing process
/// notifies its own subscribers.
public protocol JobEventBus: Sendable {
    /// Announces a posting that reached the cell's database.
    func publish(_ job: Job) async throws
}
