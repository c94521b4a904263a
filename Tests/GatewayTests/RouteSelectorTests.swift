import Foundation
@testable import Gateway
import RateLimiting
import HTTPTypes
import Testing

@Suite("Rate-limit route selectors")
struct RouteSelectorTests {
    /// Before: selectors matched by prefix, so the registration budget also throttled consents,
    /// documents and applications under `/api/v1/users/…`.
    @Test func aSelectorMatchesItsMethodAndExactlyItsRoute() throws {
        let registration = try #require(RouteSelector("POST /api/v1/users"))
        #expect(registration.matches(method: "POST", path: "/api/v1/users"))
        #expect(!registration.matches(method: "POST", path: "/api/v1/users/me/consents"))
        #expect(!registration.matches(method: "POST", path: "/api/v1/users/me/applications"))
        #expect(!registration.matches(method: "GET", path: "/api/v1/users"))
        let candidates = try #require(RouteSelector("GET /api/v1/jobs/{id}/candidates"))
        #expect(candidates.matches(method: "GET", path: "/api/v1/jobs/job_jp1_x/candidates"))
        #expect(!candidates.matches(method: "GET", path: "/api/v1/jobs//candidates"))
        #expect(!candidates.matches(method: "GET", path: "/api/v1/jobs/job_jp1_x"))
        #expect(try #require(RouteSelector("* /oauth/token")).matches(method: "DELETE", path: "/oauth/token"))
        for bad in ["/api/v1/users", "POST api/v1", "POST /api/{id", "POST /api//users"] {
            #expect(RouteSelector(bad) == nil, "\(bad)")
        }
    }

    @Test func policiesAreValidatedAtLoad() throws {
        #expect(throws: GatewayConfigurationError.self, "an emission interval that rounds to zero") {
            try RateLimitConfiguration(yaml: "policies: [{ name: fast, scope: ip, limit: 2000000, period_seconds: 1 }]")
        }
        #expect(throws: GatewayConfigurationError.self, "a prefix is not a route") {
            try RateLimitConfiguration(yaml: #"policies: [{ name: x, scope: ip, limit: 5, period_seconds: 60, routes: ["POST /api/{x"] }]"#)
        }
        #expect(throws: GatewayConfigurationError.self, "failures are charged to addresses") {
            try RateLimitConfiguration(yaml: "policies: [{ name: x, scope: user, limit: 5, period_seconds: 60, failure_cost: 3 }]")
        }
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config/rate-limits.yaml")
        let configuration = try RateLimitConfiguration(yaml: try String(contentsOf: shipped, encoding: .utf8))
        #expect(configuration.policies.contains { $0.routes.contains("POST /oauth/authorize") })
        #expect(configuration.policies.contains { $0.failureCost > 0 })
    }
}

@Suite("Trusted proxies")
struct TrustedProxiesTests {
    let proxies = try! TrustedProxies(["10.0.0.0/8", "2001:db8:cf::/48"])

    @Test func forwardingHeadersCountOnlyFromATrustedPeer() {
        let headers: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "198.51.100.9, 10.1.2.3", HTTPField.Name("CF-Connecting-IP")!: "203.0.113.5"]
        #expect(proxies.clientAddress(peer: "203.0.113.99", headers: headers) == "203.0.113.99", "an untrusted peer is the client")
        #expect(proxies.clientAddress(peer: "10.9.9.9", headers: headers) == "203.0.113.5", "CloudFlare's header first")
        let chain: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "6.6.6.6, 198.51.100.9, 10.1.2.3"]
        #expect(proxies.clientAddress(peer: "10.9.9.9", headers: chain) == "198.51.100.9", "the right-most address no proxy of ours added")
        let garbage: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "198.51.100.9, not-an-ip, 10.1.2.3"]
        #expect(proxies.clientAddress(peer: "10.9.9.9", headers: garbage) == "10.1.2.3", "a malformed entry ends the walk")
        #expect(proxies.clientAddress(peer: "2001:db8:cf::1", headers: [HTTPField.Name("CF-Connecting-IP")!: "2001:db8:1::7"]) == "2001:db8:1::7")
        #expect(proxies.clientAddress(peer: "10.0.0.1", headers: [:]) == "10.0.0.1")
        #expect(!proxies.trusts(nil) && !proxies.trusts("garbage") && proxies.trusts("10.255.0.1"))
        #expect(throws: GatewayConfigurationError.self) { try TrustedProxies(["10.0.0.0/33"]) }
    }
}
