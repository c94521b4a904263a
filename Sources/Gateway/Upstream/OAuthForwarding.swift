public import Hummingbird
public import ServerKit
public import Sovereignty
internal import HTTPTypes
internal import NIOCore

/// The OAuth endpoints of a gateway in front of separate processes. A person signs in at their home
/// region's authorization server, so each request goes to the region it concerns: the sign-in form's
/// `home_region`, the region code inside an authorization code or refresh token (`ac_kr1_…`,
/// `rt_kr1_…`), else the `X-Region` header, else the default region (partner clients'
/// `client_credentials`, the sign-in page).
public struct OAuthForwarding: Sendable {
    /// The paths it answers.
    public static let paths: Set<String> = ["/oauth/authorize", "/oauth/token", "/oauth/revoke"]
    /// Every method and path it answers.
    public static let endpoints: [(method: String, path: String)] = [
        ("GET", "/oauth/authorize"), ("POST", "/oauth/authorize"), ("POST", "/oauth/token"), ("POST", "/oauth/revoke"),
    ]

    let catalog: RegionCatalog
    let upstreams: [RegionID: any Upstream]
    let fallback: RegionID

    public init(catalog: RegionCatalog, upstreams: [RegionID: any Upstream], fallback: RegionID) {
        self.catalog = catalog
        self.upstreams = upstreams
        self.fallback = fallback
    }

    public func forward(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        // The gateway has already read a POST's body (bounded); reading it again here is a copy.
        let body = try await request.collectBody(upTo: 64 * 1024)
        let form = request.method == .post ? FormEncoded(String(buffer: body)[...]) : request.formQuery
        let region = region(for: form, header: request.headers[.region])
        var context = context
        context.region = region
        guard let upstream = upstreams[region] else {
            throw Problem.upstreamUnavailable(region: region.rawValue, detail: "no authorization server of \(region) is configured")
        }
        return try await upstream.forward(request, context: context)
    }

    func region(for form: FormEncoded, header: String?) -> RegionID {
        for name in ["code", "refresh_token", "token"] {
            if let value = form[name], let region = regionOfCredential(value) { return region }
        }
        if let home = form["home_region"], catalog.region(RegionID(home)) != nil { return RegionID(home) }
        if let header, catalog.region(RegionID(header)) != nil { return RegionID(header) }
        return fallback
    }

    /// `ac_kr1_…` or `rt_kr1_…`: the region whose code sits between the first two underscores.
    func regionOfCredential(_ value: String) -> RegionID? {
        let parts = value.split(separator: "_", maxSplits: 2)
        guard parts.count == 3, parts[0] == "ac" || parts[0] == "rt", let region = catalog.region(code: String(parts[1])) else { return nil }
        return region.id
    }
}
