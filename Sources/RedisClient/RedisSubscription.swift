public import NIOCore
internal import NIOPosix

/// Messages published on one channel, as an async sequence.
public final class RedisSubscription: AsyncSequence, Sendable {
    public typealias Element = RedisMessage

    private let connection: RedisConnection
    private let stream: AsyncStream<RedisMessage>

    private init(connection: RedisConnection, stream: AsyncStream<RedisMessage>) {
        self.connection = connection
        self.stream = stream
    }

    static func open(channel: String, configuration: RedisConfiguration, group: any EventLoopGroup) async throws -> RedisSubscription {
        let (stream, continuation) = AsyncStream.makeStream(of: RedisMessage.self, bufferingPolicy: .bufferingNewest(10_000))
        var dedicated = configuration
        dedicated.protocolVersion = 2
        let connection = try await RedisConnection.connect(dedicated, group: group) { message in
            continuation.yield(message)
        }
        connection.channel.closeFuture.whenComplete { _ in continuation.finish() }
        let confirmation = try await connection.send(["SUBSCRIBE", channel])
        guard confirmation.array?.first?.string == "subscribe" else {
            await connection.close()
            throw RedisError.unexpectedReply("SUBSCRIBE returned \(confirmation)")
        }
        return RedisSubscription(connection: connection, stream: stream)
    }

    public func makeAsyncIterator() -> AsyncStream<RedisMessage>.AsyncIterator {
        stream.makeAsyncIterator()
    }

    /// Ends the subscription and its connection.
    public func close() async {
        await connection.close()
    }
}
