public import NIOSSL
internal import X509
internal import Foundation
internal import SwiftASN1

/// TLS 1.3 with certificates on both ends, trusting only the platform's CA: the configuration of every
/// internal listener and client. A listener refuses a client without a certificate or with one from
/// another CA during the handshake; who the peer is comes from its certificate (``peerIdentity(of:)``).
public enum MutualTLS {
    /// The configuration of a role's internal listener.
    public static func server(_ identity: ServiceIdentity, files: CertificateFiles) throws -> TLSConfiguration {
        let paths = files.paths(for: identity)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(paths.certificate.path).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: paths.key.path, format: .pem)))
        configuration.minimumTLSVersion = .tlsv13
        configuration.trustRoots = .file(files.caCertificate.path)
        // The client's chain is verified against the CA; its name is checked by identity, not host name.
        configuration.certificateVerification = .noHostnameVerification
        return configuration
    }

    /// The configuration of a role calling another.
    public static func client(_ identity: ServiceIdentity, files: CertificateFiles) throws -> TLSConfiguration {
        let paths = files.paths(for: identity)
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv13
        configuration.trustRoots = .file(files.caCertificate.path)
        configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(paths.certificate.path).map { .certificate($0) }
        configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: paths.key.path, format: .pem))
        configuration.certificateVerification = .noHostnameVerification
        return configuration
    }

    /// The identity a verified peer certificate names; nil when it names none (or more than one).
    public static func peerIdentity(of certificate: NIOSSLCertificate) -> ServiceIdentity? {
        guard let der = try? certificate.toDERBytes(), let parsed = try? Certificate(derEncoded: der),
              let names = try? parsed.extensions.subjectAlternativeNames else { return nil }
        let identities = names.compactMap { name -> ServiceIdentity? in
            guard case .uniformResourceIdentifier(let uri) = name else { return nil }
            return ServiceIdentity(uri: uri)
        }
        return identities.count == 1 ? identities[0] : nil
    }
}
