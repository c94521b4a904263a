import Crypto
import Foundation
@testable import Identity
@testable import TokenVerification
import JWTKit
import ServerKit
import Sovereignty
import Synchronization
import Testing

@Suite("Access tokens")
struct AccessTokenTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("iworkz-keys-\(UUID().uuidString)")
    let ring: SigningKeyRing
    let issuer: AccessTokenIssuer
    let verifier: AccessTokenVerifier
    let worker = Principal(userID: RegionalID.generate(kind: .user, regionCode: "kr1", millisecondsSince1970: 1),
                           role: .worker, homeRegion: "kr-seoul")

    init() throws {
        ring = try SigningKeyRing(directory: directory)
        issuer = AccessTokenIssuer(ring: ring, issuer: "https://id.iworkz.test")
        let ring = ring
        verifier = AccessTokenVerifier(issuer: "https://id.iworkz.test") { ring.jwks() }
    }

    @Test func aValidTokenCarriesThePerson() async throws {
        let token = try await issuer.mint(for: worker)
        let verified = try await verifier.verify(token)
        #expect(verified.principal == worker)
        #expect(verified.claims.scopes == ["profile", "jobs:read", "matching", "agent"])
        #expect(verified.claims.aud.value == ["iworkz-api"])
        #expect(verified.claims.exp.value.timeIntervalSince(verified.claims.iat.value) == 900, "15 minutes")
        let payload = try #require(Base64URL.decode(String(token.split(separator: ".")[1])))
        let numbers = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
        for claim in ["exp", "iat"] {
            let value = try #require(numbers[claim] as? Double)
            #expect(value == value.rounded(), "\(claim) is a whole number of seconds")
        }
        let header = try #require(Base64URL.decode(String(token.split(separator: ".")[0])))
        let fields = try #require(try JSONSerialization.jsonObject(with: header) as? [String: String])
        #expect(fields["alg"] == "ES256")
        #expect(fields["kid"] == (try ring.signingKey().kid))
        try? FileManager.default.removeItem(at: directory)
    }

    @Test func aCachedVerificationStillExpires() async throws {
        let token = try await issuer.mint(for: worker)
        _ = try await verifier.verify(token)
        let cached = try await verifier.verify(token)
        #expect(cached.principal == worker)
        do {
            _ = try await verifier.verify(token, now: Date().addingTimeInterval(16 * 60))
            Issue.record("an expired token was accepted from the cache")
        } catch {
            #expect(error == .expired)
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Hand-made tokens an attacker could send.
    func craft(header: [String: Any], claims: [String: Any], sign: (Data) -> Data) -> String {
        let head = Base64URL.encode(try! JSONSerialization.data(withJSONObject: header))
        let body = Base64URL.encode(try! JSONSerialization.data(withJSONObject: claims))
        return "\(head).\(body).\(Base64URL.encode(sign(Data("\(head).\(body)".utf8))))"
    }

    func claims(_ changes: [String: Any] = [:]) -> [String: Any] {
        let now = Date().timeIntervalSince1970
        var claims: [String: Any] = [
            "iss": "https://id.iworkz.test", "sub": worker.userID.description, "aud": ["iworkz-api"],
            "exp": now + 600, "iat": now, "jti": UUID().uuidString, "scope": "profile", "rgn": "kr-seoul", "role": "worker",
        ]
        for (key, value) in changes { claims[key] = value }
        return claims
    }

    func es256(_ key: P256.Signing.PrivateKey) -> (Data) -> Data {
        { data in Data(ES256Signature.lowS(Array((try! key.signature(for: data)).rawRepresentation))) }
    }

    @Test func refusesTheAttackTable() async throws {
        let key = try ring.signingKey()
        let now = Date().timeIntervalSince1970
        let publicPEM = Data(key.privateKey.publicKey.pemRepresentation.utf8)
        let attacks: [(String, String, AccessTokenVerifier.Failure)] = [
            ("alg none", craft(header: ["alg": "none", "kid": key.kid], claims: claims()) { _ in Data() }, .algorithm),
            ("HS256 signed with the public key", craft(header: ["alg": "HS256", "kid": key.kid], claims: claims()) { data in
                Data(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: publicPEM)))
            }, .algorithm),
            ("RS256 claimed", craft(header: ["alg": "RS256", "kid": key.kid], claims: claims(), sign: es256(key.privateKey)), .algorithm),
            ("unknown kid", craft(header: ["alg": "ES256", "kid": "es256-nope"], claims: claims(), sign: es256(key.privateKey)), .unknownKey),
            ("no kid", craft(header: ["alg": "ES256"], claims: claims(), sign: es256(key.privateKey)), .unknownKey),
            ("another key under our kid", craft(header: ["alg": "ES256", "kid": key.kid], claims: claims(), sign: es256(P256.Signing.PrivateKey())), .signature),
            ("expired", craft(header: ["alg": "ES256", "kid": key.kid], claims: claims(["exp": now - 1]), sign: es256(key.privateKey)), .expired),
            ("nbf in the future", craft(header: ["alg": "ES256", "kid": key.kid], claims: claims(["nbf": now + 600]), sign: es256(key.privateKey)), .notYetValid),
            ("iat in the future", craft(header: ["alg": "ES256", "kid": key.kid], claims: claims(["iat": now + 600]), sign: es256(key.privateKey)), .notYetValid),
            ("wrong audience", craft(header: ["alg": "ES256", "kid": key.kid], claims: claims(["aud": ["other-api"]]), sign: es256(key.privateKey)), .audience),
            ("wrong issuer", craft(header: ["alg": "ES256", "kid": key.kid], claims: claims(["iss": "https://evil.test"]), sign: es256(key.privateKey)), .issuer),
            ("subject of the wrong kind", craft(header: ["alg": "ES256", "kid": key.kid],
                claims: claims(["sub": RegionalID.generate(kind: .job, regionCode: "kr1", millisecondsSince1970: 1).description]), sign: es256(key.privateKey)), .claims),
            ("person without role", craft(header: ["alg": "ES256", "kid": key.kid], claims: claims(["role": "admin"]), sign: es256(key.privateKey)), .claims),
            ("not a JWT", "hello", .malformed),
            ("a crit extension nobody understands", craft(header: ["alg": "ES256", "kid": key.kid, "crit": ["exp"], "exp": 1],
                claims: claims(), sign: es256(key.privateKey)), .malformed),
            ("the high-S twin of a valid signature", craft(header: ["alg": "ES256", "kid": key.kid], claims: claims()) { data in
                Data(Self.highS(Array(ES256Signature.lowS(Array((try! key.privateKey.signature(for: data)).rawRepresentation)))))
            }, .signature),
        ]
        let valid = try await issuer.mint(for: worker)
        let truncated = String(valid.dropLast(10))
        for (name, token, expected) in attacks + [("truncated signature", truncated, .malformed)] {
            do {
                _ = try await verifier.verify(token)
                Issue.record("\(name) was accepted")
            } catch {
                #expect(error == expected, "\(name)")
            }
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// (r, n − s) verifies as well as (r, s); flips a low-S signature to its high-S twin.
    static func highS(_ signature: [UInt8]) -> [UInt8] {
        var s = Array(signature[32...])
        var borrow = 0
        for index in stride(from: 31, through: 0, by: -1) {
            let difference = Int(ES256Signature.order[index]) - Int(s[index]) - borrow
            s[index] = UInt8((difference + 256) % 256)
            borrow = difference < 0 ? 1 : 0
        }
        return Array(signature[..<32]) + s
    }

    @Test func issuedTokensAreLowSAndTheTwinIsAGenuineSignature() async throws {
        let key = try ring.signingKey()
        for _ in 0..<16 {
            let token = try await issuer.mint(for: worker)
            let parts = token.split(separator: ".")
            let signature = Array(try #require(Base64URL.decode(String(parts[2]))))
            #expect(!ES256Signature.isHighS(signature))
            _ = try await verifier.verify(token)
            // The twin verifies with the raw key (so refusing it is a rule, not a bad signature).
            let twin = try P256.Signing.ECDSASignature(rawRepresentation: Self.highS(signature))
            #expect(key.privateKey.publicKey.isValidSignature(twin, for: Data("\(parts[0]).\(parts[1])".utf8)))
            #expect(ES256Signature.isHighS(Self.highS(signature)))
        }
        try? FileManager.default.removeItem(at: directory)
    }

    @Test func rotationKeepsOldTokensValidUntilTheirKeyRetires() async throws {
        let old = try await issuer.mint(for: worker)
        let oldKid = try ring.signingKey().kid
        let newKid = try ring.rotate()
        #expect(newKid != oldKid)
        let fresh = try await issuer.mint(for: worker)
        let freshPrincipal = try await verifier.verify(fresh).principal
        #expect(freshPrincipal == worker)
        let oldPrincipal = try await verifier.verify(old).principal
        #expect(oldPrincipal == worker, "the old key still verifies")
        #expect(ring.jwks()["keys"]?.count == 2)
        let later = Date().addingTimeInterval(ring.verificationGrace + 1)
        #expect(ring.jwks(now: later)["keys"]?.map { $0["kid"] } == [newKid], "the old key leaves the JWKS after the grace")

        let reopened = try SigningKeyRing(directory: directory)
        #expect(try reopened.signingKey().kid == newKid, "the ring survives a restart")
        try? FileManager.default.removeItem(at: directory)
    }
}

@Suite("Sign-in back-off")
struct SignInThrottleTests {
    final class Clock: Sendable {
        let now = Mutex(Date(timeIntervalSince1970: 1_000_000))
    }

    @Test func wrongPasswordsBackOffPerAccountAndASuccessClearsThem() {
        let clock = Clock()
        let throttle = SignInThrottle(freeFailures: 3, maximumDelaySeconds: 8, now: { clock.now.withLock { $0 } })
        #expect((0..<3).map { _ in throttle.failed(region: "kr-seoul", email: "a@example.kr") } == [0, 0, 0])
        #expect(throttle.delay(region: "kr-seoul", email: "A@example.kr") == nil)
        #expect(throttle.failed(region: "kr-seoul", email: "a@example.kr") == 1)
        #expect(throttle.delay(region: "kr-seoul", email: "a@example.kr") == 1, "email case does not matter")
        #expect(throttle.delay(region: "kr-seoul", email: "b@example.kr") == nil, "per account")
        #expect(throttle.delay(region: "jp-tokyo", email: "a@example.kr") == nil, "per region's account")
        #expect([2, 4, 8, 8].map { _ in throttle.failed(region: "kr-seoul", email: "a@example.kr") } == [2, 4, 8, 8], "doubling, capped")
        clock.now.withLock { $0 += 9 }
        #expect(throttle.delay(region: "kr-seoul", email: "a@example.kr") == nil)
        throttle.succeeded(region: "kr-seoul", email: "a@example.kr")
        #expect(throttle.failed(region: "kr-seoul", email: "a@example.kr") == 0, "a success starts over")
    }
}
