public import Foundation
public import Hummingbird
public import HTTPTypes
public import Observability
public import ResponseCache
public import ServerKit
internal import NIOCore

/// The gateway's response cache: GET and HEAD only, keyed by region, path, query and the caller's
/// identity (so one person's response is never served to another), honouring `Cache-Control` and
/// `Vary`, with strong ETags, `If-None-Match` → 304, `Age`, and invalidation when a write succeeds.
public struct ResponseCacheGate: Sendable {
    let store: any ResponseCacheStore
    let metrics: HTTPMetrics?
    /// Request headers that may take part in `Vary`; a response varying on anything else is not stored.
    static let varyHeaders: [HTTPField.Name] = [.accept, .acceptLanguage]
    let maxBodyBytes: Int
    /// The wall clock that ages entries (injected so tests can let time pass).
    let now: @Sendable () -> Date

    public init(store: any ResponseCacheStore, metrics: HTTPMetrics? = nil, maxBodyBytes: Int = 256 * 1024,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.now = now
        self.store = store
        self.metrics = metrics
        self.maxBodyBytes = maxBodyBytes
    }

    /// The cache key of a request served by `region` for `subject` (user id, client id or `anonymous`),
    /// under `tag`, the routing rule that a write to the resource invalidates.
    func key(region: String, request: Request, subject: String, tag: String) -> ResponseCacheKey {
        let query = (request.uri.query ?? "").split(separator: "&").sorted().joined(separator: "&")
        let vary = Self.varyHeaders.map { "\($0.canonicalName)=\(request.headers[$0] ?? "")" }.joined(separator: ";")
        return ResponseCacheKey(tag: tag, variant: [region, request.uri.path, query, subject, vary].joined(separator: "|"))
    }

    /// What the store holds for a request.
    enum Lookup {
        /// A fresh response, as a 200 (with `Age`) or a 304.
        case fresh(Response)
        /// An expired response that may stand in if the origin fails now.
        case stale(CachedResponse)
        case miss
    }

    func lookup(_ key: ResponseCacheKey, request: Request) async -> Lookup {
        let now = now()
        guard let hit = try? await store.get(key) else {
            metrics?.recordCache(result: "miss")
            return .miss
        }
        guard hit.expiresAt > now else {
            metrics?.recordCache(result: "miss")
            if let staleUntil = hit.staleUntil, staleUntil > now { return .stale(hit) }
            return .miss
        }
        metrics?.recordCache(result: "hit")
        return .fresh(replay(hit, request: request, now: now, marker: "HIT"))
    }

    /// The stored copy in place of a failed origin response (RFC 5861 `stale-if-error`).
    func serveStale(_ entry: CachedResponse, request: Request) -> Response? {
        let now = now()
        guard let staleUntil = entry.staleUntil, staleUntil > now else { return nil }
        metrics?.recordCache(result: "stale")
        return replay(entry, request: request, now: now, marker: "STALE")
    }

    private func replay(_ hit: CachedResponse, request: Request, now: Date, marker: String) -> Response {
        var headers: HTTPFields = [.eTag: hit.etag, .age: String(max(0, Int(now.timeIntervalSince(hit.storedAt)))),
                                   HTTPField.Name("X-Cache")!: marker]
        if let control = hit.cacheControl { headers[.cacheControl] = control }
        if EntityTag.matches(request.headers[.ifNoneMatch], hit.etag) {
            return Response(status: .notModified, headers: headers)
        }
        if let type = hit.contentType { headers[.contentType] = type }
        let body = request.method == .head ? ByteBuffer() : ByteBuffer(bytes: hit.body)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    /// Adds an ETag to a 200 response, answers 304 when the client has it, and stores it when its
    /// `Cache-Control` allows a shared cache to.
    func finish(_ response: Response, key: ResponseCacheKey, request: Request) async throws -> Response {
        guard response.status == .ok, let length = response.body.contentLength, length <= maxBodyBytes else { return response }
        let now = now()
        let body = try await Self.collect(response.body)
        let etag = response.headers[.eTag] ?? EntityTag.of(body)
        var headers = response.headers
        headers[.eTag] = etag
        let control = CacheControl(response.headers[.cacheControl])
        let vary = (response.headers[.vary] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let varyAllowed = vary.allSatisfy { name in Self.varyHeaders.contains { $0.canonicalName == name } }
        if let lifetime = control.sharedLifetime, varyAllowed, request.headers[.cacheControl]?.contains("no-store") != true {
            try? await store.set(key, CachedResponse(
                body: body, contentType: response.headers[.contentType], etag: etag, cacheControl: response.headers[.cacheControl],
                storedAt: now, expiresAt: now.addingTimeInterval(TimeInterval(lifetime)),
                staleUntil: control.staleIfError.map { now.addingTimeInterval(TimeInterval(lifetime + $0)) }))
            headers[HTTPField.Name("X-Cache")!] = "MISS"
        }
        if EntityTag.matches(request.headers[.ifNoneMatch], etag) {
            headers[.contentType] = nil
            headers[.contentLength] = nil
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// Drops every stored response of a resource after a successful write.
    func invalidate(tag: String) async {
        try? await store.invalidate(tag: tag)
        metrics?.recordCache(result: "invalidated")
    }

    private final class Sink: @unchecked Sendable {
        var buffer = ByteBuffer()
    }

    private struct Collector: ResponseBodyWriter {
        let sink: Sink
        mutating func write(_ buffer: ByteBuffer) async throws {
            var buffer = buffer
            sink.buffer.writeBuffer(&buffer)
        }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }

    static func collect(_ body: ResponseBody) async throws -> Data {
        let sink = Sink()
        try await body.write(Collector(sink: sink))
        return Data(sink.buffer.readableBytesView)
    }
}
