import AsyncHTTPClient
import Foundation
import Hummingbird
import Identity
import Logging
import ServerKit
import ServiceLifecycle
import Sovereignty
import Synchronization
import Testing
import TokenVerification

/// Tokens signed by any region's authorization server verify against the union of the regions'
/// published keys; a region that stops answering keeps the keys it published last.
@Suite("Remote key set")
struct RemoteKeySetTests {
    static let issuerURL = "https://iworkz.test"

    /// Serves a ring's JWKS on a free port while `body` runs; `stop` ends the server early.
    static func withJWKS(_ ring: SigningKeyRing, _ body: @Sendable (Int, @Sendable () async -> Void) async throws -> Void) async throws {
        let router = Router()
        router.get("/.well-known/jwks.json") { _, _ in try Response.json(ring.jwks()) }
        let port = Mutex(0)
        let server = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                 onServerRunning: { channel in port.withLock { $0 = channel.localAddress!.port! } },
                                 logger: Logger(label: "jwks") { _ in SwiftLogNoOpLogHandler() })
        let group = ServiceGroup(services: [server], logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while port.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(20)) }
            try await body(port.withLock { $0 }) { await group.triggerGracefulShutdown() }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func tokensOfEveryRegionVerifyAndADownRegionKeepsItsKeys() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("iworkz-jwks-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let japan = try SigningKeyRing(directory: folder.appendingPathComponent("jp"))
        let korea = try SigningKeyRing(directory: folder.appendingPathComponent("kr"))
        let worker = Principal(userID: RegionalID.generate(kind: .user, regionCode: "kr1", millisecondsSince1970: 1), role: .worker,
                               homeRegion: "kr-seoul")
        let employer = Principal(userID: RegionalID.generate(kind: .user, regionCode: "jp1", millisecondsSince1970: 1), role: .employer,
                                 homeRegion: "jp-tokyo")
        let koreanToken = try await AccessTokenIssuer(ring: korea, issuer: Self.issuerURL).mint(for: worker)
        let japaneseToken = try await AccessTokenIssuer(ring: japan, issuer: Self.issuerURL).mint(for: employer)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await Self.withJWKS(japan) { japanPort, _ in
                try await Self.withJWKS(korea) { koreaPort, stopKorea in
                    let keys = RemoteKeySet(sources: ["http://127.0.0.1:\(japanPort)/.well-known/jwks.json",
                                                      "http://127.0.0.1:\(koreaPort)/.well-known/jwks.json"], client: client)
                    let verifier = AccessTokenVerifier(issuer: Self.issuerURL) { await keys.keys() }
                    #expect(try await verifier.verify(koreanToken).principal == worker)
                    #expect(try await verifier.verify(japaneseToken).principal == employer)

                    await stopKorea()
                    try await Task.sleep(for: .milliseconds(1100))
                    await keys.refresh()
                    let fresh = AccessTokenVerifier(issuer: Self.issuerURL) { await keys.keys() }
                    #expect(try await fresh.verify(koreanToken).principal == worker, "kr-seoul's last published keys are kept")

                    let stranger = try SigningKeyRing(directory: folder.appendingPathComponent("other"))
                    let unknown = try await AccessTokenIssuer(ring: stranger, issuer: Self.issuerURL).mint(for: worker)
                    await #expect(throws: AccessTokenVerifier.Failure.unknownKey) { try await fresh.verify(unknown) }
                }
            }
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
