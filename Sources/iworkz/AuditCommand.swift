import ArgumentParser
import Foundation
import Logging
import Platform
import Sovereignty
import Storage
import Transfers

/// `iworkz audit verify`.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Inspect the cells' tamper-evident audit logs.",
        subcommands: [VerifyCommand.self]
    )

    struct VerifyCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Recompute every cell's audit hash chain; exit 1 if an entry was edited or removed.",
            discussion: """
                Each entry holds the SHA-256 of the previous entry's hash and its own content; the newest \
                sequence number and hash are also kept in <data-dir>/audit/<region>.head, so removing entries \
                from the end is detected as well.
                """
        )

        @Option(name: .customLong("data-dir"), help: ArgumentHelp("Data folder (env IWORKZ_DATA_DIR).", valueName: "path"))
        var dataDirectory: String?

        @Option(help: ArgumentHelp("Only this region's cell.", valueName: "region"))
        var region: String?

        @Option(name: .customLong("database-url"),
                help: ArgumentHelp("The cells' PostgreSQL databases, {region} in NAME for each region (env IWORKZ_DATABASE_URL); unset reads the SQLite files in the data folder.",
                                   valueName: "url"))
        var databaseURL: String?

        @OptionGroup var config: ConfigOptions

        func run() async throws {
            try await Self.reportingFailures {
                let loaded = try ConfigLoading.load(config)
                let settings = Settings()
                let path = dataDirectory ?? settings.string("dataDir") ?? "./iworkz-data"
                guard FileManager.default.fileExists(atPath: path) else { throw Failure("no data folder at \(path)") }
                let folder: DataFolder
                do throws(PlatformError) { folder = try DataFolder(path: path) } catch { throw Failure(error.message) }
                let regions = loaded.catalog.regions.filter { region == nil || $0.id.rawValue == region }
                guard !regions.isEmpty else { throw Failure("no region \(region ?? "") in regions.yaml") }
                var choice = DatabaseChoice.sqlite
                if let url = databaseURL ?? settings.string("databaseUrl") {
                    choice = .postgres(PostgresDeployment(primary: url, migrateAtStart: false))
                    do throws(PlatformError) { try choice.check(regions: regions.map(\.id)) } catch { throw Failure(error.message) }
                }
                var broken: [String] = []
                for region in regions {
                    if case .sqlite = choice, !FileManager.default.fileExists(atPath: folder.databasePath(for: region.id)) {
                        print("skip \(region.id): no database")
                        continue
                    }
                    let database: any RegionalDatabase
                    do {
                        database = try await choice.openExisting(region: region.id, folder: folder,
                                                                 logger: Logger(label: "audit") { _ in SwiftLogNoOpLogHandler() })
                    } catch {
                        throw Failure("cannot open the database of \(region.id): \(PostgresCellDatabase.describe(error))")
                    }
                    let log = AuditLog(database: database, headFile: folder.auditHeadPath(for: region.id))
                    let result: AuditLog.Verification
                    do { result = try await log.verify() } catch {
                        try? await database.close()
                        throw Failure("cannot read the audit log of \(region.id): \(error)")
                    }
                    try? await database.close()
                    if let problem = result.problem {
                        print("FAIL \(region.id): \(problem)")
                        broken.append("\(region.id): \(problem)")
                    } else {
                        print("ok   \(region.id): \(result.entries) entries, chain intact")
                    }
                }
                guard broken.isEmpty else { throw Failure("audit log tampered with in \(broken.count) cell(s): " + broken.joined(separator: "; ")) }
            }
        }
    }
}
