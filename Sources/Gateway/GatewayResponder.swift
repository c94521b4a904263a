public import Foundation
public import Hummingbird
public import HTTPTypes
internal import NIOCore
internal import NIOFoundationCompat
public import Logging
public import Observability
public import ServerKit
public import Sovereignty
public import TokenVerification
public import WebFirewall
public import ResponseCache
internal import Tracing
internal import Instrumentation

/// The gateway: correlation id, authentication, route rules, region resolution and in-process
/// dispatch to the serving cell, with metrics and one log line per request.
///
/// Requests for a record of another jurisdiction go to that record's cell; data never moves.
public struct GatewayResponder: HTTPResponder {
    public typealias Context = AppRequestContext
    /// A cell's handler for the requests routed to it.
    public typealias CellHandler = @Sendable (Request, AppRequestContext) async throws -> Response

    let routes: RouteTable
    let resolver: RegionResolver
    /// Each region's cell, in this process or behind an HTTP upstream.
    let cells: [RegionID: any Upstream]
    /// Endpoints the gateway answers itself: `/health`, `/ready`, `/metrics`, `/openapi.yaml`.
    let local: CellHandler
    let localPaths: Set<String>
    let tokens: AccessTokenVerifier
    let metrics: HTTPMetrics
    let bodyLimit: Int
    let endpoints: EndpointTemplates
    let rateLimits: RateLimitGate?
    let firewall: WebFirewall?
    let shedder: LoadShedder?
    let cache: ResponseCacheGate?
    let proxies: TrustedProxies?

    public init(
        routes: RouteTable, resolver: RegionResolver, cells: [RegionID: any Upstream],
        local: @escaping CellHandler, localPaths: Set<String>, tokens: AccessTokenVerifier, metrics: HTTPMetrics,
        endpoints: EndpointTemplates = .init([]), rateLimits: RateLimitGate? = nil, firewall: WebFirewall? = nil,
        shedder: LoadShedder? = nil, cache: ResponseCacheGate? = nil, bodyLimit: Int = StrictJSON.defaultLimit,
        proxies: TrustedProxies? = nil
    ) {
        self.proxies = proxies
        self.cache = cache
        self.firewall = firewall
        self.shedder = shedder
        self.endpoints = endpoints
        self.rateLimits = rateLimits
        self.routes = routes
        self.resolver = resolver
        self.cells = cells
        self.local = local
        self.localPaths = localPaths
        self.tokens = tokens
        self.metrics = metrics
        self.bodyLimit = bodyLimit
    }

    public func respond(to request: Request, context: AppRequestContext) async throws -> Response {
        // Only a trusted proxy may continue a trace: anyone else could force every request sampled.
        var parent = ServiceContext.topLevel
        if let proxies, proxies.trusts(context.clientAddress) {
            InstrumentationSystem.instrument.extract(request.headers, into: &parent, using: HTTPFieldsExtractor())
        }
        return try await withSpan("HTTP \(request.method.rawValue)", context: parent, ofKind: .server) { span in
            try await respond(to: request, context: context, span: span)
        }
    }

    private func respond(to request: Request, context: AppRequestContext, span: any Span) async throws -> Response {
        let start = ContinuousClock.now
        var context = context
        var request = request
        context.requestID = Self.requestID(from: request.headers[.requestID])
        if let proxies, proxies.trusts(context.clientAddress) {
            context.clientAddress = proxies.clientAddress(peer: context.clientAddress, headers: request.headers)
            context.viaTrustedProxy = true
        }
        // HEAD is GET without the body (RFC 9110 §9.3.2), on every route that answers GET; and the
        // services behind see the request id the gateway settled on, never a client's unusable one.
        let isHead = request.method == .head
        var head = request.head
        if isHead { head.method = .get }
        head.headerFields[.requestID] = context.requestID
        request = Request(head: head, body: request.body)
        context.logger[metadataKey: "request_id"] = "\(context.requestID)"
        context.logger[metadataKey: "role"] = "gateway"
        let path = request.uri.path
        let rule = routes.rule(for: path)
        let routeLabel = rule?.path ?? (localPaths.contains(path) ? path : "unmatched")
        var response: Response
        var blockedByFirewall = false
        let admitted = shedder?.enter() ?? true
        defer { if admitted { shedder?.leave() } }
        do {
            guard admitted else {
                metrics.recordShed()
                throw Problem("overloaded", status: .serviceUnavailable, title: "Server is busy",
                              detail: "too many requests are in progress; retry shortly", headers: [.retryAfter: "1"])
            }
            var body: ByteBuffer?
            if request.method == .post || request.method == .put || request.method == .patch {
                let limit = rule?.maxBodyBytes ?? bodyLimit
                do {
                    body = try await request.collectBody(upTo: limit)
                } catch is NIOTooManyBytesError {
                    throw Problem.bodyTooLarge(limit: limit)
                } catch {
                    // A chunk size that is not hex or absurdly large, a broken chunked framing: the
                    // client's fault, never the server's.
                    throw Problem.invalidBody("the request body could not be read: its framing is malformed")
                }
            }
            // A document upload is not text: the firewall's text signatures would misfire on it, and the
            // service checks that its bytes are the type declared.
            let binary = rule?.takesBinaryBody(contentType: request.headers[.contentType]) ?? false
            try withSpan("firewall") { _ in try screen(request, body: binary ? nil : body, context: context) }
            let allowed = endpoints.methods(for: path)
            if !allowed.isEmpty, !allowed.contains(request.method.rawValue) {
                let answered = allowed.contains("GET") ? (allowed + ["HEAD"]).sorted() : allowed
                throw Problem.methodNotAllowed("\(path) accepts \(answered.joined(separator: ", "))", allowed: answered)
            }
            if localPaths.contains(path) {
                if let rateLimits {
                    _ = try await rateLimits.admit(method: request.method.rawValue, path: path,
                                                   caller: .init(ip: context.clientAddress ?? "unknown", route: path), namedOnly: true)
                }
                response = try await local(request, context)
            } else if let rule {
                response = try await dispatch(request, &context, rule: rule, body: body)
            } else {
                throw Problem.noRoute(path)
            }
        } catch {
            blockedByFirewall = (error as? Problem)?.slug.hasPrefix("waf:") ?? false
            response = Self.problemResponse(for: error, request: request, context: context, requestID: context.requestID, logger: context.logger)
        }
        // Wrong credentials and firewall blocks use up the address's budget.
        if let rateLimits, response.status == .unauthorized || blockedByFirewall {
            await rateLimits.chargeFailure(ip: context.clientAddress ?? "unknown")
        }
        if isHead {
            if let length = response.body.contentLength { response.headers[.contentLength] = "\(length)" }
            response.body = ResponseBody()
        }
        response.headers[.requestID] = context.requestID
        if let region = context.region { response.headers[.servedByRegion] = region.rawValue }
        let elapsed = ContinuousClock.now - start
        let status = Int(response.status.code)
        metrics.record(route: routeLabel, method: request.method.rawValue, status: status,
                       region: context.region?.rawValue ?? "none", duration: elapsed)
        if span.isRecording {
            span.operationName = "\(request.method.rawValue) \(routeLabel)"
            span.attributes["http.request.method"] = request.method.rawValue
            span.attributes["http.route"] = routeLabel
            span.attributes["http.response.status_code"] = status
            span.attributes["iworkz.region"] = context.region?.rawValue ?? "none"
            span.attributes["iworkz.request_id"] = context.requestID
            if status >= 500 { span.setStatus(SpanStatus(code: .error)) }
        }
        context.logger.info("request finished", metadata: [
            "region": "\(context.region?.rawValue ?? "none")", "http_method": "\(request.method.rawValue)",
            "http_route": "\(routeLabel)", "http_status": "\(status)",
            "duration_ms": "\(Double(elapsed.components.attoseconds / 1_000_000_000_000) / 1000 + Double(elapsed.components.seconds) * 1000)",
        ])
        return response
    }

    /// The firewall's verdict as a 403 problem whose type names the rule.
    private func screen(_ request: Request, body: ByteBuffer?, context: AppRequestContext) throws {
        guard let firewall else { return }
        let inspected = WebFirewall.Request(
            method: request.method.rawValue, rawPath: request.uri.path, rawQuery: request.uri.query,
            headers: request.headers.map { ($0.name.rawName, $0.value) }, body: body.map { Data(buffer: $0) },
            clientIP: context.clientAddress)
        guard let verdict = firewall.inspect(inspected) else { return }
        switch verdict.kind {
        case .malformed:
            throw Problem("invalid-encoding", status: .badRequest, title: "Request cannot be decoded", detail: verdict.detail)
        case .unsupportedMethod:
            throw Problem.methodNotAllowed(verdict.detail, allowed: firewall.settings.allowedMethods.sorted())
        case .blocked:
            break
        }
        metrics.recordFirewallBlock(rule: verdict.ruleID)
        context.logger.notice("request blocked by the firewall", metadata: [
            "waf_rule": "\(verdict.ruleID)", "waf_score": "\(verdict.score)", "waf_matched": "\(verdict.matched.joined(separator: ","))",
        ])
        throw Problem("waf:\(verdict.ruleID)", status: .forbidden, title: "Request blocked by the firewall",
                      detail: "\(verdict.category): \(verdict.detail) (anomaly score \(verdict.score))")
    }

    private func dispatch(_ request: Request, _ context: inout AppRequestContext, rule: RouteTable.Rule, body: ByteBuffer?) async throws -> Response {
        var hints = RegionResolver.Hints()
        hints.pathSegments = request.uri.path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        // Who is asking comes before what is asked about: without a token, an endpoint that needs
        // one answers 401 whatever the path's id or the body (RFC 9110 §15.5.2).
        guard request.headers[.authorization] != nil
                || !endpoints.requiresToken(method: request.method.rawValue, path: request.uri.path) else {
            throw Problem.unauthorized("this endpoint needs a bearer token")
        }
        if let authorization = request.headers[.authorization] {
            hints.principal = try await context.authenticate(authorization, with: tokens, metrics: metrics).principal
        }
        if let body, !rule.takesBinaryBody(contentType: request.headers[.contentType]) {
            if let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] {
                hints.bodyHomeRegion = object["home_region"] as? String
                hints.bodyCountry = object["country_of_residence"] as? String
            }
        }
        if !context.scopes.isEmpty || context.principal != nil || context.clientID != nil,
           let required = rule.requiredScope(for: request.method.rawValue), !context.scopes.contains(required) {
            metrics.recordAuthFailure(reason: "insufficient-scope")
            throw Problem("insufficient-scope", status: .forbidden, title: "Token lacks a scope",
                          detail: "\(request.method.rawValue) on \(rule.path) needs the scope \(required)",
                          headers: [.wwwAuthenticate: "Bearer realm=\"iworkz\", error=\"insufficient_scope\", scope=\"\(required)\""])
        }
        hints.regionHeader = request.headers[.region]
        hints.clientCountry = context.viaTrustedProxy ? request.headers[.clientCountry] : nil
        let resolution = try resolver.resolve(hints)
        context.region = resolution.region.id
        context.logger[metadataKey: "region"] = "\(resolution.region.id)"
        guard let cell = cells[resolution.region.id] else {
            throw Problem.unknownRegion("region \(resolution.region.id) has no running cell")
        }
        var limitHeaders: HTTPFields = [:]
        if let rateLimits {
            let caller = RateLimitGate.Caller(
                ip: context.clientAddress ?? "unknown", userID: context.principal?.userID.description, route: rule.path)
            limitHeaders = try await withSpan("rate limit") { _ in
                try await rateLimits.admit(method: request.method.rawValue, path: request.uri.path, caller: caller)
            }
        }
        let isRead = request.method == .get || request.method == .head
        let subject = context.principal?.userID.description ?? context.clientID.map { "client:\($0)" } ?? "anonymous"
        let cacheKey = cache?.key(region: resolution.region.id.rawValue, request: request, subject: subject, tag: rule.path)
        var staleCopy: CachedResponse?
        if isRead, let cache, let cacheKey, request.headers[.cacheControl]?.contains("no-cache") != true {
            switch await withSpan("cache lookup", { _ in await cache.lookup(cacheKey, request: request) }) {
            case .fresh(var hit):
                for field in limitHeaders { hit.headers[field.name] = field.value }
                hit.headers[HTTPField.Name("X-Region-Source")!] = resolution.source.rawValue
                return hit
            case .stale(let entry):
                staleCopy = entry
            case .miss:
                break
            }
        }
        var response: Response
        var servedStale = false
        do {
            response = try await cell.forward(request, context: context)
        } catch let problem as Problem where problem.status.code < 500 {
            throw problem
        } catch {
            guard let staleCopy, let stale = cache?.serveStale(staleCopy, request: request) else { throw error }
            context.logger.warning("cell failed; serving a stale cached response", metadata: ["error_type": "\(type(of: error))"])
            response = stale
            servedStale = true
        }
        if response.status.code >= 500, let staleCopy, let stale = cache?.serveStale(staleCopy, request: request) {
            context.logger.warning("cell answered \(response.status.code); serving a stale cached response")
            response = stale
            servedStale = true
        }
        if let cache, !servedStale {
            if isRead, let cacheKey {
                response = try await cache.finish(response, key: cacheKey, request: request)
            } else if (200..<300).contains(response.status.code) {
                // A successful write may change any cached read of this resource, in every region
                // (public postings are replicated everywhere).
                await cache.invalidate(tag: rule.path)
            }
        }
        for field in limitHeaders { response.headers[field.name] = field.value }
        if response.status == .notFound, response.headers[.contentType] == nil {
            // The cell's router found no endpoint for the method and path: say so as a problem.
            let allowed = endpoints.methods(for: request.uri.path)
            if !allowed.isEmpty {
                throw Problem.methodNotAllowed("\(request.uri.path) accepts \(allowed.joined(separator: ", "))", allowed: allowed)
            }
            throw Problem.notFound("no endpoint \(request.method.rawValue) \(request.uri.path)")
        }
        response.headers[HTTPField.Name("X-Region-Source")!] = resolution.source.rawValue
        return response
    }

    /// Accepts a client's correlation id when it is short and plain; otherwise makes a new one.
    package static func requestID(from header: String?) -> String {
        if let header, (1...128).contains(header.count),
           header.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) && $0.isASCII || "-_.:".unicodeScalars.contains($0) }) {
            return header
        }
        return UUID().uuidString.lowercased()
    }

    /// Every failure leaves as problem+json; unexpected errors are logged (without request data) and hidden.
    package static func problemResponse(for error: any Error, request: Request, context: AppRequestContext, requestID: String, logger: Logger) -> Response {
        let problem: Problem
        switch error {
        case let known as Problem:
            problem = known
        case let http as HTTPError:
            problem = Self.problem(for: http, path: request.uri.path)
        case let generator as any HTTPResponseError:
            // Errors that define their own wire format (OAuth2's RFC 6749 errors).
            if let response = try? generator.response(from: request, context: context) {
                var response = response
                response.headers[.requestID] = requestID
                return response
            }
            problem = .internalError()
        default:
            logger.error("request failed", metadata: ["error_type": "\(type(of: error))"])
            problem = .internalError()
        }
        return problem.render(instance: request.uri.path, requestID: requestID)
    }

    static func problem(for error: HTTPError, path: String) -> Problem {
        switch error.status {
        case .notFound: .notFound("no endpoint \(path)")
        case .methodNotAllowed: .methodNotAllowed("this endpoint does not accept the method")
        case .contentTooLarge: .bodyTooLarge(limit: StrictJSON.defaultLimit)
        case .badRequest: .invalidBody(error.body ?? "the request is malformed")
        default: Problem("http-\(error.status.code)", status: error.status, title: error.status.reasonPhrase,
                         detail: error.body ?? error.status.reasonPhrase)
        }
    }
}
