internal import NIOCore
internal import NIOPosix

/// A fixed number of connections, opened on first use and reopened when they drop; commands are
/// spread over them round-robin and pipelined on each.
actor RedisConnectionPool {
    private let configuration: RedisConfiguration
    private let group: any EventLoopGroup
    private var slots: [Task<RedisConnection, any Error>?]
    private var next = 0
    private var isClosed = false

    init(configuration: RedisConfiguration, group: any EventLoopGroup) {
        self.configuration = configuration
        self.group = group
        self.slots = Array(repeating: nil, count: max(1, configuration.connections))
    }

    /// A live connection, connecting the slot if needed.
    func connection() async throws -> RedisConnection {
        guard !isClosed else { throw RedisError.connectionClosed }
        let index = next
        next = (next + 1) % slots.count
        if let task = slots[index] {
            if let connection = try? await task.value, connection.isActive { return connection }
            // Only the first caller to see the dead connection replaces it.
            if let current = slots[index], current == task { slots[index] = nil }
        }
        if let task = slots[index] { return try await task.value }
        let configuration = configuration
        let group = group
        let task = Task { try await RedisConnection.connect(configuration, group: group) }
        slots[index] = task
        do {
            return try await task.value
        } catch {
            if slots[index] == task { slots[index] = nil }
            throw error
        }
    }

    func close() async {
        isClosed = true
        for task in slots.compactMap({ $0 }) {
            if let connection = try? await task.value { await connection.close() }
        }
        slots = slots.map { _ in nil }
    }
}
