import Foundation
import Identity
import RedisClient
import ServerKit
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Sessions in a Redis that cannot be reached: a sign-in or refresh is a 503 to retry shortly, with
/// `Retry-After`, not an internal error.
struct RedisGrantStoreAvailabilityTests {
    @Test func aSessionStoreThatCannotBeReachedIsAStoreUnavailableProblem() async throws {
        let port = try ClosedLoopbackPort()
        defer { port.release() }
        let client = RedisClient(configuration: RedisConfiguration(host: "127.0.0.1", port: port.number, connectTimeout: .seconds(1),
                                                                   commandTimeout: .seconds(1)))
        let grants = RedisGrantStore(client: client, prefix: "test:grants:")
        let code = Grant.Code(clientID: "app", userID: "usr_1", redirectURI: "https://app.example/cb", challenge: "c", scope: "openid")
        let saving = await #expect(throws: Problem.self) {
            try await grants.saveCode("code-1", code, expiresAt: Date().addingTimeInterval(60))
        }
        #expect(saving?.status == .serviceUnavailable)
        #expect(saving?.slug == "store-unavailable")
        #expect(saving?.headers[.retryAfter] == "5")
        let refreshing = await #expect(throws: Problem.self) { _ = try await grants.redeemRefreshToken("refresh-1", now: Date()) }
        #expect(refreshing?.status == .serviceUnavailable)
        await client.close()
    }

    @Test func aClusterWithoutQuorumOrALoadingServerIsUnavailableAndAWrongCommandIsNot() {
        #expect(RedisError.server("CLUSTERDOWN The cluster is down").isUnavailability)
        #expect(RedisError.server("LOADING Redis is loading the dataset in memory").isUnavailability)
        #expect(RedisError.unreachable("127.0.0.1:1: connection refused").isUnavailability)
        #expect(!RedisError.server("ERR unknown command 'FOO'").isUnavailability)
        #expect(!RedisError.server("NOSCRIPT No matching script").isUnavailability)
        #expect(!RedisError.unexpectedReply("grant redemption returned nil").isUnavailability)
    }
}

/// A loopback port bound but not listening, held for the test: connecting to it is refused.
private struct ClosedLoopbackPort {
    let socket: Int32
    let number: Int

    init() throws {
        let descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        try #require(bound, "bind a loopback port")
        socket = descriptor
        number = Int(UInt16(bigEndian: address.sin_port))
    }

    func release() { _ = Glibc.close(socket) }
}
