import ArgumentParser
import Foundation
import Logging
import Platform
import Sovereignty
import UserService

/// `iworkz employers verify ID`.
struct EmployersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "employers",
        abstract: "Operate on employers' accounts.",
        subcommands: [VerifyCommand.self]
    )

    struct VerifyCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Record that an employer's company was checked, so it may list candidates.",
            discussion: """
                Check the employer's corporate number (shown in its record) against the company register first \
                (Japan: the National Tax Agency's corporate number site; Korea: the National Tax Service). \
                Run it against a stopped server's data folder, or use POST /api/v1/employers/{id}/verification \
                with an operator token on a running one.
                """
        )

        @Argument(help: ArgumentHelp("The employer's user id, e.g. usr_jp1_….", valueName: "id"))
        var id: String

        @Option(name: .customLong("data-dir"), help: ArgumentHelp("Data folder (env IWORKZ_DATA_DIR).", valueName: "path"))
        var dataDirectory: String?

        @OptionGroup var config: ConfigOptions

        func run() async throws {
            try await Self.reportingFailures {
                let employer: RegionalID
                do throws(SovereigntyError) { employer = try RegionalID.parse(id, kind: .user) } catch {
                    throw Failure("\(id.prefix(80)) is not a user id: \(error.message)")
                }
                let loaded = try ConfigLoading.load(config)
                guard let region = loaded.catalog.regions.first(where: { $0.idCode == employer.regionCode }) else {
                    throw Failure("no region has the code \(employer.regionCode) of \(employer)")
                }
                let path = dataDirectory ?? Settings().string("dataDir") ?? "./iworkz-data"
                guard FileManager.default.fileExists(atPath: path) else { throw Failure("no data folder at \(path)") }
                let platform: Platform
                do {
                    platform = try await Platform.start(config: loaded, dataDirectory: path, openAPI: "", logger: Logger(label: "iworkz") { _ in SwiftLogNoOpLogHandler() })
                } catch let error as PlatformError {
                    throw Failure(error.message)
                }
                let verified = try await platform.cell(region.id)?.users.verifyEmployer(employer, at: Date())
                await platform.close()
                guard let verified else { throw Failure("no employer \(employer) in \(region.id)") }
                print("verified \(verified.id) (\(verified.companyName ?? "no company name"), corporate number \(verified.corporateNumber ?? "none")) at \(verified.verifiedAt ?? "")")
            }
        }
    }
}
