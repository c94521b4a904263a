public import Foundation

/// Where certificates live in a data folder: `certs/ca.pem` (and the development CA's `certs/ca-key.pem`),
/// and per identity `certs/<region>/<role>.pem` with its key `certs/<region>/<role>-key.pem`. Keys are
/// written readable by their owner only.
public struct CertificateFiles: Sendable {
    public let directory: URL

    public init(dataDirectory: URL) {
        directory = dataDirectory.appendingPathComponent("certs")
    }

    /// Certificates in a folder of their own (`--certs-dir`), laid out as above.
    public init(directory: URL) {
        self.directory = directory
    }

    public var caCertificate: URL { directory.appendingPathComponent("ca.pem") }
    var caKey: URL { directory.appendingPathComponent("ca-key.pem") }

    public func paths(for identity: ServiceIdentity) -> (certificate: URL, key: URL) {
        let folder = directory.appendingPathComponent(identity.region)
        return (folder.appendingPathComponent("\(identity.role.rawValue).pem"), folder.appendingPathComponent("\(identity.role.rawValue)-key.pem"))
    }

    func write(_ text: String, to url: URL, secret: Bool) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        // Created with its final mode, so a key is never readable by others, not even for a moment.
        guard FileManager.default.createFile(atPath: url.path, contents: Data(text.utf8),
                                             attributes: [.posixPermissions: secret ? 0o600 : 0o644]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
    }
}
