internal import Hummingbird
internal import Logging
internal import MutualTLS
internal import ServiceLifecycle

extension InternalTransport {
    /// A role's internal listener: `responder` behind mTLS (or plain with `--insecure-internal`),
    /// admitting only the callers ``PeerPolicy`` lets call `identity`; a refusal is logged.
    func listener(
        _ identity: ServiceIdentity, responder: RoleResponder, host: String, port: Int, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void
    ) throws(PlatformError) -> some Service {
        Hummingbird.Application(
            responder: responder,
            server: try server(identity) { refused in
                logger.warning("refused a caller at the handshake", metadata: ["peer": "\(refused?.description ?? "no identity")"])
            },
            configuration: .init(address: .hostname(host, port: port), serverName: "iworkz-\(identity.role.rawValue)"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}
