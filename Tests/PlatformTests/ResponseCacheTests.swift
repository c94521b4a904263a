import Foundation
import HTTPTypes
import HummingbirdTesting
import Platform
import ResponseCache
import Testing
import TestSupport

@Suite("Gateway response cache")
struct ResponseCacheTests {
    @Test func hitsMissesETagsAndInvalidation() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let employer = try await Scenario.register(client, role: "employer", email: "e@example.jp", country: "JP", company: "E")
                let jobID = try await Scenario.postJob(client, token: employer.token)
                let first = try await client.execute(uri: "/api/v1/jobs?country=JP", method: .get)
                #expect(first.status == .ok, "\(first.headers) \(first.text.prefix(300))")
                #expect(first.headers[HTTPField.Name("X-Cache")!] == "MISS")
                let etag = try #require(first.headers[.eTag])
                #expect(etag.hasPrefix("\"") && etag.count == 34, "strong ETag")
                let second = try await client.execute(uri: "/api/v1/jobs?country=JP", method: .get)
                #expect(second.headers[HTTPField.Name("X-Cache")!] == "HIT")
                #expect(second.headers[.age] != nil)
                #expect(second.text == first.text)
                let conditional = try await client.execute(uri: "/api/v1/jobs?country=JP", method: .get, headers: [.ifNoneMatch: etag])
                #expect(conditional.status == .notModified)
                #expect(conditional.body.readableBytes == 0)
                let otherRegion = try await client.execute(uri: "/api/v1/jobs?country=JP", method: .get, headers: JSONRequest.headers(region: "kr-seoul"))
                #expect(otherRegion.headers[HTTPField.Name("X-Cache")!] == "MISS", "the region is part of the key")

                let closed = try await client.execute(uri: "/api/v1/jobs/\(jobID)/close", method: .post, headers: JSONRequest.headers(token: employer.token))
                #expect(closed.status == .ok)
                let afterWrite = try await client.execute(uri: "/api/v1/jobs?country=JP", method: .get)
                #expect(afterWrite.headers[HTTPField.Name("X-Cache")!] == "MISS", "a write invalidates")
                #expect((afterWrite.json["jobs"] as? [Any])?.isEmpty == true, "the closed posting is gone, not served stale")
                let stale = try await client.execute(uri: "/api/v1/jobs?country=JP", method: .get, headers: [.ifNoneMatch: etag])
                #expect(stale.status == .ok, "the old ETag no longer matches")
                let metrics = try await platform.metricsText()
                #expect(metrics.contains(#"iworkz_cache_requests_total{result="hit"}"#))
            }
        }
    }

    @Test func aStaleCopyStandsInWhileTheCellFailsWithinStaleIfError() async throws {
        let clock = ManualClock()
        try await PlatformHarness.withPlatform(clock: { clock.now() }) { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let employer = try await Scenario.register(client, role: "employer", email: "e@example.jp", country: "JP", company: "E")
                _ = try await Scenario.postJob(client, token: employer.token)
                let first = try await client.execute(uri: "/api/v1/jobs?country=JP", method: .get)
                #expect(first.headers[HTTPField.Name("X-Cache")!] == "MISS")
                #expect(first.headers[.cacheControl]?.contains("stale-if-error=300") == true)
                clock.advance(seconds: 60)
                let refreshed = try await client.execute(uri: "/api/v1/jobs?country=JP", method: .get)
                #expect(refreshed.headers[HTTPField.Name("X-Cache")!] == "MISS", "a healthy cell answers once the copy expires")

                clock.advance(seconds: 60)
                try await platform.cell("jp-tokyo")!.database.close()
                let stale = try await client.execute(uri: "/api/v1/jobs?country=JP", method: .get)
                #expect(stale.status == .ok)
                #expect(stale.headers[HTTPField.Name("X-Cache")!] == "STALE")
                #expect(stale.headers[.age] == "60")
                #expect(stale.text == first.text)

                clock.advance(seconds: 400)
                let failed = try await client.execute(uri: "/api/v1/jobs?country=JP", method: .get)
                #expect(failed.status == .internalServerError, "past stale-if-error the failure shows")
                #expect(failed.headers[HTTPField.Name("X-Cache")!] == nil)
                let metrics = try await platform.metricsText()
                #expect(metrics.contains(#"iworkz_cache_requests_total{result="stale"} 1"#))
            }
        }
    }

    @Test func privateResponsesAreNeverSharedBetweenPeople() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let first = try await Scenario.register(client, email: "first@example.kr", country: "KR")
                let second = try await Scenario.register(client, email: "second@example.kr", country: "KR")
                for _ in 0..<2 {
                    let mine = try await client.execute(uri: "/api/v1/users/me", method: .get, headers: JSONRequest.headers(token: first.token))
                    #expect(mine.json["email"] as? String == "first@example.kr")
                    #expect(mine.headers[HTTPField.Name("X-Cache")!] == nil, "private, no-store is not stored")
                    let theirs = try await client.execute(uri: "/api/v1/users/me", method: .get, headers: JSONRequest.headers(token: second.token))
                    #expect(theirs.json["email"] as? String == "second@example.kr")
                }
            }
        }
    }

    @Test func cacheControlAndVaryRules() {
        #expect(CacheControl("public, max-age=30").sharedLifetime == 30)
        #expect(CacheControl("max-age=30, s-maxage=5").sharedLifetime == 5)
        #expect(CacheControl("private, max-age=30").sharedLifetime == nil)
        #expect(CacheControl("no-store").sharedLifetime == nil)
        #expect(CacheControl("no-cache, max-age=30").sharedLifetime == nil)
        #expect(CacheControl(nil).sharedLifetime == nil)
        #expect(EntityTag.matches("W/\"abc\", \"def\"", "\"abc\""))
        #expect(EntityTag.matches("*", "\"x\""))
        #expect(!EntityTag.matches("\"abd\"", "\"abc\""))
    }

    @Test func theMemoryStoreEvictsTheLeastRecentlyUsed() async throws {
        let store = MemoryCacheStore(capacityBytes: 3 * (1000 + 128 + 40))
        let entry = CachedResponse(body: Data(repeating: 1, count: 1000), contentType: nil, etag: String(repeating: "e", count: 40),
                                   cacheControl: nil, storedAt: Date(), expiresAt: Date().addingTimeInterval(60))
        let (a, b) = (ResponseCacheKey(tag: "jobs", variant: "a"), ResponseCacheKey(tag: "jobs", variant: "b"))
        let (c, d) = (ResponseCacheKey(tag: "users", variant: "c"), ResponseCacheKey(tag: "users", variant: "d"))
        try await store.set(a, entry)
        try await store.set(b, entry)
        try await store.set(c, entry)
        _ = try await store.get(a)
        try await store.set(d, entry)
        #expect(try await store.get(b) == nil, "b was least recently used")
        #expect(try await store.get(a) != nil)
        #expect(store.bytes <= store.capacityBytes)
        try await store.invalidate(tag: "users")
        #expect(try await store.get(c) == nil)
        #expect(try await store.get(d) == nil)
        #expect(store.count == 1)
    }
}
