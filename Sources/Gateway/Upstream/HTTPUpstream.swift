public import AsyncHTTPClient
public import Hummingbird
public import ServerKit
public import ServiceLifecycle
internal import HTTPTypes
internal import NIOCore
internal import NIOHTTP1
internal import MutualTLS
internal import Observability
internal import Tracing
internal import Instrumentation
internal import Foundation

/// A region's cell in other processes, reached over HTTP (over mTLS when the client is configured so):
/// round-robin over its endpoints, retries only for idempotent requests, passive ejection of failing
/// endpoints and active health checks that bring them back. With no endpoint in rotation the gateway
/// answers 503 naming the region, and other regions are unaffected.
///
/// Run it as a service for its health checks.
public final class HTTPUpstream: Upstream, Service {
    public let region: String
    /// The role behind (backend-api, matching-engine, ai-agent), named when none answers.
    public let role: String
    let client: HTTPClient
    let settings: UpstreamSettings
    let health: EndpointHealth

    /// - Parameter endpoints: base URLs, such as `https://10.0.1.5:8443`.
    public init(region: String, role: String = "backend-api", endpoints: [String], client: HTTPClient, settings: UpstreamSettings = .init()) {
        self.region = region
        self.role = role
        self.client = client
        self.settings = settings
        health = EndpointHealth(endpoints: endpoints.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }, settings: settings)
    }

    static let idempotent: Set<HTTPRequest.Method> = [.get, .head, .put, .delete, .options]
    /// Headers that belong to one connection, never forwarded (RFC 9110 §7.6.1).
    static let hopByHop: Set<String> = ["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
                                        "proxy-authenticate", "proxy-authorization", "host", "content-length"]

    /// Headers a client may not pass through: the gateway sets the first itself, the callee's
    /// certificate check the second.
    static let replaced: Set<HTTPField.Name> = [HTTPField.Name("X-Forwarded-For")!, PeerIdentityGate.callerHeader]

    public func forward(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: settings.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            // A body the gateway did not cap (a GET's): the client's fault, never a 5xx.
            throw Problem.bodyTooLarge(limit: settings.maxBodyBytes)
        }
        let attempts = Self.idempotent.contains(request.method) ? max(1, settings.attempts) : 1
        var lastFailure = "no endpoint in rotation"
        for index in health.candidates().prefix(attempts) {
            do {
                let response = try await send(request, context: context, body: body, to: health.endpoints[index])
                if [502, 503, 504].contains(Int(response.status.code)) {
                    health.failed(index)
                    lastFailure = "an endpoint answered \(response.status.code)"
                    if attempts > 1 { continue }
                } else {
                    health.succeeded(index)
                }
                return response
            } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
                health.failed(index)
                lastFailure = "an endpoint timed out"
            } catch {
                health.failed(index)
                lastFailure = "an endpoint could not be reached"
            }
        }
        throw Problem.upstreamUnavailable(region: region, detail: "\(role): \(lastFailure)")
    }

    /// One attempt at one endpoint: a client span whose context the next hop continues.
    private func send(_ request: Request, context: AppRequestContext, body: ByteBuffer, to endpoint: String) async throws -> Response {
        try await withSpan(request.method.rawValue, ofKind: .client) { span in
            if span.isRecording, let url = URL(string: endpoint) {
                span.attributes["http.request.method"] = request.method.rawValue
                span.attributes["server.address"] = url.host ?? ""
                span.attributes["server.port"] = url.port ?? 0
                span.attributes["iworkz.region"] = region
                span.attributes["iworkz.role"] = role
            }
            let response = try await attempt(request, context: context, body: body, to: endpoint)
            span.attributes["http.response.status_code"] = Int(response.status.code)
            return response
        }
    }

    private func attempt(_ request: Request, context: AppRequestContext, body: ByteBuffer, to endpoint: String) async throws -> Response {
        var outgoing = HTTPClientRequest(url: endpoint + (request.uri.string.hasPrefix("/") ? request.uri.string : "/" + request.uri.string))
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers where !Self.hopByHop.contains(field.name.canonicalName) && !Self.replaced.contains(field.name) {
            outgoing.headers.add(name: field.name.rawName, value: field.value)
        }
        // The role behind learns the client's address from the gateway alone; who calls it, from the
        // certificate alone.
        if let client = context.clientAddress { outgoing.headers.add(name: "X-Forwarded-For", value: client) }
        InstrumentationSystem.instrument.inject(ServiceContext.current ?? .topLevel, into: &outgoing.headers, using: HTTPHeadersInjector())
        if body.readableBytes > 0 || request.method == .post || request.method == .put || request.method == .patch {
            outgoing.body = .bytes(body)
        }
        let received = try await client.execute(outgoing, timeout: .init(settings.requestTimeout))
        var headers = HTTPFields()
        for (name, value) in received.headers where !Self.hopByHop.contains(name.lowercased()) {
            if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
        }
        let status = HTTPResponse.Status(code: Int(received.status.code), reasonPhrase: received.status.reasonPhrase)
        if received.headers.first(name: "Content-Type")?.hasPrefix("text/event-stream") == true {
            // A stream of events (real-time matches) is passed on as it comes: the request timeout
            // bounds the wait for its head, the client's idle timeout each event.
            return Response(status: status, headers: headers, body: ResponseBody(asyncSequence: received.body))
        }
        let bytes = try await received.body.collect(upTo: settings.maxBodyBytes)
        return Response(status: status, headers: headers, body: .init(byteBuffer: bytes))
    }

    /// Runs the active health checks until shutdown.
    public func run() async throws {
        // Graceful shutdown cancels the loop: a sleeping check ends at once.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.checkAll()
                try? await Task.sleep(for: self.settings.healthCheckInterval)
            }
        }
    }

    /// Asks every endpoint's `/health` once.
    public func checkAll() async {
        await withTaskGroup(of: Void.self) { group in
            for (index, endpoint) in health.endpoints.enumerated() {
                group.addTask { [client, settings, health] in
                    var probe = HTTPClientRequest(url: endpoint + "/health")
                    probe.method = .GET
                    let healthy: Bool
                    do {
                        let response = try await client.execute(probe, timeout: .init(settings.healthCheckTimeout))
                        _ = try? await response.body.collect(upTo: 64 << 10)
                        healthy = response.status == .ok
                    } catch {
                        healthy = false
                    }
                    health.checked(index, healthy: healthy)
                }
            }
        }
    }

    /// Whether some endpoint has answered and is in rotation (for `/ready`).
    public var hasEndpointInRotation: Bool { health.endpoints.indices.contains { health.isServing($0) } }

    /// Whether endpoint `index` is out of rotation (for tests and `/ready`).
    public func isEjected(_ index: Int) -> Bool { health.isEjected(index) }
}
