import ArgumentParser
import Foundation
import Identity
import Platform

/// `iworkz keys rotate --jwt`.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage the platform's keys.",
        subcommands: [RotateCommand.self]
    )

    struct RotateCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate",
            abstract: "Rotate a key: the new key signs at once, the old one verifies until its tokens expire.",
            discussion: """
                With --jwt, adds a new ES256 access-token signing key to <data-dir>/keys/jwt. A running \
                server picks it up within a second; the previous key stays in the JWKS for the access-token \
                lifetime plus leeway (20 minutes), then leaves it.
                """
        )

        @Flag(help: "Rotate the access-token signing key.")
        var jwt = false

        @Option(name: .customLong("data-dir"), help: ArgumentHelp("Data folder (env IWORKZ_DATA_DIR).", valueName: "path"))
        var dataDirectory: String?

        func validate() throws {
            guard jwt else { throw ValidationError("say which key to rotate: --jwt") }
        }

        func run() async throws {
            try await Self.reportingFailures {
                let folder: DataFolder
                do throws(PlatformError) { folder = try DataFolder(path: dataDirectory ?? Settings().string("dataDir") ?? "./iworkz-data") } catch {
                    throw Failure(error.message)
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
    }
}
