public import Hummingbird
public import ServerKit

/// Where the gateway sends a request it has admitted: the cell of one region, in this process or in
/// another one. The request carries the gateway's request id (and `traceparent` when tracing); the
/// caller's token travels with it, for the role behind to verify again.
public protocol Upstream: Sendable {
    func forward(_ request: Request, context: AppRequestContext) async throws -> Response
}

/// A cell in the same process: the call is a function call.
public struct InProcessUpstream: Upstream {
    let handler: @Sendable (Request, AppRequestContext) async throws -> Response

    public init(_ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response) {
        self.handler = handler
    }

    public func forward(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await handler(request, context)
    }
}
