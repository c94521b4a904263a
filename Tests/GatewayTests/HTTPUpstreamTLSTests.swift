import AsyncHTTPClient
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTLS
import Logging
import MutualTLS
import NIOCore
import NIOSSL
import ServerKit
import ServiceLifecycle
import Synchronization
import Testing

/// The gateway's HTTP upstream over mTLS to a role that admits callers by the identity in their
/// certificate: the gateway gets through; another region's agent, or a client without a certificate,
/// is refused during the connection and the region answers 503.
@Suite("HTTP upstream over mTLS")
struct HTTPUpstreamTLSTests {
    static let callee = ServiceIdentity(region: "jp-tokyo", role: .backendAPI)

    static func withSecureBackend(_ body: @Sendable (Int, CertificateFiles) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("iworkz-upstream-tls-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = CertificateFiles(dataDirectory: folder)
        let authority = try DevelopmentCertificateAuthority.loadOrCreate(at: files)
        for identity in [callee, ServiceIdentity(region: "jp-tokyo", role: .gateway)] {
            try authority.issue(identity, into: files)
        }
        let router = Router()
        router.get("/api/v1/things") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "hello"))) }
        let port = Mutex(0)
        let application = Application(
            router: router,
            server: try .tls(.http1(configuration: .init(additionalChannelHandlers: [PeerIdentityGate(callee: callee)])),
                             tlsConfiguration: MutualTLS.server(callee, files: files)),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.withLock { $0 = channel.localAddress!.port! } },
            logger: Logger(label: "backend") { _ in SwiftLogNoOpLogHandler() })
        let group = ServiceGroup(services: [application], logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while port.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(20)) }
            do {
                try await body(port.withLock { $0 }, files)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    static func call(_ port: Int, as configuration: TLSConfiguration) async throws -> Response {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: configuration))
        let upstream = HTTPUpstream(region: "jp-tokyo", endpoints: ["https://127.0.0.1:\(port)"], client: client, settings: HTTPUpstreamTests.fast)
        do {
            let response = try await upstream.forward(HTTPUpstreamTests.request(.get), context: HTTPUpstreamTests.context())
            try await client.shutdown()
            return response
        } catch {
            try await client.shutdown()
            throw error
        }
    }

    @Test func theGatewayGetsThroughAndOthersAreRefused() async throws {
        try await Self.withSecureBackend { port, files in
            let response = try await Self.call(port, as: MutualTLS.client(ServiceIdentity(region: "jp-tokyo", role: .gateway), files: files))
            #expect(response.status == .ok)

            let itself = try MutualTLS.client(Self.callee, files: files)
            let refused = await #expect(throws: Problem.self, "a backend-api does not call itself") { try await Self.call(port, as: itself) }
            #expect(refused?.members["region"] == "jp-tokyo")

            var anonymous = TLSConfiguration.makeClientConfiguration()
            anonymous.trustRoots = .file(files.caCertificate.path)
            anonymous.certificateVerification = .noHostnameVerification
            await #expect(throws: Problem.self, "no client certificate, no connection") { try await Self.call(port, as: anonymous) }
        }
    }
}
