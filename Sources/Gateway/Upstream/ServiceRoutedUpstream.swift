public import Hummingbird
public import ServerKit

/// One region's roles behind the gateway, each its own upstream: a request goes to the role that
/// runs the service its route names (`service:` in `config/routes.yaml`, such as `matching-engine`
/// or `ai-agent`), and to `main` (backend-api) when no route names another.
public struct ServiceRoutedUpstream: Upstream {
    let routes: RouteTable
    let main: any Upstream
    let byService: [String: any Upstream]

    public init(routes: RouteTable, main: any Upstream, byService: [String: any Upstream]) {
        self.routes = routes
        self.main = main
        self.byService = byService
    }

    public func forward(_ request: Request, context: AppRequestContext) async throws -> Response {
        let upstream = routes.rule(for: request.uri.path).flatMap { byService[$0.service] } ?? main
        return try await upstream.forward(request, context: context)
    }
}
