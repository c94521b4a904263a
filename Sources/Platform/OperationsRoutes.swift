internal import Storage
public import Gateway
public import Hummingbird
public import Observability
public import ServerKit
internal import Sovereignty

/// The endpoints the process answers itself: liveness, readiness, metrics and the API document.
struct OperationsRoutes {
    let cells: [Cell]
    let metrics: HTTPMetrics
    let openAPI: String

    static let paths: Set<String> = ["/health", "/ready", "/metrics", "/openapi.yaml"]

    struct Readiness: Encodable {
        let status: String
        let cells: [String: String]
    }

    func handler() -> GatewayResponder.CellHandler {
        let router = Router(context: AppRequestContext.self)
        router.get("/health") { _, _ in try Response.json(["status": "ok"]) }
        router.get("/ready") { _, _ in
            var states: [String: String] = [:]
            for cell in cells {
                states[cell.region.id.rawValue] = await cell.database.isReady() ? "ready" : "not-ready"
            }
            let ready = states.values.allSatisfy { $0 == "ready" }
            return try Response.json(Readiness(status: ready ? "ready" : "not-ready", cells: states),
                                     status: ready ? .ok : .serviceUnavailable)
        }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: openAPI)))
        }
        let responder = router.buildResponder()
        return { request, context in try await responder.respond(to: request, context: context) }
    }
}
