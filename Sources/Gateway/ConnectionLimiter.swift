public import NIOCore
internal import Synchronization

/// Caps the open connections per client address, so one host cannot hold every socket (a slowloris
/// or connection flood). A connection over the cap is closed as soon as it opens.
public final class ConnectionLimiter: Sendable {
    public let maxPerAddress: Int
    private let open = Mutex<[String: Int]>([:])
    /// Proxies in front carry every client's connections, so their addresses are not capped.
    private let exempt: TrustedProxies?

    public init(maxPerAddress: Int, exempt: TrustedProxies? = nil) {
        self.maxPerAddress = maxPerAddress
        self.exempt = exempt
    }

    /// Counts a new connection; false when the address is at its cap (nothing is counted then).
    func admit(_ address: String) -> Bool {
        if exempt?.trusts(address) == true { return true }
        return open.withLock { counts in
            let current = counts[address, default: 0]
            guard current < maxPerAddress else { return false }
            counts[address] = current + 1
            return true
        }
    }

    func release(_ address: String) {
        if exempt?.trusts(address) == true { return }
        open.withLock { counts in
            let remaining = counts[address, default: 1] - 1
            counts[address] = remaining > 0 ? remaining : nil
        }
    }

    /// Open connections of an address (for tests).
    public func connections(of address: String) -> Int { open.withLock { $0[address, default: 0] } }

    /// A handler for each new channel.
    public func handler() -> ConnectionLimitHandler { ConnectionLimitHandler(limiter: self) }
}

/// The per-channel half of ``ConnectionLimiter``.
public final class ConnectionLimitHandler: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    public typealias InboundIn = NIOAny
    private let limiter: ConnectionLimiter
    private let counted = Mutex<String?>(nil)

    init(limiter: ConnectionLimiter) {
        self.limiter = limiter
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        // The server adds handlers to channels that are already active.
        if context.channel.isActive { admit(context: context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        admit(context: context)
        context.fireChannelActive()
    }

    private func admit(context: ChannelHandlerContext) {
        guard counted.withLock({ $0 == nil }), let address = context.channel.remoteAddress?.ipAddress else { return }
        if limiter.admit(address) {
            counted.withLock { $0 = address }
        } else {
            context.close(promise: nil)
        }
    }

    public func channelInactive(context: ChannelHandlerContext) {
        if let address = counted.withLock({ value -> String? in defer { value = nil }; return value }) {
            limiter.release(address)
        }
        context.fireChannelInactive()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }
}
