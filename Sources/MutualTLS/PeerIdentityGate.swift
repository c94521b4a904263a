public import NIOCore
internal import NIOSSL
internal import NIOTLS

/// Closes a TLS connection whose peer the policy does not let call this role, right after the
/// handshake and before any request is read: the peer's identity comes from its verified certificate.
/// Add it after the TLS handler of an internal listener.
public final class PeerIdentityGate: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    public typealias InboundIn = NIOAny
    public typealias InboundOut = NIOAny

    let callee: ServiceIdentity
    let policy: PeerPolicy
    let onRefusal: @Sendable (ServiceIdentity?) -> Void

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
        }
        context.fireUserInboundEventTriggered(event)
    }
}
