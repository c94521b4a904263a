import ArgumentParser
import Foundation
import Identity
import KeyManagement
import Logging
import Sovereignty
import Storage
import Platform

/// `iworkz keys rotate --jwt | --kek`.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage the platform's keys.",
        subcommands: [RotateCommand.self]
    )

    struct RotateCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate",
            abstract: "Rotate the access-token signing key or the cells' key-encryption keys.",
            discussion: """
                With --jwt, adds a new ES256 access-token signing key to <data-dir>/keys/jwt. A running \
                server picks it up within a second; the previous key stays in the JWKS for the access-token \
                lifetime plus leeway (20 minutes), then leaves it.

                With --kek, adds a new key-encryption key version to every cell (or --region's) and re-wraps \
                every person's data key with it; the data itself is not re-encrypted. Older versions stay in \
                <data-dir>/keys/cells/<region>/kek until removed by hand. A running server wraps new data keys \
                with the new version at once.
                """
        )

        @Flag(help: "Rotate the access-token signing key.")
        var jwt = false

        @Flag(help: "Rotate the cells' key-encryption keys and re-wrap every data key.")
        var kek = false

        @Option(help: ArgumentHelp("With --kek: only this region's cell.", valueName: "region"))
        var region: String?

        @OptionGroup var config: ConfigOptions

        @Option(name: .customLong("data-dir"), help: ArgumentHelp("Data folder (env IWORKZ_DATA_DIR).", valueName: "path"))
        var dataDirectory: String?

        func validate() throws {
            guard jwt != kek else { throw ValidationError("say which key to rotate: --jwt or --kek") }
        }

        func run() async throws {
            try await Self.reportingFailures {
                let folder: DataFolder
                do throws(PlatformError) { folder = try DataFolder(path: dataDirectory ?? Settings().string("dataDir") ?? "./iworkz-data") } catch {
                    throw Failure(error.message)
                }
                if kek {
                    try await rotateKeyEncryptionKeys(in: folder)
                    return
                }
                do {
                    let ring = try SigningKeyRing(directory: folder.signingKeyDirectory)
                    let kid = try ring.rotate()
                    print("new signing key \(kid); \(ring.verificationKeys().count) key(s) in the JWKS")
                } catch {
                    throw Failure("cannot rotate the signing key in \(folder.signingKeyDirectory.path): \(error.localizedDescription)")
                }
            }
        }

        private func rotateKeyEncryptionKeys(in folder: DataFolder) async throws {
            let loaded = try ConfigLoading.load(config)
            let regions = loaded.catalog.regions.filter { region == nil || $0.id.rawValue == region }
            guard !regions.isEmpty else { throw Failure("no region \(region ?? "") in regions.yaml") }
            for region in regions {
                let directory = folder.cellKeysDirectory(for: region.id)
                guard FileManager.default.fileExists(atPath: directory.path) else {
                    print("skip \(region.id): no keys yet")
                    continue
                }
                do {
                    let keys = try LocalKeyEncryptionKeys(directory: directory.appendingPathComponent("kek"))
                    let version = try keys.rotate()
                    let store = try await DataKeyVault.openStore(
                        path: directory.appendingPathComponent("data-keys.sqlite").path,
                        logger: Logger(label: "keys") { _ in SwiftLogNoOpLogHandler() })
                    let summary: DataKeyVault.RewrapSummary
                    do { summary = try await DataKeyVault(database: store, keys: keys).rewrap() } catch {
                        try? await store.close()
                        throw error
                    }
                    try? await store.close()
                    print("\(region.id): key-encryption key v\(version); \(summary.rewrapped) data key(s) re-wrapped")
                } catch {
                    throw Failure("cannot rotate the key-encryption key of \(region.id): \(error)")
                }
            }
        }
    }
}
