public import AsyncHTTPClient
public import MutualTLS
internal import NIOSSL
internal import Foundation
internal import NIOCore
internal import Hummingbird
internal import HummingbirdCore
internal import HummingbirdTLS

/// How the roles of a distributed platform reach each other: TLS 1.3 with a certificate on both ends
/// (the default), or plain HTTP when an operator asks for it explicitly (`--insecure-internal`).
public enum InternalTransport: Sendable {
    /// mTLS with the certificates of `iworkz certs init` (or the operator's CA in the same layout).
    case mutualTLS(CertificateFiles)
    /// No TLS and no caller authentication: for a debugging session on one machine, never production.
    case insecure

    /// The scheme of internal base URLs.
    public var scheme: String {
        switch self {
        case .mutualTLS: "https"
        case .insecure: "http"
        }
    }

    /// An HTTP client presenting `identity`'s certificate (plain with `.insecure`).
    public func client(as identity: ServiceIdentity, connectTimeout: Duration = .seconds(2)) throws(PlatformError) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .init(connectTimeout)
        // Pooled keep-alive connections: the handshake is paid once per connection, not per call.
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 16)
        // A redirect is the caller's to follow: the gateway following the sign-in's 303 would fetch
        // the client's redirect URI itself, authorization code and all.
        configuration.redirectConfiguration = .disallow
        // The callers make their own client spans (with the region they call) and inject their context.
        configuration.tracing.tracer = nil
        if case .mutualTLS(let files) = self {
            do {
                configuration.tlsConfiguration = try MutualTLS.client(identity, files: files)
            } catch {
                throw PlatformError("cannot read \(identity)'s certificate in \(files.directory.path) (run `iworkz certs init`): \(error)")
            }
        }
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// The HTTP/1.1 server of an internal listener: over mTLS, refusing at the handshake a client
    /// without a certificate of the platform's CA or one whose role may not call `identity`.
    func server(_ identity: ServiceIdentity, onRefusal: @escaping @Sendable (ServiceIdentity?) -> Void) throws(PlatformError) -> HTTPServerBuilder {
        switch self {
        case .insecure:
            return .http1()
        case .mutualTLS(let files):
            do {
                let tls = try MutualTLS.server(identity, files: files)
                return try .tls(.http1(configuration: .init(additionalChannelHandlers: [PeerIdentityGate(callee: identity, onRefusal: onRefusal)])),
                                tlsConfiguration: tls)
            } catch {
                throw PlatformError("cannot read \(identity)'s certificate in \(files.directory.path) (run `iworkz certs init`): \(error)")
            }
        }
    }
}

extension InternalTransport {
    /// Whether a listener knows its callers by their certificates.
    var authenticatesCallers: Bool {
        if case .mutualTLS = self { return true }
        return false
    }
}
