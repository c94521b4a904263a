public import AsyncHTTPClient
public import Foundation
public import Sovereignty
internal import NIOCore
internal import NIOHTTP1
internal import Synchronization
internal import HTTPTypes
internal import ServerKit
public import MutualTLS
internal import Observability
internal import Tracing
internal import Instrumentation

/// Where the backend-api of every other region listens, and the client (mTLS, or plain with
/// `--insecure-internal`) that calls it: what the cross-region ports' HTTP adapters send through.
///
/// A call goes to the region's endpoints in turn, starting from the next one each time; an endpoint
/// that cannot be reached or answers 502–504 hands the call to the next. Only idempotent calls are
/// made through it (every internal write is keyed by its record's id), so a retry never duplicates.
public final class PeerDirectory: Sendable {
    let endpoints: [RegionID: [String]]
    let caller: ServiceIdentity
    let client: HTTPClient
    let timeout: Duration
    private let next = Atomic<Int>(0)

    /// - Parameters:
    ///   - endpoints: base URLs of each region's backend-api, such as `https://10.0.1.10:8443`.
    ///   - caller: this process's identity. Over mTLS the callee reads it from the certificate and
    ///     ignores what is sent; with internal TLS off, the header sent is all it has.
    public init(endpoints: [RegionID: [String]], caller: ServiceIdentity, client: HTTPClient, timeout: Duration = .seconds(10)) {
        self.caller = caller
        self.endpoints = endpoints.mapValues { $0.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } }
        self.client = client
        self.timeout = timeout
    }

    /// The regions this directory reaches.
    public var regions: Set<RegionID> { Set(endpoints.keys) }

    /// Sends a JSON body (or none) to `path` on the region's backend-api; the status and body of the
    /// first endpoint that answers.
    func call(_ method: HTTPMethod, _ path: String, body: Data? = nil, to region: RegionID) async throws(PeerError) -> (status: Int, body: Data) {
        guard let urls = endpoints[region], !urls.isEmpty else { throw .noEndpoint(region) }
        let start = next.add(1, ordering: .relaxed).newValue
        var failure = PeerError.unreachable(region, "no endpoint answered")
        for offset in 0..<urls.count {
            var request = HTTPClientRequest(url: urls[(start + offset) % urls.count] + path)
            request.method = method
            request.headers.add(name: "Accept", value: "application/json")
            request.headers.add(name: PeerIdentityGate.callerHeader.rawName, value: caller.description)
            // The request being served, when there is one (deliveries from background senders have none).
            if let requestID = CorrelationID.current { request.headers.add(name: "X-Request-ID", value: requestID) }
            if let body {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: body))
            }
            do {
                let answer = try await send(request, method: method, to: region)
                if [502, 503, 504].contains(answer.status) {
                    failure = .unreachable(region, "an endpoint answered \(answer.status)")
                    continue
                }
                return answer
            } catch {
                failure = .unreachable(region, "an endpoint could not be reached (\(type(of: error)))")
            }
        }
        throw failure
    }
}

extension PeerDirectory {
    /// One attempt: a client span whose context the callee continues.
    private func send(_ request: HTTPClientRequest, method: HTTPMethod, to region: RegionID) async throws -> (status: Int, body: Data) {
        try await withSpan(method.rawValue, ofKind: .client) { span in
            var request = request
            span.attributes["http.request.method"] = method.rawValue
            span.attributes["iworkz.region"] = region.rawValue
            InstrumentationSystem.instrument.inject(ServiceContext.current ?? .topLevel, into: &request.headers, using: HTTPHeadersInjector())
            let response = try await client.execute(request, timeout: .init(timeout))
            let bytes = try await response.body.collect(upTo: 16 << 20)
            span.attributes["http.response.status_code"] = Int(response.status.code)
            return (Int(response.status.code), Data(bytes.readableBytesView))
        }
    }
}

/// Why a call to another region's role failed.
public enum PeerError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The topology names no endpoint for the region.
    case noEndpoint(RegionID)
    /// No endpoint answered.
    case unreachable(RegionID, String)
    /// The peer answered, refusing or failing.
    case refused(RegionID, status: Int, detail: String)

    public var description: String {
        switch self {
        case .noEndpoint(let region): "no backend-api endpoint is configured for \(region)"
        case .unreachable(let region, let why): "\(region) backend-api unreachable: \(why)"
        case .refused(let region, let status, let detail): "\(region) backend-api answered \(status): \(detail)"
        }
    }

    /// Why, without the region (for a message that names it already).
    public var reason: String {
        switch self {
        case .noEndpoint: "no endpoint is configured"
        case .unreachable(_, let why): why
        case .refused(_, let status, let detail): "answered \(status): \(detail)"
        }
    }

    /// A problem+json answer's detail, or the start of any other body.
    static func refusal(_ region: RegionID, status: Int, body: Data) -> PeerError {
        let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any]
        let detail = (object?["detail"] as? String) ?? String(decoding: body.prefix(200), as: UTF8.self)
        return .refused(region, status: status, detail: detail)
    }
}
