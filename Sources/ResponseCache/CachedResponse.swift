public import Foundation

/// A stored response: status 200 only, its body, the headers worth replaying and when it expires.
public struct CachedResponse: Sendable, Codable, Equatable {
    public let body: Data
    public let contentType: String?
    public let etag: String
    public let cacheControl: String?
    public let storedAt: Date
    public let expiresAt: Date
    /// Until when an expired copy may be served while the origin fails (`stale-if-error`); nil: never.
    public let staleUntil: Date?

    public init(body: Data, contentType: String?, etag: String, cacheControl: String?, storedAt: Date, expiresAt: Date,
                staleUntil: Date? = nil) {
        self.body = body
        self.contentType = contentType
        self.etag = etag
        self.cacheControl = cacheControl
        self.storedAt = storedAt
        self.expiresAt = expiresAt
        self.staleUntil = staleUntil
    }

    /// When a store may forget the entry: once it can no longer be served even as a stale copy.
    public var retainUntil: Date { max(expiresAt, staleUntil ?? expiresAt) }

    public var size: Int { body.count + (contentType?.utf8.count ?? 0) + etag.utf8.count + 128 }
}

/// What a cached response is stored under: its invalidation tag (the routing rule, so a write can
/// drop every response of its resource) and the request it answers.
public struct ResponseCacheKey: Sendable, Hashable {
    public let tag: String
    public let variant: String

    public init(tag: String, variant: String) {
        self.tag = tag
        self.variant = variant
    }
}

/// Where cached responses live.
public protocol ResponseCacheStore: Sendable {
    func get(_ key: ResponseCacheKey) async throws -> CachedResponse?
    func set(_ key: ResponseCacheKey, _ value: CachedResponse) async throws
    /// Drops every entry stored under the tag.
    func invalidate(tag: String) async throws
}
