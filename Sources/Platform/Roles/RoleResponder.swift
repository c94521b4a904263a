public import Gateway
public import Hummingbird
public import Observability
public import ServerKit
public import Sovereignty
public import TokenVerification
public import MutualTLS
internal import Foundation
internal import HTTPTypes
internal import Logging
internal import Tracing
internal import Instrumentation

/// The internal listener of one role of one region: what the gateway and peer roles call.
///
/// The public API is answered only for the gateway (over mTLS, by the identity in its certificate),
/// and the caller's token is verified again here, never taken on the gateway's word. Paths under
/// `/internal/v1/` go to the cross-region routes, which check their caller themselves. `/health`,
/// `/ready` and `/.well-known/jwks.json` answer every admitted peer.
public struct RoleResponder: HTTPResponder {
    public typealias Context = AppRequestContext
    public typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response

    let identity: ServiceIdentity
    let region: RegionID
    let verifier: AccessTokenVerifier
    let service: Handler
    let peers: Handler?
    let probes: [String: Handler]
    let endpoints: EndpointTemplates
    let metrics: HTTPMetrics
    /// Whether callers are authenticated by certificate (false with `--insecure-internal`).
    let authenticatesCallers: Bool
    /// Paths whose `Authorization` header is the handler's own business (OAuth's client authentication).
    var ownAuthorizationPaths: Set<String> = []

    static let internalPrefix = "/internal/v1/"

    public func respond(to request: Request, context: AppRequestContext) async throws -> Response {
        // Callers are the gateway and peer roles: their trace context is continued.
        var parent = ServiceContext.topLevel
        InstrumentationSystem.instrument.extract(request.headers, into: &parent, using: HTTPFieldsExtractor())
        let requestID = GatewayResponder.requestID(from: request.headers[.requestID])
        return try await CorrelationID.$current.withValue(requestID) {
            try await withSpan("HTTP \(request.method.rawValue)", context: parent, ofKind: .server) { span in
                try await respond(to: request, context: context, span: span)
            }
        }
    }

    private func respond(to request: Request, context: AppRequestContext, span: any Span) async throws -> Response {
        let start = ContinuousClock.now
        var context = context
        context.requestID = CorrelationID.current ?? GatewayResponder.requestID(from: request.headers[.requestID])
        context.region = region
        context.logger[metadataKey: "request_id"] = "\(context.requestID)"
        context.logger[metadataKey: "role"] = "\(identity.role.rawValue)"
        context.logger[metadataKey: "region"] = "\(region)"
        let path = request.uri.path
        let caller = request.headers[PeerIdentityGate.callerHeader].flatMap(ServiceIdentity.init(description:))
        var route = path
        var response: Response
        do {
            if let probe = probes[path], request.method == .get {
                response = try await probe(request, context)
            } else if path.hasPrefix(Self.internalPrefix) {
                route = endpoints.template(method: request.method.rawValue, path: path) ?? "internal"
                guard let peers else { throw Problem.notFound("no endpoint \(path)") }
                response = try await peers(request, context)
            } else {
                route = endpoints.template(method: request.method.rawValue, path: path) ?? "unmatched"
                response = try await serveAPI(request, context: &context, caller: caller)
            }
        } catch {
            response = GatewayResponder.problemResponse(for: error, request: request, context: context, requestID: context.requestID,
                                                        logger: context.logger)
        }
        response.headers[.requestID] = context.requestID
        let elapsed = ContinuousClock.now - start
        metrics.record(route: route, method: request.method.rawValue, status: Int(response.status.code), region: region.rawValue, duration: elapsed)
        if span.isRecording {
            span.operationName = "\(request.method.rawValue) \(route)"
            span.attributes["http.request.method"] = request.method.rawValue
            span.attributes["http.route"] = route
            span.attributes["http.response.status_code"] = Int(response.status.code)
            span.attributes["iworkz.region"] = region.rawValue
            span.attributes["iworkz.role"] = identity.role.rawValue
            span.attributes["iworkz.request_id"] = context.requestID
            if response.status.code >= 500 { span.setStatus(SpanStatus(code: .error)) }
        }
        context.logger.info("request finished", metadata: [
            "http_method": "\(request.method.rawValue)", "http_route": "\(route)", "http_status": "\(response.status.code)",
            "peer": "\(caller?.description ?? "none")",
        ])
        return response
    }

    private func serveAPI(_ request: Request, context: inout AppRequestContext, caller: ServiceIdentity?) async throws -> Response {
        if authenticatesCallers {
            guard caller?.role == .gateway else { throw Problem.forbidden("the public API is served through the gateway only") }
        }
        // The gateway says whom it serves; a role behind it believes the gateway, not the client.
        if let forwarded = request.headers[.xForwardedFor]?.split(separator: ",").last {
            context.clientAddress = forwarded.trimmingCharacters(in: .whitespaces)
        }
        if let authorization = request.headers[.authorization], !ownAuthorizationPaths.contains(request.uri.path) {
            _ = try await context.authenticate(authorization, with: verifier, metrics: metrics)
        }
        let response = try await service(request, context)
        if response.status == .notFound, response.headers[.contentType] == nil {
            throw Problem.notFound("no endpoint \(request.method.rawValue) \(request.uri.path)")
        }
        return response
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
