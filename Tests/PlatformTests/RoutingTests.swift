import Sovereignty
import Storage
import SQLKit
import Logging
import Foundation
import HTTPTypes
import HummingbirdTesting
import Platform
import ServerKit
import WebFirewall
import Testing
import TestSupport

@Suite("Gateway routing")
struct RoutingTests {
    @Test func aJapaneseRecordIsServedByTokyoWhateverTheHeaderSays() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let worker = try await Scenario.register(client, email: "aoi@example.jp", country: "JP")
                #expect(worker.id.hasPrefix("usr_jp1_"))
                let response = try await client.execute(
                    uri: "/api/v1/users/\(worker.id)", method: .get, headers: JSONRequest.headers(token: worker.token, region: "kr-seoul"))
                #expect(response.status == .ok)
                #expect(response.headers[.servedBy] == "jp-tokyo")
                #expect(response.headers[HTTPField.Name("X-Region-Source")!] == "id")
                #expect(response.json["email"] as? String == "aoi@example.jp")

                let employer = try await Scenario.register(client, role: "employer", email: "hr@example.jp", country: "JP", company: "K.K.")
                let job = try await Scenario.postJob(client, token: employer.token)
                let read = try await client.execute(uri: "/api/v1/jobs/\(job)", method: .get, headers: JSONRequest.headers(region: "kr-seoul"))
                #expect(read.status == .ok)
                #expect(read.headers[.servedBy] == "jp-tokyo")
            }
        }
    }

    @Test func theHeaderPicksTheCellForCollectionsAndAnUntrustedCountryHeaderIsIgnored() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let byHeader = try await client.execute(uri: "/api/v1/jobs", method: .get, headers: JSONRequest.headers(region: "kr-seoul"))
                #expect(byHeader.headers[.servedBy] == "kr-seoul")
                let byCountry = try await client.execute(
                    uri: "/api/v1/jobs", method: .get, headers: [HTTPField.Name("CF-IPCountry")!: "DE"])
                #expect(byCountry.headers[.servedBy] == "jp-tokyo", "anyone can send CF-IPCountry; only a trusted proxy's counts")
                let standby = try await client.execute(uri: "/api/v1/jobs", method: .get, headers: JSONRequest.headers(region: "jp-osaka"))
                #expect(standby.headers[.servedBy] == "jp-tokyo", "a standby is served by its primary while it is healthy")
            }
        }
    }

    @Test func anUnknownRegionIsABadRequest() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let response = try await client.execute(uri: "/api/v1/jobs", method: .get, headers: JSONRequest.headers(region: "mars-1"))
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.json["type"] as? String == "urn:iworkz:problem:unknown-region")
                let foreignCode = try await client.execute(
                    uri: "/api/v1/jobs/job_zz9_0193a6b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b", method: .get)
                #expect(foreignCode.status == .notFound, "an id of a region with no cell names no record here")
                #expect(foreignCode.json["type"] as? String == "urn:iworkz:problem:not-found")
            }
        }
    }

    @Test func aPathWithNoRuleIsNotFound() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                for path in ["/api/v2/users", "/admin", "/api/v1/usersx", "/"] {
                    let response = try await client.execute(uri: path, method: .get)
                    #expect(response.status == .notFound, "\(path)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                    #expect(response.json["type"] as? String == "urn:iworkz:problem:no-route")
                    #expect(response.headers[.requestIDHeader]?.isEmpty == false)
                }
                let inside = try await client.execute(uri: "/api/v1/users/me/secrets", method: .get)
                #expect(inside.status == .notFound)
                #expect(inside.json["type"] as? String == "urn:iworkz:problem:not-found")
            }
        }
    }

    @Test func aCellRefusesAForeignRecord() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            let catalog = platform.configuration.catalog
            let seoul = try #require(platform.cell("kr-seoul"))
            let identity = ServerKitIdentity.make(region: seoul.region, catalog: catalog)
            let japanese = try RegionalIDFactory.user(code: "jp1")
            let error = #expect(throws: Problem.self) { try identity.requireHome(japanese) }
            #expect(error?.slug == "wrong-cell")
            #expect(error?.status == .misdirectedRequest)
            #expect(throws: Never.self) { try identity.requireHome(try RegionalIDFactory.user(code: "kr1")) }
        }
    }

    @Test func theCorrelationIDIsEchoedOrCreated() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let echoed = try await client.execute(uri: "/health", method: .get, headers: [.requestIDHeader: "abc-123"])
                #expect(echoed.headers[.requestIDHeader] == "abc-123")
                let created = try await client.execute(uri: "/health", method: .get)
                #expect(created.headers[.requestIDHeader]?.count == 36)
                let hostile = try await client.execute(uri: "/health", method: .get, headers: [.requestIDHeader: "x\"><script>"])
                #expect(hostile.headers[.requestIDHeader] != "x\"><script>")
            }
        }
    }
}

@Suite("Gateway authentication")
struct GatewayAuthenticationTests {
    @Test func aRefusedTokenGets401WithAChallengeAndAMetric() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let worker = try await Scenario.register(client, email: "w@example.kr", country: "KR")
                let tampered = String(worker.token.dropLast(4)) + "AAAA"
                for (header, reason) in [("Bearer \(tampered)", "bad-signature"), ("Basic dXNlcjpwYXNz", "not-bearer"), ("Bearer x.y.z", "malformed")] {
                    let response = try await client.execute(uri: "/api/v1/users/me", method: .get, headers: [.authorization: header])
                    #expect(response.status == .unauthorized, "\(reason)")
                    #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer realm=\"iworkz\", error=") == true)
                    #expect(response.json["type"] as? String == "urn:iworkz:problem:unauthorized")
                }
                let jwks = try await client.execute(uri: "/.well-known/jwks.json", method: .get)
                let keys = try #require(jwks.json["keys"] as? [[String: String]])
                #expect(keys.count == 1 && keys[0]["alg"] == "ES256" && keys[0]["d"] == nil, "public parts only")
                let discovery = try await client.execute(uri: "/.well-known/oauth-authorization-server", method: .get)
                #expect(discovery.json["code_challenge_methods_supported"] as? [String] == ["S256"])
                #expect(discovery.json["id_token_signing_alg_values_supported"] == nil, "no ID token is issued, so none is advertised")
                #expect(try await client.execute(uri: "/.well-known/openid-configuration", method: .get).status == .notFound)
                let metrics = try await platform.metricsText()
                #expect(metrics.contains(#"iworkz_auth_failures_total{reason="not-bearer"} 1"#))
            }
        }
    }

    /// Behind CloudFlare or an ALB (issue P4, item 9): only from a trusted proxy are the forwarded
    /// address and country believed.
    @Test(.timeLimit(.minutes(1)))
    func aTrustedProxysForwardedAddressAndCountryAreUsed() async throws {
        try await PlatformHarness.withPlatform(configure: { config in
            config.limits.trustedProxies = ["127.0.0.0/8"]
            var settings = config.firewall!.settings
            settings.deny = ["198.51.100.0/24"]
            config.firewall = try! WebFirewall(settings: settings, rules: config.firewall!.rules)
        }) { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.live) { client in
                let byCountry = try await client.execute(uri: "/api/v1/jobs", method: .get, headers: [HTTPField.Name("CF-IPCountry")!: "DE"])
                #expect(byCountry.headers[.servedBy] == "eu-west-1")
                #expect(byCountry.headers[HTTPField.Name("X-Region-Source")!] == "country")
                let denied = try await client.execute(uri: "/api/v1/jobs", method: .get,
                                                      headers: [HTTPField.Name("X-Forwarded-For")!: "198.51.100.7, 127.0.0.1"])
                #expect(denied.status == .forbidden, "the forwarded client address meets the deny list")
                #expect(denied.json["type"] as? String == "urn:iworkz:problem:waf:ip-deny")
                let allowed = try await client.execute(uri: "/api/v1/jobs", method: .get,
                                                       headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.7"])
                #expect(allowed.status == .ok)
            }
        }
    }
}
