public import NIOCore
public import NIOHTTPTypes

/// Closes a connection whose client is too slow to send a request: the request head must be complete
/// within `headerTimeout` of the connection opening (or of the previous response, on a kept-alive
/// connection), and the body within `bodyTimeout` of the head. This is the slowloris defence: the
/// idle timeout alone never fires for a client that sends one byte every few seconds.
///
/// It sits after the HTTP decoder, so it sees whole request parts; the decoder delivers the head only
/// once every header line has arrived.
public final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPRequestPart
    public typealias InboundOut = HTTPRequestPart
    public typealias OutboundIn = HTTPResponsePart
    public typealias OutboundOut = HTTPResponsePart

    /// What the client was late with.
    public enum Phase: String, Sendable {
        case header, body
    }

    private let headerTimeout: TimeAmount
    private let bodyTimeout: TimeAmount
    private let onTimeout: @Sendable (Phase) -> Void
    private var deadline: Scheduled<Void>?

    public init(headerTimeout: TimeAmount, bodyTimeout: TimeAmount, onTimeout: @escaping @Sendable (Phase) -> Void = { _ in }) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.onTimeout = onTimeout
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        // The server adds handlers to channels that are already active.
        if context.channel.isActive { arm(.header, context: context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        if deadline == nil { arm(.header, context: context) }
        context.fireChannelActive()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            arm(.body, context: context)
        case .body:
            break
        case .end:
            // The request is in; how long the server takes to answer is not the client's doing.
            disarm()
        }
        context.fireChannelRead(data)
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            // The next request on this connection gets a fresh header deadline.
            arm(.header, context: context)
        }
        context.write(data, promise: promise)
    }

    private func arm(_ phase: Phase, context: ChannelHandlerContext) {
        disarm()
        let timeout = phase == .header ? headerTimeout : bodyTimeout
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let onTimeout = onTimeout
        deadline = context.eventLoop.scheduleTask(in: timeout) {
            onTimeout(phase)
            loopBound.value.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}
