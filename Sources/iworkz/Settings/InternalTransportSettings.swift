import Foundation
import MutualTLS
import Platform

/// How a role reaches the others. Keys:
/// - `certsDir`: the CA and the roles' certificates of `iworkz certs init` (default `<dataDir>/certs`);
/// - `insecureInternal`: `true` for plain HTTP without caller checks (never in production).
struct InternalTransportSettings {
    let transport: InternalTransport
    let insecure: Bool
    let files: CertificateFiles

    init(_ settings: Settings, dataDirectory: String) {
        insecure = settings.bool("insecureInternal") ?? false
        files = settings.string("certsDir").map { CertificateFiles(directory: URL(fileURLWithPath: $0)) }
            ?? CertificateFiles(dataDirectory: URL(fileURLWithPath: dataDirectory))
        transport = insecure ? .insecure : .mutualTLS(files)
    }

    /// Records a problem unless `identity`'s certificate, key and the CA are in place (or TLS is off).
    func check(_ identity: ServiceIdentity, settings: Settings) {
        guard !insecure else { return }
        let missing = [files.caCertificate, files.paths(for: identity).certificate, files.paths(for: identity).key]
            .filter { !FileManager.default.fileExists(atPath: $0.path) }
            .map { $0.path.hasPrefix(files.directory.path + "/") ? String($0.path.dropFirst(files.directory.path.count + 1)) : $0.path }
        if !missing.isEmpty {
            settings.add("no certificate for \(identity) in \(files.directory.path): \(missing.joined(separator: ", ")) missing (run `iworkz certs init`, or --insecure-internal)")
        }
    }
}
