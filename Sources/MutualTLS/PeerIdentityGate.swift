public import NIOCore
public import NIOHTTPTypes
public import HTTPTypes
internal import NIOSSL
internal import NIOTLS

/// Closes a TLS connection whose peer the policy does not let call this role, right after the
/// handshake and before any request is read: the peer's identity comes from its verified certificate.
/// Every request on an admitted connection then carries that identity in ``callerHeader`` (whatever
/// the peer sent under that name is replaced), so a handler can tell the gateway from a peer role.
///
/// Sits after the TLS handler and the HTTP decoder of an internal listener (Hummingbird's
/// `additionalChannelHandlers`); one instance per connection.
public final class PeerIdentityGate: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPRequestPart
    public typealias InboundOut = HTTPRequestPart

    /// The request header naming the verified caller, as `<region>/<role>`.
    public static let callerHeader = HTTPField.Name("X-Iworkz-Peer")!

    let callee: ServiceIdentity
    let policy: PeerPolicy
    let onRefusal: @Sendable (ServiceIdentity?) -> Void
    private var caller: ServiceIdentity?

    /// - Parameter onRefusal: told who was refused (nil: a certificate naming no identity), for logs and metrics.
    public init(callee: ServiceIdentity, policy: PeerPolicy = PeerPolicy(), onRefusal: @escaping @Sendable (ServiceIdentity?) -> Void = { _ in }) {
        self.callee = callee
        self.policy = policy
        self.onRefusal = onRefusal
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent {
            let handler = try? context.pipeline.syncOperations.handler(type: NIOSSLHandler.self)
            let caller = handler?.peerCertificate.flatMap(MutualTLS.peerIdentity(of:))
            guard let caller, policy.allows(caller: caller, callee: callee) else {
                onRefusal(caller)
                context.close(promise: nil)
                return
            }
            self.caller = caller
        }
        context.fireUserInboundEventTriggered(event)
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        // No request is read before the handshake admitted the peer; this is belt and braces.
        guard let caller else {
            context.close(promise: nil)
            return
        }
        head.headerFields[Self.callerHeader] = caller.description
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }
}
