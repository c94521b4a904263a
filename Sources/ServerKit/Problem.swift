public import Foundation
public import Hummingbird
public import HTTPTypes
internal import NIOFoundationCompat

/// An RFC 9457 problem: every error the platform answers with is one of these, as
/// `application/problem+json`, with a stable `type` clients can branch on.
public struct Problem: HTTPResponseError, Sendable, Equatable {
    /// A field-level complaint inside a validation problem.
    public struct FieldError: Sendable, Equatable, Codable {
        /// JSON Pointer (RFC 6901) to the offending member, e.g. `/profile/languages/0/level`.
        public let pointer: String
        public let detail: String

        public init(pointer: String, detail: String) {
            self.pointer = pointer
            self.detail = detail
        }
    }

    /// The last part of the type URI, e.g. `malformed-json`.
    public let slug: String
    public let status: HTTPResponse.Status
    public let title: String
    public let detail: String
    public let errors: [FieldError]
    /// Extra headers, such as `WWW-Authenticate` or `Retry-After`.
    public let headers: HTTPFields
    /// Extension members of the problem document (RFC 9457 §3.2), such as the id of a record in the way.
    public let members: [String: String]

    public init(
        _ slug: String, status: HTTPResponse.Status, title: String, detail: String,
        errors: [FieldError] = [], headers: HTTPFields = [:], members: [String: String] = [:]
    ) {
        self.members = members
        self.slug = slug
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    /// The prefix of every problem type URI.
    public static let typePrefix = "urn:iworkz:problem:"

    public var type: String { Self.typePrefix + slug }

    public static let mediaType = "application/problem+json"

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        render(instance: request.uri.path, requestID: request.headers[.requestID])
    }

    /// The response for this problem; `instance` is the request path.
    public func render(instance: String?, requestID: String?) -> Response {
        var body: [String: Any] = members
        body.merge(["type": type, "title": title, "status": Int(status.code), "detail": detail]) { _, standard in standard }
        if let instance { body["instance"] = instance }
        if let requestID { body["request_id"] = requestID }
        if !errors.isEmpty {
            body["errors"] = errors.map { ["pointer": $0.pointer, "detail": $0.detail] }
        }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        var fields = headers
        fields[.contentType] = Self.mediaType
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension HTTPField.Name {
    /// The correlation id of a request, created by the gateway when the client sends none.
    public static let requestID = HTTPField.Name("X-Request-ID")!
    /// The cell that served a request (for operators and tests; never personal data).
    public static let servedByRegion = HTTPField.Name("X-Served-By-Region")!
    /// A client's request to be served by a given region.
    public static let region = HTTPField.Name("X-Region")!
    /// The client's country as set by the edge (Cloudflare).
    public static let clientCountry = HTTPField.Name("CF-IPCountry")!
}
