public import NIOCore
public import NIOPosix
internal import NIOSSL

/// One TCP connection to Redis. Commands may be sent concurrently; they are pipelined and their
/// replies matched in order.
public final class RedisConnection: Sendable {
    let channel: any Channel
    let commandTimeout: Duration

    private init(channel: any Channel, commandTimeout: Duration) {
        self.channel = channel
        self.commandTimeout = commandTimeout
    }

    /// Connects (over TLS when configured), authenticates (`HELLO`/`AUTH`) and selects the database.
    /// A server that cannot be reached, or whose TLS handshake fails, throws ``RedisError/unreachable(_:)``.
    public static func connect(
        _ configuration: RedisConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onMessage: (@Sendable (RedisMessage) -> Void)? = nil
    ) async throws -> RedisConnection {
        let endpoint = configuration.endpoint
        let tls: NIOSSLContext?
        do { tls = try configuration.tls?.makeContext() } catch {
            throw RedisError.invalidConfiguration("TLS files: \(error)")
        }
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.nanoseconds(nanoseconds(configuration.connectTimeout)))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: tls, serverHostname: endpoint.isIPAddress ? nil : endpoint.host))
                        }
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RESPDecoder()))
                        try channel.pipeline.syncOperations.addHandler(RedisCommandHandler(onMessage: onMessage))
                    }
                }
                .connect(host: endpoint.host, port: endpoint.port).get()
        } catch {
            throw RedisError.unreachable("\(endpoint): \(String(describing: error).prefix(200))")
        }
        let connection = RedisConnection(channel: channel, commandTimeout: configuration.commandTimeout)
        do {
            try await connection.handshake(configuration)
        } catch RedisError.server(let message) {
            // The server's own answer (WRONGPASS, NOPERM …) says what is wrong.
            await connection.close()
            throw RedisError.server(message)
        } catch {
            // Anything else means no usable connection was made: a TLS failure (an unknown CA, a wrong
            // host name) arrives as the first command's error, or as the connection closing.
            await connection.close()
            let reason = error as? RedisError == .connectionClosed ? "closed during the handshake (TLS refused?)" : String(describing: error)
            throw RedisError.unreachable("\(endpoint): \(reason.prefix(200))")
        }
        return connection
    }

    private func handshake(_ configuration: RedisConfiguration) async throws {
        var sent = false
        if configuration.protocolVersion == 3 {
            var hello = ["HELLO", "3"]
            if let password = configuration.password {
                hello += ["AUTH", configuration.username ?? "default", password]
            }
            _ = try await send(hello)
            sent = true
        } else if let password = configuration.password {
            _ = try await send(configuration.username.map { ["AUTH", $0, password] } ?? ["AUTH", password])
            sent = true
        }
        if configuration.database != 0 {
            _ = try await send(["SELECT", String(configuration.database)])
            sent = true
        }
        if !sent && configuration.tls != nil {
            // Surfaces a refused TLS handshake now, as this connection's failure, not the first caller's.
            _ = try await send(["PING"])
        }
    }

    /// Whether the connection can still carry commands.
    public var isActive: Bool { channel.isActive }

    /// Sends one command and waits for its reply; a server error reply throws ``RedisError/server(_:)``.
    public func send(_ arguments: [String]) async throws -> RESPValue {
        try await send(buffers: arguments.map { ByteBuffer(string: $0) })
    }

    public func send(buffers arguments: [ByteBuffer]) async throws -> RESPValue {
        try await pipeline([arguments]).first!.get()
    }

    /// Sends several commands in one write and returns each reply (or its error) in order.
    public func pipeline(_ commands: [[ByteBuffer]]) async throws -> [Result<RESPValue, any Error>] {
        let eventLoop = channel.eventLoop
        let replies = commands.map { _ in PendingReply(promise: eventLoop.makePromise(of: RESPValue.self)) }
        for (command, reply) in zip(commands, replies) {
            channel.write(RedisRequest(bytes: Self.encode(command), reply: reply), promise: nil)
        }
        channel.flush()
        let channel = self.channel
        let timeout = eventLoop.scheduleTask(in: .nanoseconds(Self.nanoseconds(commandTimeout))) {
            // A late reply could no longer be matched to its command: fail and drop the connection.
            for reply in replies { reply.fail(RedisError.timeout) }
            channel.close(promise: nil)
        }
        var results: [Result<RESPValue, any Error>] = []
        for reply in replies {
            do {
                results.append(.success(try await reply.promise.futureResult.get()))
            } catch {
                results.append(.failure(error))
            }
        }
        timeout.cancel()
        return results
    }

    public func close() async {
        try? await channel.close()
    }

    static func encode(_ arguments: [ByteBuffer]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(16 + arguments.reduce(0) { $0 + $1.readableBytes + 16 })
        buffer.writeString("*\(arguments.count)\r\n")
        for argument in arguments {
            buffer.writeString("$\(argument.readableBytes)\r\n")
            buffer.writeImmutableBuffer(argument)
            buffer.writeString("\r\n")
        }
        return buffer
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}
