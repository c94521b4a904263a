public import Foundation
internal import Crypto
internal import SwiftASN1
internal import X509

/// A certificate authority for development and tests, kept in the data folder: it issues each role of
/// each region a certificate naming its ``ServiceIdentity``. Production brings its own CA (the files
/// have the same layout, see ``CertificateFiles``).
public struct DevelopmentCertificateAuthority: Sendable {
    let key: P256.Signing.PrivateKey
    let certificate: Certificate

    /// Loads the CA under `files`, or creates it when absent.
    public static func loadOrCreate(at files: CertificateFiles, now: Date = Date()) throws -> DevelopmentCertificateAuthority {
        if FileManager.default.fileExists(atPath: files.caCertificate.path) {
            let key = try P256.Signing.PrivateKey(pemRepresentation: String(contentsOf: files.caKey, encoding: .utf8))
            let certificate = try Certificate(pemEncoded: String(contentsOf: files.caCertificate, encoding: .utf8))
            return DevelopmentCertificateAuthority(key: key, certificate: certificate)
        }
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            OrganizationName("iWORKZ development")
            CommonName("iWORKZ development CA")
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(5 * 365 * 86_400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            },
            issuerPrivateKey: .init(key))
        try files.write(key.pemRepresentation, to: files.caKey, secret: true)
        try files.write(certificate.serializeAsPEM().pemString, to: files.caCertificate, secret: false)
        return DevelopmentCertificateAuthority(key: key, certificate: certificate)
    }

    /// Issues `identity` a key and a certificate for both ends of a connection, and writes them, unless
    /// they exist already. Returns whether it wrote new files.
    @discardableResult
    public func issue(_ identity: ServiceIdentity, into files: CertificateFiles, now: Date = Date()) throws -> Bool {
        let paths = files.paths(for: identity)
        if FileManager.default.fileExists(atPath: paths.certificate.path) { return false }
        let key = P256.Signing.PrivateKey()
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-300), notValidAfter: now.addingTimeInterval(365 * 86_400),
            issuer: self.certificate.subject,
            subject: try DistinguishedName {
                OrganizationName("iWORKZ development")
                CommonName(identity.description)
            },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                SubjectAlternativeNames([
                    .uniformResourceIdentifier(identity.uri), .dnsName(identity.dnsName), .dnsName("localhost"),
                    .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                ])
            },
            issuerPrivateKey: .init(self.key))
        try files.write(key.pemRepresentation, to: paths.key, secret: true)
        try files.write(certificate.serializeAsPEM().pemString, to: paths.certificate, secret: false)
        return true
    }
}
