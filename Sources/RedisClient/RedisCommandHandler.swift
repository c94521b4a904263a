public import NIOCore

/// A command waiting for its reply. Touched only on the channel's event loop.
final class PendingReply: @unchecked Sendable {
    let promise: EventLoopPromise<RESPValue>
    private(set) var isDone = false

    init(promise: EventLoopPromise<RESPValue>) {
        self.promise = promise
    }

    func succeed(_ value: RESPValue) {
        guard !isDone else { return }
        isDone = true
        promise.succeed(value)
    }

    func fail(_ error: any Error) {
        guard !isDone else { return }
        isDone = true
        promise.fail(error)
    }
}

/// An encoded command and the reply it waits for.
struct RedisRequest: @unchecked Sendable {
    let bytes: ByteBuffer
    let reply: PendingReply?
}

/// Decodes RESP values from the byte stream.
struct RESPDecoder: ByteToMessageDecoder {
    typealias InboundOut = RESPValue

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        do {
            guard let value = try RESPParser.parse(&buffer) else { return .needMoreData }
            context.fireChannelRead(wrapInboundOut(value))
            return .continue
        } catch {
            throw RedisError.protocolViolation("\(error)")
        }
    }
}

/// Matches replies to commands in order, which is what makes pipelining work: many commands may be
/// in flight on one connection. Pub/sub messages go to the subscriber instead.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = ByteBuffer

    private var waiting = CircularBuffer<PendingReply>()
    private let onMessage: (@Sendable (RedisMessage) -> Void)?
    private var isClosed = false

    init(onMessage: (@Sendable (RedisMessage) -> Void)? = nil) {
        self.onMessage = onMessage
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if isClosed {
            request.reply?.fail(RedisError.connectionClosed)
            promise?.fail(RedisError.connectionClosed)
            return
        }
        if let reply = request.reply { waiting.append(reply) }
        context.write(wrapOutboundOut(request.bytes), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = unwrapInboundIn(data)
        if let onMessage, let message = RedisMessage(value) {
            onMessage(message)
            return
        }
        guard let reply = waiting.popFirst() else { return }
        if case .error(let message) = value {
            reply.fail(RedisError.server(message))
        } else {
            reply.succeed(value)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(RedisError.connectionClosed)
        context.fireChannelInactive()
    }

    private func failAll(_ error: any Error) {
        isClosed = true
        while let reply = waiting.popFirst() { reply.fail(error) }
    }
}

/// A message published on a subscribed channel.
public struct RedisMessage: Sendable, Hashable {
    public let channel: String
    public let payload: ByteBuffer

    init?(_ value: RESPValue) {
        let parts: [RESPValue]
        switch value {
        case .push(let values): parts = values
        case .array(let values?): parts = values
        default: return nil
        }
        guard parts.count == 3, parts[0].string == "message", let channel = parts[1].string,
              case .bulkString(let payload?) = parts[2] else { return nil }
        self.channel = channel
        self.payload = payload
    }
}
