import Foundation
import MutualTLS
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import Testing

/// Real TLS handshakes on loopback: a listener configured by ``MutualTLS`` answers with the identity it
/// read from the client's certificate, or refuses the client during the handshake.
@Suite("Mutual TLS")
struct MutualTLSTests {
    static let group = MultiThreadedEventLoopGroup.singleton

    /// A data folder with a CA and certificates for the given identities.
    static func folder(_ identities: [ServiceIdentity]) throws -> CertificateFiles {
        let files = CertificateFiles(dataDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("iworkz-tls-\(UUID().uuidString)"))
        let authority = try DevelopmentCertificateAuthority.loadOrCreate(at: files)
        for identity in identities { try authority.issue(identity, into: files) }
        return files
    }

    /// Writes the peer's identity (or `none`) to each connection once its handshake is done, then closes it.
    final class IdentityAnswer: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case .handshakeCompleted = event as? TLSUserEvent {
                let handler = try? context.pipeline.syncOperations.handler(type: NIOSSLHandler.self)
                let identity = handler?.peerCertificate.flatMap(MutualTLS.peerIdentity(of:))
                context.writeAndFlush(NIOAny(ByteBuffer(string: identity?.description ?? "none"))).whenComplete { _ in
                    context.close(promise: nil)
                }
            }
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Starts a listener as `identity`; returns its channel.
    static func listen(_ identity: ServiceIdentity, files: CertificateFiles) async throws -> any Channel {
        let context = try NIOSSLContext(configuration: MutualTLS.server(identity, files: files))
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try channel.pipeline.syncOperations.addHandler(IdentityAnswer())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    /// Collects what the server sends until it closes.
    final class Collector: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        var text = ""
        let done: EventLoopPromise<String>

        init(done: EventLoopPromise<String>) { self.done = done }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            text += String(buffer: unwrapInboundIn(data))
        }

        func channelInactive(context: ChannelHandlerContext) { done.succeed(text) }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            done.fail(error)
            context.close(promise: nil)
        }
    }

    /// Connects with `configuration` and returns what the server said, or throws when the handshake fails.
    static func call(_ port: Int, _ configuration: TLSConfiguration) async throws -> String {
        let context = try NIOSSLContext(configuration: configuration)
        let promise = group.next().makePromise(of: String.self)
        _ = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: nil))
                    try channel.pipeline.syncOperations.addHandler(Collector(done: promise))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let answer = try await promise.futureResult.get()
        guard !answer.isEmpty else { throw ChannelError.eof }
        return answer
    }

    let tokyoAPI = ServiceIdentity(region: "jp-tokyo", role: .backendAPI)
    let gateway = ServiceIdentity(region: "jp-tokyo", role: .gateway)

    @Test func aClientWithThePlatformsCertificateIsKnownByItsIdentity() async throws {
        let files = try Self.folder([tokyoAPI, gateway])
        defer { try? FileManager.default.removeItem(at: files.directory.deletingLastPathComponent()) }
        let server = try await Self.listen(tokyoAPI, files: files)
        defer { server.close(promise: nil) }
        let answer = try await Self.call(server.localAddress!.port!, MutualTLS.client(gateway, files: files))
        #expect(answer == "jp-tokyo/gateway")
    }

    @Test func aClientWithoutACertificateIsRefused() async throws {
        let files = try Self.folder([tokyoAPI])
        defer { try? FileManager.default.removeItem(at: files.directory.deletingLastPathComponent()) }
        let server = try await Self.listen(tokyoAPI, files: files)
        defer { server.close(promise: nil) }
        var anonymous = TLSConfiguration.makeClientConfiguration()
        anonymous.trustRoots = .file(files.caCertificate.path)
        anonymous.certificateVerification = .noHostnameVerification
        await #expect(throws: (any Error).self) { try await Self.call(server.localAddress!.port!, anonymous) }
    }

    @Test func aClientFromAnotherAuthorityIsRefused() async throws {
        let files = try Self.folder([tokyoAPI])
        let stranger = try Self.folder([gateway])
        defer {
            try? FileManager.default.removeItem(at: files.directory.deletingLastPathComponent())
            try? FileManager.default.removeItem(at: stranger.directory.deletingLastPathComponent())
        }
        let server = try await Self.listen(tokyoAPI, files: files)
        defer { server.close(promise: nil) }
        // Its own CA, trusting ours: the server still refuses a chain it cannot verify.
        var configuration = try MutualTLS.client(gateway, files: stranger)
        configuration.trustRoots = .file(files.caCertificate.path)
        await #expect(throws: (any Error).self) { try await Self.call(server.localAddress!.port!, configuration) }
    }

    @Test func aServerFromAnotherAuthorityIsRefusedByTheClient() async throws {
        let files = try Self.folder([tokyoAPI, gateway])
        let impostor = try Self.folder([tokyoAPI])
        defer {
            try? FileManager.default.removeItem(at: files.directory.deletingLastPathComponent())
            try? FileManager.default.removeItem(at: impostor.directory.deletingLastPathComponent())
        }
        var serverConfiguration = try MutualTLS.server(tokyoAPI, files: impostor)
        serverConfiguration.trustRoots = .file(files.caCertificate.path)
        let context = try NIOSSLContext(configuration: serverConfiguration)
        let server = try await ServerBootstrap(group: Self.group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try channel.pipeline.syncOperations.addHandler(IdentityAnswer())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        await #expect(throws: (any Error).self) { try await Self.call(server.localAddress!.port!, MutualTLS.client(gateway, files: files)) }
    }

    @Test func tlsBelowVersionOnePointThreeIsRefused() async throws {
        let files = try Self.folder([tokyoAPI, gateway])
        defer { try? FileManager.default.removeItem(at: files.directory.deletingLastPathComponent()) }
        let server = try await Self.listen(tokyoAPI, files: files)
        defer { server.close(promise: nil) }
        var old = try MutualTLS.client(gateway, files: files)
        old.minimumTLSVersion = .tlsv12
        old.maximumTLSVersion = .tlsv12
        await #expect(throws: (any Error).self) { try await Self.call(server.localAddress!.port!, old) }
    }

    @Test func keysAreReadableByTheirOwnerOnlyAndIssuingTwiceKeepsTheFirst() throws {
        let files = try Self.folder([tokyoAPI])
        defer { try? FileManager.default.removeItem(at: files.directory.deletingLastPathComponent()) }
        let key = files.paths(for: tokyoAPI).key.path
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? NSNumber)
        #expect(mode.intValue & 0o077 == 0, "key mode \(String(mode.intValue, radix: 8))")
        let before = try Data(contentsOf: files.paths(for: tokyoAPI).certificate)
        let authority = try DevelopmentCertificateAuthority.loadOrCreate(at: files)
        #expect(try authority.issue(tokyoAPI, into: files) == false)
        #expect(try Data(contentsOf: files.paths(for: tokyoAPI).certificate) == before)
    }

    @Test(arguments: [
        ("spiffe://iworkz/jp-tokyo/backend-api", "jp-tokyo/backend-api"),
        ("spiffe://iworkz/kr-seoul/ai-agent", "kr-seoul/ai-agent"),
        ("spiffe://iworkz/jp-tokyo/root", nil),
        ("spiffe://iworkz/JP/backend-api", nil),
        ("spiffe://iworkz/jp-tokyo/backend-api/extra", nil),
        ("spiffe://other/jp-tokyo/backend-api", nil),
        ("https://iworkz/jp-tokyo/backend-api", nil),
    ] as [(String, String?)])
    func parsesOnlyThePlatformsIdentityNames(uri: String, expected: String?) {
        #expect(ServiceIdentity(uri: uri)?.description == expected)
    }

    @Test func peersAreAuthorisedByRoleAndRegion() {
        let policy = PeerPolicy()
        let tokyo = { ServiceIdentity(region: "jp-tokyo", role: $0) }
        let seoul = { ServiceIdentity(region: "kr-seoul", role: $0) }
        #expect(policy.allows(caller: tokyo(.gateway), callee: seoul(.backendAPI)))
        #expect(policy.allows(caller: seoul(.backendAPI), callee: tokyo(.backendAPI)), "application delivery")
        #expect(policy.allows(caller: tokyo(.matchingEngine), callee: tokyo(.backendAPI)), "catalog feed and profiles")
        #expect(policy.allows(caller: tokyo(.matchingEngine), callee: seoul(.backendAPI)), "signing keys (routes check the rest)")
        #expect(!policy.allows(caller: tokyo(.backendAPI), callee: tokyo(.aiAgent)), "backend-api never calls the agent")
        #expect(!policy.allows(caller: tokyo(.backendAPI), callee: tokyo(.backendAPI)), "a region does not call itself")
        #expect(policy.allows(caller: seoul(.aiAgent), callee: tokyo(.backendAPI)), "signing keys only: the public API answers the gateway")
        #expect(!policy.allows(caller: seoul(.aiAgent), callee: seoul(.matchingEngine)))
        #expect(!policy.allows(caller: seoul(.backendAPI), callee: tokyo(.matchingEngine)))
        #expect(!policy.allows(caller: tokyo(.matchingEngine), callee: tokyo(.aiAgent)))
        #expect(!policy.allows(caller: tokyo(.backendAPI), callee: tokyo(.gateway)))
    }
}
