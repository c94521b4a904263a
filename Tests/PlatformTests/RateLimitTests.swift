import Foundation
import HTTPTypes
import HummingbirdTesting
import Platform
import RateLimiting
import NIOCore
import Gateway
import Testing
import TestSupport

@Suite("Gateway rate limits")
struct RateLimitTests {
    static func tight(_ config: inout LoadedConfiguration) {
        config.rateLimits = RateLimitConfiguration(policies: [
            RateLimitPolicy(name: "per-ip", scope: .ip, limit: 5, periodSeconds: 3600, burst: 5, routes: ["GET /api/v1/jobs"]),
            RateLimitPolicy(name: "per-user", scope: .user, limit: 2, periodSeconds: 3600, burst: 2, routes: ["GET /api/v1/users/me"]),
        ])
    }

    @Test func refusesOverTheLimitWithRetryAfterAndHeaders() async throws {
        try await PlatformHarness.withPlatform(configure: Self.tight) { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                var statuses: [HTTPResponse.Status] = []
                var last: TestResponse?
                for _ in 0..<7 {
                    let response = try await client.execute(uri: "/api/v1/jobs", method: .get)
                    statuses.append(response.status)
                    if response.status == .ok {
                        #expect(response.headers[HTTPField.Name("RateLimit-Policy")!] == "\"per-ip\";q=5;w=3600")
                    }
                    last = response
                }
                #expect(statuses == [.ok, .ok, .ok, .ok, .ok, .tooManyRequests, .tooManyRequests])
                let refused = try #require(last)
                #expect(refused.headers[.contentType] == "application/problem+json")
                #expect(refused.json["type"] as? String == "urn:iworkz:problem:rate-limited")
                // One request per 720 s after the burst, less the seconds the seven requests took.
                let retryAfter = try #require(refused.headers[.retryAfter].flatMap { Int($0) })
                #expect((710...720).contains(retryAfter), "\(retryAfter)")
                let window = try #require(refused.headers[HTTPField.Name("RateLimit")!])
                #expect(window.hasPrefix("\"per-ip\";r=0;t=") && (3590...3600).contains(Int(window.split(separator: "=").last ?? "") ?? 0), "\(window)")
                let other = try await client.execute(uri: "/api/v1/users/me", method: .get)
                #expect(other.status == .unauthorized, "other routes are not limited by this policy")
                let metrics = try await platform.metricsText()
                #expect(metrics.contains(#"iworkz_ratelimit_rejections_total{policy="per-ip"} 2"#))
            }
        }
    }

    @Test func limitsEachUserSeparately() async throws {
        try await PlatformHarness.withPlatform(configure: Self.tight) { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let first = try await Scenario.register(client, email: "a@example.kr", country: "KR")
                let second = try await Scenario.register(client, email: "b@example.kr", country: "KR")
                func me(_ token: String) async throws -> HTTPResponse.Status {
                    try await client.execute(uri: "/api/v1/users/me", method: .get, headers: JSONRequest.headers(token: token)).status
                }
                #expect(try await me(first.token) == .ok)
                #expect(try await me(first.token) == .ok)
                #expect(try await me(first.token) == .tooManyRequests)
                #expect(try await me(second.token) == .ok, "another user has their own budget")
            }
        }
    }

    @Test func theShippedPoliciesParse() throws {
        let config = try LoadedConfiguration.load(from: PlatformHarness.configDirectory)
        #expect(config.rateLimits.policies.map(\.name) == ["per-ip", "per-user", "registration", "sign-in", "token"])
        #expect(throws: GatewayConfigurationError.self) {
            try RateLimitConfiguration(yaml: "policies: [{name: x, scope: ip, limit: 0, period_seconds: 1, routes: ['nope']}]")
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["IWORKZ_TEST_REDIS_URL"] != nil, "IWORKZ_TEST_REDIS_URL is not set"))
    func twoPlatformsShareOneRedisBudget() async throws {
        let name = "shared-\(UUID().uuidString.prefix(8))"
        let configure: (inout LoadedConfiguration) -> Void = { config in
            config.rateLimits = RateLimitConfiguration(store: .redis, policies: [
                RateLimitPolicy(name: name, scope: .route, limit: 4, periodSeconds: 3600, burst: 4),
            ])
        }
        let url = ProcessInfo.processInfo.environment["IWORKZ_TEST_REDIS_URL"]!
        try await PlatformHarness.withPlatform(configure: configure, redisURL: url) { first, _ in
            try await PlatformHarness.withPlatform(configure: configure, redisURL: url) { second, _ in
                var admitted = 0
                for platform in [first, second, first, second, first, second] {
                    let status = try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                        try await client.execute(uri: "/api/v1/jobs", method: .get).status
                    }
                    if status == .ok { admitted += 1 }
                }
                #expect(admitted == 4)
            }
        }
    }

    /// Before: the registration budget (by path prefix) also counted consents and applications, so a
    /// family behind one NAT address could not finish applying.
    @Test func theRegistrationBudgetCountsRegistrationsOnly() async throws {
        try await PlatformHarness.withPlatform(configure: { config in
            config.rateLimits = RateLimitConfiguration(policies: [
                RateLimitPolicy(name: "registration", scope: .ip, limit: 2, periodSeconds: 3600, burst: 2, routes: ["POST /api/v1/users"]),
            ])
        }) { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let worker = try await Scenario.register(client, email: "a@example.kr", country: "KR")
                _ = try await Scenario.register(client, email: "b@example.kr", country: "KR")
                let third = try await client.execute(uri: "/api/v1/users", method: .post, headers: JSONRequest.headers(), body: JSONRequest.body([
                    "role": "worker", "email": "c@example.kr", "display_name": "C", "country_of_residence": "KR"]))
                #expect(third.status == .tooManyRequests)
                let notice = try await client.execute(uri: "/api/v1/transfers/notice?destination=JP&purpose=job-application", method: .get)
                for _ in 0..<3 {
                    let consent = try await client.execute(uri: "/api/v1/users/me/consents", method: .post, headers: JSONRequest.headers(token: worker.token),
                                                           body: JSONRequest.body(["destination": "JP", "purpose": "job-application",
                                                                                   "notice_version": try #require(notice.json["version"] as? String)]))
                    #expect(consent.status != .tooManyRequests)
                }
            }
        }
    }

    /// Before: the OAuth endpoints had no limit at all.
    @Test func signInIsLimitedPerAddressAndFailuresCostMore() async throws {
        try await PlatformHarness.withPlatform(configure: { config in
            config.rateLimits = RateLimitConfiguration(policies: [
                RateLimitPolicy(name: "per-ip", scope: .ip, limit: 100, periodSeconds: 3600, burst: 12, failureCost: 6),
                RateLimitPolicy(name: "sign-in", scope: .ip, limit: 3, periodSeconds: 3600, burst: 3, routes: ["POST /oauth/authorize"]),
            ])
        }) { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                var statuses: [HTTPResponse.Status] = []
                for _ in 0..<4 {
                    statuses.append(try await client.execute(uri: "/oauth/authorize", method: .post,
                                                             headers: [.contentType: "application/x-www-form-urlencoded"],
                                                             body: ByteBuffer(string: "client_id=nobody")).status)
                }
                #expect(statuses.last == .tooManyRequests, "\(statuses)")
                #expect(try await client.execute(uri: "/health", method: .get).status == .ok, "probes are not counted")
                // Two failed authentications cost 2 × 6: the whole 12-request burst; the next request is refused.
                for _ in 0..<2 {
                    #expect(try await client.execute(uri: "/api/v1/users/me", method: .get, headers: JSONRequest.headers(token: "forged")).status == .unauthorized)
                }
                #expect(try await client.execute(uri: "/api/v1/jobs", method: .get).status == .tooManyRequests)
            }
        }
    }
}
