public import NIOCore
public import NIOPosix
internal import Tracing

/// A small Redis client: pipelined connection pools and the commands the platform needs, against one
/// server or a Redis Cluster (see ``RedisConfiguration/isCluster``).
public final class RedisClient: Sendable {
    public let configuration: RedisConfiguration
    let topology: Topology
    private let group: any EventLoopGroup

    /// One server behind one pool, or a cluster's nodes behind one pool each.
    enum Topology: Sendable {
        case standalone(RedisConnectionPool)
        case cluster(RedisClusterTopology)
    }

    public init(configuration: RedisConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.group = group
        self.topology = configuration.isCluster
            ? .cluster(RedisClusterTopology(configuration: configuration, group: group))
            : .standalone(RedisConnectionPool(configuration: configuration, group: group))
    }

    /// Sends any command, e.g. `["HSET", "k", "f", "v"]`.
    public func send(_ arguments: [String]) async throws -> RESPValue {
        try await send(buffers: arguments.map { ByteBuffer(string: $0) })
    }

    public func send(buffers arguments: [ByteBuffer]) async throws -> RESPValue {
        try await traced(arguments.first.map { String(buffer: $0) } ?? "") {
            switch topology {
            case .standalone(let pool): try await pool.connection().send(buffers: arguments)
            case .cluster(let cluster): try await send(arguments, in: cluster)
            }
        }
    }

    /// Sends several commands in one round trip per server, and returns each reply (or its error)
    /// in order. In a cluster, commands go to the masters of their keys.
    public func pipeline(_ commands: [[String]]) async throws -> [Result<RESPValue, any Error>] {
        let commands = commands.map { $0.map { ByteBuffer(string: $0) } }
        return try await traced("PIPELINE") {
            switch topology {
            case .standalone(let pool): try await pool.connection().pipeline(commands)
            case .cluster(let cluster): try await pipeline(commands, in: cluster)
            }
        }
    }

    /// A client span per command, named by the command alone: keys and values may name people.
    private func traced<T>(_ command: @autoclosure () -> String, _ body: () async throws -> T) async throws -> T {
        try await withSpan("redis", ofKind: .client) { span in
            if span.isRecording {
                let command = command()
                let name = command.count <= 32 ? command.uppercased() : "command"
                span.operationName = name
                span.attributes["db.system.name"] = "redis"
                span.attributes["db.operation.name"] = name
            }
            return try await body()
        }
    }

    public func ping() async throws -> Bool {
        try await send(["PING"]).string == "PONG"
    }

    public func get(_ key: String) async throws -> ByteBuffer? {
        switch try await send(["GET", key]) {
        case .bulkString(let value): value
        case .null: nil
        case let other: throw RedisError.unexpectedReply("GET returned \(other)")
        }
    }

    /// SET with an optional expiry in milliseconds; with `onlyIfAbsent`, returns false when the key existed.
    @discardableResult
    public func set(_ key: String, _ value: ByteBuffer, expiresInMilliseconds: Int64? = nil, onlyIfAbsent: Bool = false) async throws -> Bool {
        var arguments = [ByteBuffer(string: "SET"), ByteBuffer(string: key), value]
        if let milliseconds = expiresInMilliseconds { arguments += [ByteBuffer(string: "PX"), ByteBuffer(string: String(milliseconds))] }
        if onlyIfAbsent { arguments.append(ByteBuffer(string: "NX")) }
        return try await send(buffers: arguments).isNull == false
    }

    public func set(_ key: String, _ value: String, expiresInMilliseconds: Int64? = nil) async throws {
        try await set(key, ByteBuffer(string: value), expiresInMilliseconds: expiresInMilliseconds)
    }

    /// Deletes keys and returns how many existed. In a cluster, keys in different slots are deleted
    /// slot by slot (one `DEL` may name keys of one slot only).
    @discardableResult
    public func delete(_ keys: [String]) async throws -> Int64 {
        guard !keys.isEmpty else { return 0 }
        guard configuration.isCluster else { return try await send(["DEL"] + keys).integer ?? 0 }
        let bySlot = Dictionary(grouping: keys, by: RedisSlot.of)
        var deleted: Int64 = 0
        for result in try await pipeline(bySlot.values.map { ["DEL"] + $0 }) { deleted += try result.get().integer ?? 0 }
        return deleted
    }

    public func increment(_ key: String) async throws -> Int64 {
        guard let value = try await send(["INCR", key]).integer else { throw RedisError.unexpectedReply("INCR") }
        return value
    }

    /// Publishes a message and returns how many subscribers received it.
    @discardableResult
    public func publish(_ channel: String, _ message: ByteBuffer) async throws -> Int64 {
        try await send(buffers: [ByteBuffer(string: "PUBLISH"), ByteBuffer(string: channel), message]).integer ?? 0
    }

    /// Runs a Lua script by its SHA1 (EVALSHA), loading it with EVAL when the server does not know it.
    public func run(_ script: RedisScript, keys: [String], arguments: [String]) async throws -> RESPValue {
        let tail = [String(keys.count)] + keys + arguments
        do {
            return try await send(["EVALSHA", script.sha1] + tail)
        } catch RedisError.server(let message) where message.hasPrefix("NOSCRIPT") {
            return try await send(["EVAL", script.source] + tail)
        }
    }

    /// Subscribes to a channel on a dedicated connection; the subscription ends when the task is cancelled
    /// or ``RedisSubscription/close()`` is called. In a cluster any node relays every message, so the
    /// first node that accepts is used.
    public func subscribe(_ channel: String) async throws -> RedisSubscription {
        guard case .cluster(let cluster) = topology else {
            return try await RedisSubscription.open(channel: channel, configuration: configuration, group: group)
        }
        var lastError: any Error = RedisError.unreachable("no cluster node")
        for attempt in 0..<2 {
            if attempt > 0 { _ = try? await cluster.refresh() }
            for node in try await cluster.nodes() {
                do {
                    return try await RedisSubscription.open(channel: channel, configuration: configuration.pointing(to: node), group: group)
                } catch RedisError.unreachable(let detail) {
                    lastError = RedisError.unreachable(detail)
                }
            }
        }
        throw lastError
    }

    /// Closes every pooled connection.
    public func close() async {
        switch topology {
        case .standalone(let pool): await pool.close()
        case .cluster(let cluster): await cluster.close()
        }
    }
}
