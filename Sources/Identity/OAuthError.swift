public import Foundation
public import Hummingbird

/// An RFC 6749 §5.2 error. The token and revocation endpoints answer in this format, which OAuth
/// clients expect, rather than problem+json.
public struct OAuthError: Error, HTTPResponseError, Sendable {
    public let code: String
    public let description: String
    public let status: HTTPResponse.Status

    public init(_ code: String, _ description: String, status: HTTPResponse.Status = .badRequest) {
        self.code = code
        self.description = description
        self.status = status
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try JSONSerialization.data(withJSONObject: ["error": code, "error_description": description], options: [.sortedKeys])
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Basic realm=\"iworkz-oauth\"" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func invalidRequest(_ description: String) -> OAuthError { .init("invalid_request", description) }
    static func invalidGrant(_ description: String) -> OAuthError { .init("invalid_grant", description) }
    static func invalidClient() -> OAuthError { .init("invalid_client", "client authentication failed", status: .unauthorized) }
}
