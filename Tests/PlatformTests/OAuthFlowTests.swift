import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Platform
import ServerKit
import Testing
import TestSupport

@Suite("OAuth2 flows")
struct OAuthFlowTests {
    static let redirect = "http://127.0.0.1:8000/callback"

    static func form(_ fields: [String: String]) -> ByteBuffer {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return ByteBuffer(string: fields.sorted { $0.key < $1.key }.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }.joined(separator: "&"))
    }

    static let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    static func pkce() -> (verifier: String, challenge: String) {
        let verifier = Base64URL.encode(Data((0..<32).map { _ in UInt8.random(in: 0...255) }))
        return (verifier, Base64URL.encode(Data(SHA256.hash(data: Data(verifier.utf8)))))
    }

    /// Registers a worker with a password, signs in through the login form and returns the code.
    static func signIn(_ client: some TestClientProtocol, challenge: String, email: String = "minji@example.kr",
                       password: String = "correct horse battery staple") async throws -> String {
        let query = "response_type=code&client_id=iworkz-web&redirect_uri=\(redirect.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
            + "&code_challenge=\(challenge)&code_challenge_method=S256&state=xyz&scope=profile+matching"  // + as a space, as browsers and authlib send it
        let page = try await client.execute(uri: "/oauth/authorize?\(query)", method: .get, headers: [HTTPField.Name("CF-IPCountry")!: "KR"])
        #expect(page.status == .ok)
        #expect(page.headers[.contentType] == "text/html; charset=utf-8")
        #expect(!page.text.contains("selected>"), "a country header from a client that is no trusted proxy is ignored")
        #expect(page.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
        let response = try await client.execute(uri: "/oauth/authorize", method: .post, headers: formHeaders, body: form([
            "response_type": "code", "client_id": "iworkz-web", "redirect_uri": redirect, "code_challenge": challenge,
            "code_challenge_method": "S256", "state": "xyz", "scope": "profile matching",
            "home_region": "kr-seoul", "email": email, "password": password,
        ]))
        try #require(response.status == .seeOther, "sign-in failed: \(response.status) \(response.text.prefix(300))")
        let location = try #require(response.headers[.location].flatMap(URLComponents.init(string:)))
        #expect(location.queryItems?.first { $0.name == "state" }?.value == "xyz")
        return try #require(location.queryItems?.first { $0.name == "code" }?.value)
    }

    static func registerWorker(_ client: some TestClientProtocol) async throws {
        let response = try await client.execute(uri: "/api/v1/users", method: .post, headers: JSONRequest.headers(), body: JSONRequest.body([
            "role": "worker", "email": "minji@example.kr", "display_name": "Kim Min-ji", "country_of_residence": "KR",
            "password": "correct horse battery staple",
        ]))
        try #require(response.status == .created)
        #expect((response.json["user"] as? [String: Any])?["password"] == nil)
        #expect(!response.text.contains("$2b$"), "the hash is never returned")
    }

    static func exchange(_ client: some TestClientProtocol, code: String, verifier: String) async throws -> TestResponse {
        try await client.execute(uri: "/oauth/token", method: .post, headers: formHeaders, body: form([
            "grant_type": "authorization_code", "code": code, "code_verifier": verifier, "redirect_uri": redirect, "client_id": "iworkz-web",
        ]))
    }

    static func refresh(_ client: some TestClientProtocol, _ token: String) async throws -> TestResponse {
        try await client.execute(uri: "/oauth/token", method: .post, headers: formHeaders, body: form([
            "grant_type": "refresh_token", "refresh_token": token, "client_id": "iworkz-web",
        ]))
    }

    @Test func pkceHappyPathThenRefreshRotationAndReuseDetection() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.live) { client in
                try await Self.registerWorker(client)
                let (verifier, challenge) = Self.pkce()
                let code = try await Self.signIn(client, challenge: challenge)
                #expect(code.hasPrefix("ac_kr1_"), "the code names the home cell")
                let tokens = try await Self.exchange(client, code: code, verifier: verifier)
                #expect(tokens.status == .ok, "\(tokens.text)")
                #expect(tokens.headers[.cacheControl] == "no-store")
                let access = try #require(tokens.json["access_token"] as? String)
                let refresh = try #require(tokens.json["refresh_token"] as? String)
                #expect(tokens.json["scope"] as? String == "matching profile")
                let me = try await client.execute(uri: "/api/v1/users/me", method: .get, headers: JSONRequest.headers(token: access))
                #expect(me.status == .ok)
                #expect(me.headers[.servedBy] == "kr-seoul")

                let rotated = try await Self.refresh(client, refresh)
                #expect(rotated.status == .ok)
                let second = try #require(rotated.json["refresh_token"] as? String)
                #expect(second != refresh)
                let reuse = try await Self.refresh(client, refresh)
                #expect(reuse.status == .badRequest)
                #expect((reuse.json["error_description"] as? String)?.contains("already used") == true)
                let afterReuse = try await Self.refresh(client, second)
                #expect(afterReuse.status == .badRequest, "reuse revoked the whole family, including the newest token")

                // A replayed code is refused and revokes what it issued (RFC 6749 §4.1.2).
                let (verifier2, challenge2) = Self.pkce()
                let code2 = try await Self.signIn(client, challenge: challenge2)
                let first = try await Self.exchange(client, code: code2, verifier: verifier2)
                let refresh2 = try #require(first.json["refresh_token"] as? String)
                let codeAgain = try await Self.exchange(client, code: code2, verifier: verifier2)
                #expect(codeAgain.status == .badRequest)
                #expect(codeAgain.json["error"] as? String == "invalid_grant")
                #expect(try await Self.refresh(client, refresh2).status == .badRequest, "the replay revoked the tokens of the first exchange")
            }
        }
    }

    @Test func aWrongVerifierOrPasswordIsRefused() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.live) { client in
                try await Self.registerWorker(client)
                let (_, challenge) = Self.pkce()
                let code = try await Self.signIn(client, challenge: challenge)
                let wrong = try await Self.exchange(client, code: code, verifier: Self.pkce().verifier)
                #expect(wrong.status == .badRequest)
                #expect(wrong.json["error"] as? String == "invalid_grant")

                let badPassword = try await client.execute(uri: "/oauth/authorize", method: .post, headers: Self.formHeaders, body: Self.form([
                    "response_type": "code", "client_id": "iworkz-web", "redirect_uri": Self.redirect, "code_challenge": challenge,
                    "code_challenge_method": "S256", "home_region": "kr-seoul", "email": "minji@example.kr", "password": "wrong password!!",
                ]))
                #expect(badPassword.status == .unauthorized)
                #expect(badPassword.text.contains("The email or password is wrong."))
                let otherRegion = try await client.execute(uri: "/oauth/authorize", method: .post, headers: Self.formHeaders, body: Self.form([
                    "response_type": "code", "client_id": "iworkz-web", "redirect_uri": Self.redirect, "code_challenge": challenge,
                    "code_challenge_method": "S256", "home_region": "jp-tokyo", "email": "minji@example.kr", "password": "correct horse battery staple",
                ]))
                #expect(otherRegion.status == .unauthorized, "credentials are only checked in the home cell")

                let evilRedirect = try await client.execute(
                    uri: "/oauth/authorize?response_type=code&client_id=iworkz-web&redirect_uri=https%3A%2F%2Fevil.test%2F&code_challenge=\(challenge)&code_challenge_method=S256",
                    method: .get)
                #expect(evilRedirect.status == .badRequest)
                #expect(evilRedirect.headers[.location] == nil, "never redirect to an unregistered URI")
                let plain = try await client.execute(
                    uri: "/oauth/authorize?response_type=code&client_id=iworkz-web&redirect_uri=\(Self.redirect.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&code_challenge=\(challenge)&code_challenge_method=plain&state=s",
                    method: .get)
                #expect(plain.status == .seeOther)
                #expect(plain.headers[.location]?.contains("error=invalid_request") == true, "PKCE plain is refused")
                let xss = try await client.execute(
                    uri: "/oauth/authorize?response_type=code&client_id=iworkz-web&redirect_uri=\(Self.redirect.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&code_challenge=\(challenge)&code_challenge_method=S256&state=%22%3E%3Cb%3Ex",
                    method: .get)
                #expect(xss.status == .ok, "a tag alone is below the firewall's threshold; the page must escape it")
                #expect(!xss.text.contains("\"><b>x"))
                #expect(xss.text.contains("&quot;&gt;&lt;b&gt;x"))
            }
        }
    }

    @Test func clientCredentialsAndRevocation() async throws {
        try await PlatformHarness.withPlatform { platform, directory in
            let secret = try String(contentsOf: directory.appendingPathComponent("keys/clients/partner-ats.secret"), encoding: .utf8)
            let attributes = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("keys/clients/partner-ats.secret").path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            try await platform.application(host: "127.0.0.1", port: 0).test(.live) { client in
                let basic = "Basic " + Data("partner-ats:\(secret)".utf8).base64EncodedString()
                var headers = Self.formHeaders
                headers[.authorization] = basic
                let granted = try await client.execute(uri: "/oauth/token", method: .post, headers: headers,
                                                       body: Self.form(["grant_type": "client_credentials", "scope": "jobs:read"]))
                #expect(granted.status == .ok, "\(granted.text)")
                #expect(granted.json["refresh_token"] == nil)
                let access = try #require(granted.json["access_token"] as? String)
                let jobs = try await client.execute(uri: "/api/v1/jobs", method: .get, headers: JSONRequest.headers(token: access))
                #expect(jobs.status == .ok, "a partner token reads public jobs")
                let me = try await client.execute(uri: "/api/v1/users/me", method: .get, headers: JSONRequest.headers(token: access))
                #expect(me.status == .forbidden, "a partner token has no profile scope")
                #expect(me.json["type"] as? String == "urn:iworkz:problem:insufficient-scope")

                headers[.authorization] = "Basic " + Data("partner-ats:wrong".utf8).base64EncodedString()
                let wrongSecret = try await client.execute(uri: "/oauth/token", method: .post, headers: headers,
                                                           body: Self.form(["grant_type": "client_credentials"]))
                #expect(wrongSecret.status == .unauthorized)
                #expect(wrongSecret.json["error"] as? String == "invalid_client")
                let tooMuch = try await client.execute(uri: "/oauth/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .authorization: basic],
                                                       body: Self.form(["grant_type": "client_credentials", "scope": "jobs:write"]))
                #expect(tooMuch.json["error"] as? String == "invalid_scope")

                try await Self.registerWorker(client)
                let (verifier, challenge) = Self.pkce()
                let code = try await Self.signIn(client, challenge: challenge)
                let tokens = try await Self.exchange(client, code: code, verifier: verifier)
                let refresh = try #require(tokens.json["refresh_token"] as? String)
                let revoked = try await client.execute(uri: "/oauth/revoke", method: .post, headers: Self.formHeaders,
                                                       body: Self.form(["token": refresh, "client_id": "iworkz-web"]))
                #expect(revoked.status == .ok)
                let after = try await Self.refresh(client, refresh)
                #expect(after.json["error"] as? String == "invalid_grant")
            }
        }
    }
}
