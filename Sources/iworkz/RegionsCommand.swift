import Foundation
import ArgumentParser
import Platform
import Sovereignty

/// `iworkz regions`: the sovereignty table.
struct RegionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regions",
        abstract: "Print the regional cells with jurisdiction, compliance regimes, residency rule and backups."
    )

    @OptionGroup var config: ConfigOptions

    func run() async throws {
        try await Self.reportingFailures {
            let loaded = try ConfigLoading.load(config)
            print(RegionTable.render(loaded))
        }
    }
}

/// Loads configuration for a command, turning problems into ``Failure``.
enum ConfigLoading {
    static func load(_ options: ConfigOptions) throws -> LoadedConfiguration {
        try load(explicit: options.configDirectory ?? Settings().string("configDir"))
    }

    /// The configuration folder named (or found: `./config`, then the copy in the executable).
    static func load(explicit path: String?) throws -> LoadedConfiguration {
        do {
            let directory = try ConfigDirectory.locate(explicit: path)
            return try LoadedConfiguration.load(from: directory)
        } catch {
            throw Failure(error.message)
        }
    }
}

/// The plain-text sovereignty table.
enum RegionTable {
    static func render(_ config: LoadedConfiguration) -> String {
        let header = ["REGION", "CODE", "ROLE", "JURISDICTION", "COMPLIANCE", "RESIDENCY", "BACKUPS"]
        var rows = [header]
        for region in config.catalog.regions {
            let role = region.role == .standby ? "standby for \(region.standbyFor?.rawValue ?? "?")" : "primary"
            let law = config.policy.jurisdictions.first { $0.code == region.jurisdiction }?.law ?? "?"
            rows.append([
                region.id.rawValue, region.idCode, role, "\(region.jurisdiction) (\(law))",
                region.compliance.joined(separator: ", "), region.residency.statement,
                region.backups.map(\.target.rawValue).joined(separator: ", "),
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        let lines = rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return (lines + ["", "default region: \(config.catalog.defaultRegion)  ·  transfer rules version \(config.policy.version)"])
            .joined(separator: "\n")
    }
}
