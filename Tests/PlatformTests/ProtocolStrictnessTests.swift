import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Platform
import Testing
import TestSupport

/// Issue P4, item 7: what a protocol fuzzer found.
@Suite("Protocol strictness")
struct ProtocolStrictnessTests {
    @Test func unsupportedMethodsAre405WithAllow() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                for method in [HTTPRequest.Method("TRACE")!, HTTPRequest.Method("PROPFIND")!] {
                    let response = try await client.execute(uri: "/api/v1/jobs", method: method)
                    #expect(response.status == .methodNotAllowed, "\(method)")
                    #expect(response.json["type"] as? String == "urn:iworkz:problem:method-not-allowed")
                    #expect(response.headers[.allow]?.contains("GET") == true)
                }
            }
        }
    }

    /// Before: a method an endpoint does not take answered 404 with no body on the gateway's own
    /// endpoints, and 400 on routed ones whose path id names no region (the id was read first).
    @Test(arguments: [
        ("/health", "GET, HEAD"), ("/.well-known/jwks.json", "GET, HEAD"), ("/oauth/token", "POST"),
        ("/oauth/authorize", "GET, HEAD, POST"), ("/api/v1/jobs/job_aa0_00000000-0000-7000-8000-000000000000", "GET, HEAD, PATCH"),
    ])
    func everyEndpointAnswers405ToAMethodItDoesNotTake(path: String, allow: String) async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let response = try await client.execute(uri: path, method: .put)
                #expect(response.status == .methodNotAllowed)
                #expect(response.json["type"] as? String == "urn:iworkz:problem:method-not-allowed")
                #expect(response.headers[.allow] == allow)
            }
        }
    }

    /// Before: without a token, a path id was validated first, so a request that would be refused
    /// for want of a token answered 400 (malformed-id, unknown-region) instead of 401.
    @Test(arguments: [
        (HTTPRequest.Method.get, "/api/v1/jobs/job_aa0_00000000-0000-7000-8000-000000000000/applications"),
        (.post, "/api/v1/jobs/job_aa0_00000000-0000-7000-8000-000000000000/close"),
        (.delete, "/api/v1/users/me/documents/doc_aa0_"), (.get, "/api/v1/users/usr_nope"),
        (.get, "/api/v1/jobs/job_jp1_nope/candidates"),
    ])
    func aMissingTokenIs401BeforeTheIdIsRead(method: HTTPRequest.Method, path: String) async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let response = try await client.execute(uri: path, method: method)
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                // Public postings still answer without a token, and tell a bad id by its shape.
                #expect(try await client.execute(uri: "/api/v1/jobs/job_jp1_nope", method: .get).status == .badRequest)
            }
        }
    }

    /// A well-formed id whose region code no cell has names no record of this deployment.
    @Test func anIdOfAnUnconfiguredRegionIsNotFound() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let response = try await client.execute(uri: "/api/v1/jobs/job_aa0_00000000-0000-7000-8000-000000000000", method: .get)
                #expect(response.status == .notFound)
                #expect(response.json["type"] as? String == "urn:iworkz:problem:not-found")
            }
        }
    }

    @Test func headAnswersLikeGetWithoutABodyCachedOrNot() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let employer = try await Scenario.register(client, role: "employer", email: "hr@fuji.example", country: "JP", company: "Fuji")
                let job = try await Scenario.postJob(client, token: employer.token)
                for _ in 0..<2 {  // a miss, then a cache hit
                    let get = try await client.execute(uri: "/api/v1/jobs/\(job)", method: .get)
                    let head = try await client.execute(uri: "/api/v1/jobs/\(job)", method: .head)
                    #expect(head.status == .ok)
                    #expect(head.body.readableBytes == 0)
                    #expect(head.headers[.contentType] == get.headers[.contentType])
                    #expect(head.headers[.eTag] == get.headers[.eTag])
                }
                let me = try await client.execute(uri: "/api/v1/users/me", method: .head, headers: JSONRequest.headers(token: employer.token))
                #expect(me.status == .ok)
                #expect(me.body.readableBytes == 0)
                #expect(try await client.execute(uri: "/health", method: .head).status == .ok)
            }
        }
    }

    @Test(arguments: [String(repeating: "a", count: 129), "two words", "semi;colon", "ünïcode", "", "FAG>XEI"])
    func anUnusableRequestIDIsReplaced(id: String) async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let response = try await client.execute(uri: "/health", method: .get, headers: [.requestIDHeader: id])
                let echoed = try #require(response.headers[.requestIDHeader])
                #expect(echoed != id)
                #expect(UUID(uuidString: echoed) != nil)
                let plain = String(repeating: "b", count: 128)
                #expect(try await client.execute(uri: "/health", method: .get, headers: [.requestIDHeader: plain]).headers[.requestIDHeader] == plain)
                // Before: a cell's problem document carried the client's raw value.
                var headers = JSONRequest.headers()
                headers[.requestIDHeader] = id
                let problem = try await client.execute(uri: "/api/v1/users", method: .post, headers: headers, body: JSONRequest.body(["role": "worker"]))
                #expect(problem.status == .badRequest)
                #expect(problem.json["request_id"] as? String == problem.headers[.requestIDHeader])
            }
        }
    }

    /// Before: bcrypt read only the first 72 bytes, so two passwords sharing them both signed in.
    @Test func aPasswordLongerThanBcryptReadsIsRefused() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let long = String(repeating: "p", count: 72) + "X"
                let refused = try await client.execute(uri: "/api/v1/users", method: .post, headers: JSONRequest.headers(), body: JSONRequest.body([
                    "role": "worker", "email": "long@example.kr", "display_name": "Long", "country_of_residence": "KR", "password": long,
                ]))
                #expect(refused.status == .unprocessableContent)
                #expect((refused.json["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/password")
                let multibyte = String(repeating: "パ", count: 25)  // 25 characters, 75 bytes
                let alsoRefused = try await client.execute(uri: "/api/v1/users", method: .post, headers: JSONRequest.headers(), body: JSONRequest.body([
                    "role": "worker", "email": "kana@example.kr", "display_name": "Kana", "country_of_residence": "KR", "password": multibyte,
                ]))
                #expect(alsoRefused.status == .unprocessableContent)
            }
        }
    }

    @Test func duplicateMembersAreComparedAfterUnescaping() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let body = #"{"role":"worker","email":"a@example.kr","display_name":"A","country_of_residence":"KR","\u0072ole":"employer"}"#
                let response = try await client.execute(uri: "/api/v1/users", method: .post, headers: JSONRequest.headers(), body: ByteBuffer(string: body))
                #expect(response.status == .badRequest)
                #expect((response.json["detail"] as? String)?.contains("role") == true, "\(response.text)")
            }
        }
    }

    @Test func aSecondApplicationIsAConflictAndARepeatedConsentIsTheOneInForce() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let worker = try await Scenario.register(client, email: "jisoo@example.kr", country: "KR", profile: Scenario.weldingWorkerProfile)
                let employer = try await Scenario.register(client, role: "employer", email: "hr@fuji.example", country: "JP", company: "Fuji")
                let job = try await Scenario.postJob(client, token: employer.token)
                let auth = JSONRequest.headers(token: worker.token)
                let notice = try await client.execute(uri: "/api/v1/transfers/notice?destination=JP&purpose=job-application", method: .get)
                let consent = ["destination": "JP", "purpose": "job-application", "notice_version": try #require(notice.json["version"] as? String)]
                let first = try await client.execute(uri: "/api/v1/users/me/consents", method: .post, headers: auth, body: JSONRequest.body(consent))
                #expect(first.status == .created)
                let again = try await client.execute(uri: "/api/v1/users/me/consents", method: .post, headers: auth, body: JSONRequest.body(consent))
                #expect(again.status == .ok)
                #expect(again.json["id"] as? String == first.json["id"] as? String)
                let listed = try await client.execute(uri: "/api/v1/users/me/consents", method: .get, headers: auth)
                #expect((listed.json["consents"] as? [Any])?.count == 1, "\(listed.text)")

                let applied = try await client.execute(uri: "/api/v1/users/me/applications", method: .post, headers: auth, body: JSONRequest.body(["job_id": job]))
                #expect(applied.status == .created)
                let twice = try await client.execute(uri: "/api/v1/users/me/applications", method: .post, headers: auth, body: JSONRequest.body(["job_id": job]))
                #expect(twice.status == .conflict)
                #expect(twice.json["type"] as? String == "urn:iworkz:problem:already-applied")
                #expect(twice.json["application_id"] as? String == applied.json["id"] as? String)
            }
        }
    }

    /// Before: a chunk size that is not hex, or one too large to read, was a 500.
    @Test(.timeLimit(.minutes(1)), arguments: [
        "zz\r\nhello\r\n0\r\n\r\n",
        "FFFFFFFFFFFFFFFFFFFF\r\nx\r\n0\r\n\r\n",
        "5\r\nhello\r\nnot-a-size\r\n",
    ])
    func aMalformedChunkedBodyIsAClientError(chunks: String) async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await LiveServer.run(platform) { port in
                let connection = try await RawConnection.connect(port: port)
                try await connection.send("POST /api/v1/users HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks)
                try await MatchStreamTests.wait { connection.text.contains("\r\n\r\n") || !connection.isOpen }
                let status = connection.text.split(separator: " ").dropFirst().first.flatMap { Int($0) }
                #expect(status.map { (400..<500).contains($0) } ?? !connection.isOpen, "\(connection.text.prefix(200))")
            }
        }
    }

    @Test(.timeLimit(.minutes(1)), arguments: ["chunked, chunked", "gzip", "xchunked", "chunked\u{0B}"])
    func aMalformedTransferEncodingIsAClientError(encoding: String) async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await LiveServer.run(platform) { port in
                let connection = try await RawConnection.connect(port: port)
                try await connection.send("POST /api/v1/users HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: \(encoding)\r\n\r\n5\r\n{}{}{\r\n0\r\n\r\n")
                try await MatchStreamTests.wait { connection.text.contains("\r\n\r\n") || !connection.isOpen }
                let status = connection.text.split(separator: " ").dropFirst().first.flatMap { Int($0) }
                #expect(status.map { (400..<500).contains($0) } ?? !connection.isOpen, "\(encoding): \(connection.text.prefix(200))")
            }
        }
    }
}
