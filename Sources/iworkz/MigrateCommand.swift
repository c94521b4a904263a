import ArgumentParser
import Foundation
import Logging
import Platform
import Sovereignty

/// `iworkz migrate`: brings each region's database to the schema this build needs.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the database migrations this build needs, region by region.",
        discussion: """
            With --database-url (or IWORKZ_DATABASE_URL), each region's PostgreSQL database; without, the \
            SQLite files in the data folder. Each migration is applied once, in order, in its own transaction, \
            even when several processes migrate at the same moment. Servers started with \
            --migrate-at-start false then refuse a database this command has not brought up to date.
            """
    )

    @Option(name: .customLong("database-url"),
            help: ArgumentHelp("postgres://USER@HOST:PORT/NAME?sslmode=…, {region} in NAME for each region (env IWORKZ_DATABASE_URL).",
                               valueName: "url"))
    var databaseURL: String?

    @Flag(name: .customLong("create-database"), help: "Create a region's database when the server lacks it.")
    var createDatabase = false

    @Option(help: ArgumentHelp("Only this region (default: every region of regions.yaml).", valueName: "region"))
    var region: String?

    @Option(name: .customLong("data-dir"), help: ArgumentHelp("Data folder, for the SQLite files (env IWORKZ_DATA_DIR).", valueName: "path"))
    var dataDirectory: String?

    @OptionGroup var config: ConfigOptions

    func run() async throws {
        try await Self.reportingFailures {
            let settings = Settings(flags: [:])
            let loaded = try ConfigLoading.load(config)
            let regions = loaded.catalog.regions.map(\.id).filter { region == nil || $0.rawValue == region }
            guard !regions.isEmpty else { throw Failure("no region \(region ?? "") in regions.yaml") }
            var choice = DatabaseChoice.sqlite
            if let url = databaseURL ?? settings.string("databaseUrl") {
                choice = .postgres(PostgresDeployment(primary: url, createDatabase: createDatabase, migrateAtStart: false))
                do throws(PlatformError) { try choice.check(regions: regions) } catch { throw Failure(error.message) }
            }
            let folder: DataFolder
            do throws(PlatformError) {
                folder = try DataFolder(path: dataDirectory ?? settings.string("dataDir") ?? "./iworkz-data")
            } catch {
                throw Failure(error.message)
            }
            let logger = Logger(label: "iworkz-migrate") { _ in SwiftLogNoOpLogHandler() }
            for region in regions {
                let applied: [String]
                do { applied = try await choice.migrate(region: region, folder: folder, logger: logger) } catch let error as PlatformError {
                    throw Failure(error.message)
                }
                print(applied.isEmpty ? "\(region): up to date" : "\(region): applied \(applied.count) (\(applied.joined(separator: ", ")))")
            }
        }
    }
}
