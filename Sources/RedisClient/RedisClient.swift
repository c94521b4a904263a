public import NIOCore
public import NIOPosix
internal import Tracing

/// A small Redis client: a pipelined connection pool and the commands the platform needs.
public final class RedisClient: Sendable {
    public let configuration: RedisConfiguration
    private let pool: RedisConnectionPool
    private let group: any EventLoopGroup

    public init(configuration: RedisConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.group = group
        self.pool = RedisConnectionPool(configuration: configuration, group: group)
    }

    /// Sends any command, e.g. `["HSET", "k", "f", "v"]`.
    public func send(_ arguments: [String]) async throws -> RESPValue {
        try await traced(arguments.first ?? "") { try await pool.connection().send(arguments) }
    }

    public func send(buffers arguments: [ByteBuffer]) async throws -> RESPValue {
        try await traced(arguments.first.map { String(buffer: $0) } ?? "") { try await pool.connection().send(buffers: arguments) }
    }

    /// Sends several commands in one round trip on one connection.
    public func pipeline(_ commands: [[String]]) async throws -> [Result<RESPValue, any Error>] {
        try await traced("PIPELINE") { try await pool.connection().pipeline(commands.map { $0.map { ByteBuffer(string: $0) } }) }
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

    /// Deletes keys and returns how many existed.
    @discardableResult
    public func delete(_ keys: [String]) async throws -> Int64 {
        guard !keys.isEmpty else { return 0 }
        return try await send(["DEL"] + keys).integer ?? 0
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
    /// or ``RedisSubscription/close()`` is called.
    public func subscribe(_ channel: String) async throws -> RedisSubscription {
        try await RedisSubscription.open(channel: channel, configuration: configuration, group: group)
    }

    /// Closes every pooled connection.
    public func close() async {
        await pool.close()
    }
}
