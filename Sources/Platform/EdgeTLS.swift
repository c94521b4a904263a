public import NIOSSL
internal import Foundation
public import Hummingbird
public import HTTPTypes

/// The edge listener's TLS: a certificate chain and key from PEM files (`--tls-cert`, `--tls-key`),
/// TLS 1.3 only (CloudFlare and every current client speak it).
public struct EdgeTLS: Sendable {
    let configuration: TLSConfiguration

    public init(certificatePath: String, keyPath: String) throws(PlatformError) {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw PlatformError("cannot read the TLS certificate \(certificatePath): \(error)")
        }
        guard !chain.isEmpty else { throw PlatformError("the TLS certificate file \(certificatePath) holds no certificate") }
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw PlatformError("cannot read the TLS key \(keyPath): \(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv13
        self.configuration = configuration
    }
}

/// Adds `Strict-Transport-Security` to every response of an HTTPS listener: two years, subdomains too.
public struct StrictTransportSecurity<Base: HTTPResponder>: HTTPResponder {
    public typealias Context = Base.Context
    let base: Base

    static var value: String { "max-age=63072000; includeSubDomains" }

    public func respond(to request: Request, context: Context) async throws -> Response {
        var response = try await base.respond(to: request, context: context)
        response.headers[.strictTransportSecurity] = Self.value
        return response
    }
}
