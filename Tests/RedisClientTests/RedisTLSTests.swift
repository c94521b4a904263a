import Foundation
import RedisClient
import Testing

/// Runs against the TLS-only redis-server that scripts/test.sh starts, which admits one ACL user
/// (`iworkz`, keys and channels under `iworkz:` only) with a CA made for the run.
enum TestRedisTLS {
    static let url = ProcessInfo.processInfo.environment["IWORKZ_TEST_REDIS_TLS_URL"]
    static var isAvailable: Bool { url != nil }
}

@Suite("Redis over TLS with an ACL user",
       .enabled(if: TestRedisTLS.isAvailable, "IWORKZ_TEST_REDIS_TLS_URL is not set: scripts/test.sh starts a TLS redis-server"))
struct RedisTLSTests {
    @Test func talksTLSAsTheACLUser() async throws {
        let client = RedisClient(configuration: try RedisConfiguration(url: TestRedisTLS.url!))
        defer { Task { await client.close() } }
        #expect(try await client.ping())
        #expect(try await client.send(["ACL", "WHOAMI"]).string == "iworkz")
        let key = "iworkz:tls:\(UUID().uuidString)"
        try await client.set(key, "秘密")
        #expect(try await client.get(key).map { String(buffer: $0) } == "秘密")
        let refused = await #expect(throws: RedisError.self) { try await client.set("other:\(UUID().uuidString)", "x") }
        #expect(refused.map { "\($0)" }?.contains("NOPERM") == true, "the ACL confines the user to iworkz:* keys")
        _ = try await client.delete([key])
    }

    @Test func refusesAWrongPassword() async throws {
        let wrong = TestRedisTLS.url!.replacingOccurrences(of: #"iworkz:[0-9a-f]+@"#, with: "iworkz:not-the-password@", options: .regularExpression)
        #expect(wrong != TestRedisTLS.url)
        let client = RedisClient(configuration: try RedisConfiguration(url: wrong))
        defer { Task { await client.close() } }
        let error = await #expect(throws: RedisError.self) { try await client.ping() }
        #expect(error.map { "\($0)" }?.contains("WRONGPASS") == true)
    }

    /// Without the run's CA the server's certificate is not trusted: the handshake fails at connect,
    /// with a reason, and nothing (not the password) is sent in the clear.
    @Test func refusesAServerItCannotVerify() async throws {
        var configuration = try RedisConfiguration(url: TestRedisTLS.url!)
        configuration.tls = RedisTLS()
        // A loaded machine may take seconds over a handshake: the default 2 s would report a timeout.
        configuration.connectTimeout = .seconds(15)
        configuration.commandTimeout = .seconds(15)
        let client = RedisClient(configuration: configuration)
        defer { Task { await client.close() } }
        let error = await #expect(throws: RedisError.self) { try await client.ping() }
        guard case .unreachable(let reason)? = error else {
            Issue.record("expected unreachable, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("127.0.0.1"))

        var plain = try RedisConfiguration(url: TestRedisTLS.url!)
        plain.tls = nil
        plain.connectTimeout = .seconds(1)
        plain.commandTimeout = .seconds(1)
        let plainClient = RedisClient(configuration: plain)
        defer { Task { await plainClient.close() } }
        await #expect(throws: RedisError.self, "plain TCP to a TLS port is not answered as Redis") { try await plainClient.ping() }
    }
}
