import ArgumentParser
import Foundation
import MutualTLS
import Platform
import Sovereignty

/// `iworkz certs init`.
struct CertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certs",
        abstract: "Manage the certificates roles use to call each other (mTLS).",
        subcommands: [InitCommand.self]
    )

    struct InitCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create a development CA and a certificate for each role of each region.",
            discussion: """
                Writes <data-dir>/certs/ca.pem and its key ca-key.pem (created once, then reused), and for \
                every region of regions.yaml and every role (gateway, backend-api, matching-engine, ai-agent) \
                <data-dir>/certs/<region>/<role>.pem with its key <role>-key.pem, naming the identity in the \
                certificate as spiffe://iworkz/<region>/<role>. Keys are readable by their owner only. Existing \
                certificates are kept; delete one to issue it again. For development and tests: production \
                brings certificates from its own CA in the same layout.
                """
        )

        @OptionGroup var config: ConfigOptions

        @Option(name: .customLong("data-dir"), help: ArgumentHelp("Data folder (env IWORKZ_DATA_DIR).", valueName: "path"))
        var dataDirectory: String?

        func run() async throws {
            try await Self.reportingFailures {
                let loaded = try ConfigLoading.load(config)
                let folder: DataFolder
                do throws(PlatformError) { folder = try DataFolder(path: dataDirectory ?? Settings().string("dataDir") ?? "./iworkz-data") } catch {
                    throw Failure(error.message)
                }
                let files = CertificateFiles(dataDirectory: folder.root)
                do {
                    let authority = try DevelopmentCertificateAuthority.loadOrCreate(at: files)
                    var issued = 0, kept = 0
                    for region in loaded.catalog.regions {
                        for role in ServiceRole.allCases {
                            if try authority.issue(ServiceIdentity(region: region.id.rawValue, role: role), into: files) { issued += 1 } else { kept += 1 }
                        }
                    }
                    print("certificates in \(files.directory.path): \(issued) issued, \(kept) kept; CA \(files.caCertificate.lastPathComponent)")
                } catch {
                    throw Failure("cannot create certificates in \(files.directory.path): \(error)")
                }
            }
        }
    }
}
