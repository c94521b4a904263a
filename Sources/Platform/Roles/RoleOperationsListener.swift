public import Hummingbird
public import Logging
public import Observability
internal import NIOCore
internal import ServerKit
public import Storage

/// A role's operations listener (`--ops-port`): `/health`, `/ready` and the Prometheus `/metrics`,
/// on an address only the operators' network reaches.
public enum RoleOperationsListener {
    public static func application(
        host: String, port: Int, metrics: HTTPMetrics, ready: @escaping @Sendable () async -> Bool,
        replicas: @escaping @Sendable () -> [ReplicaStatus] = { [] }, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        router.get("/health") { _, _ in try Response.json(["status": "ok"]) }
        router.get("/ready") { _, _ in
            let isReady = await ready()
            let replicas = replicas()
            return try Response.json(Readiness(status: isReady ? "ready" : "not-ready", replicas: replicas.isEmpty ? nil : replicas),
                                     status: isReady ? .ok : .serviceUnavailable)
        }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
        return Hummingbird.Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "iworkz-ops"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) }, logger: logger)
    }
}

/// A role's `/ready` body: its state and, for backend-api on PostgreSQL, its replicas' lag.
private struct Readiness: Encodable {
    let status: String
    let replicas: [ReplicaStatus]?
}
