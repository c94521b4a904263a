import AsyncHTTPClient
import Foundation
import Logging
import MutualTLS
import NIOCore
import NIOSSL
import Platform
import ServiceLifecycle
import Synchronization
import Testing
import TestSupport

/// The edge listener over HTTPS: TLS 1.3 with the configured certificate, HSTS on every response.
@Suite("Edge TLS")
struct EdgeTLSTests {
    @Test func servesHTTPSWithStrictTransportSecurityAndRefusesPlainHTTP() async throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = CertificateFiles(dataDirectory: folder)
        let identity = ServiceIdentity(region: "jp-tokyo", role: .gateway)
        try DevelopmentCertificateAuthority.loadOrCreate(at: files).issue(identity, into: files)
        let paths = files.paths(for: identity)
        let tls = try EdgeTLS(certificatePath: paths.certificate.path, keyPath: paths.key.path)

        let platform = try await PlatformHarness.start(dataDirectory: folder)
        let port = Mutex(0)
        let application = try platform.secureApplication(host: "127.0.0.1", port: 0, tls: tls) { bound in port.withLock { $0 = bound } }
        let group = ServiceGroup(services: [application], logger: Logger(label: "test"))
        var clientTLS = TLSConfiguration.makeClientConfiguration()
        clientTLS.trustRoots = .file(files.caCertificate.path)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: clientTLS))
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                while port.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(20)) }
                let bound = port.withLock { $0 }
                let response = try await client.execute(HTTPClientRequest(url: "https://localhost:\(bound)/api/v1/jobs"), timeout: .seconds(10))
                #expect(response.status == .ok)
                #expect(response.headers.first(name: "Strict-Transport-Security") == "max-age=63072000; includeSubDomains")
                await #expect(throws: (any Error).self, "plain HTTP to the HTTPS port gets no answer") {
                    let plain = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(bound)/api/v1/jobs"), timeout: .seconds(2))
                    _ = try await plain.body.collect(upTo: 1 << 20)
                }
                var old = TLSConfiguration.makeClientConfiguration()
                old.trustRoots = .file(files.caCertificate.path)
                old.maximumTLSVersion = .tlsv12
                let legacy = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: old))
                await #expect(throws: (any Error).self, "TLS 1.2 is refused") {
                    _ = try await legacy.execute(HTTPClientRequest(url: "https://localhost:\(bound)/api/v1/jobs"), timeout: .seconds(2))
                }
                try await legacy.shutdown()
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        } catch {
            try? await client.shutdown()
            await platform.close()
            throw error
        }
        try await client.shutdown()
        await platform.close()
    }

    @Test func aMissingOrBrokenCertificateIsOneClearMessage() throws {
        let missing = #expect(throws: PlatformError.self) { try EdgeTLS(certificatePath: "/nonexistent/cert.pem", keyPath: "/nonexistent/key.pem") }
        #expect(missing?.message.hasPrefix("cannot read the TLS certificate /nonexistent/cert.pem") == true, "\(missing?.message ?? "")")
    }
}
