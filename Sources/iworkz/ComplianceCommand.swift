import ArgumentParser
import Platform
import Sovereignty
import ServerKit
import Foundation

/// `iworkz compliance check`.
struct ComplianceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compliance",
        abstract: "Check the configuration against data-residency and transfer rules.",
        subcommands: [CheckCommand.self]
    )

    struct CheckCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Verify every backup region is lawful and no legal data is past its revision day; exit 1 otherwise.",
            discussion: """
                A backup is a copy of personal data, so its target must lie where the cell's \
                data_residency allows and the transfer must be permitted by transfer-rules.yaml \
                on the bases the backup lists (automatic bases such as adequacy need not be listed). \
                Each table of legal data (transfer rules, eligibility rules, job-ad rules, minimum \
                wages per country) names the day it is due for a new check against the law; from \
                that day it is listed as LATE and the check fails, until the table is revised. \
                `serve` checks the backups only: late data is shown in /ready, not a reason to stop.
                """
        )

        @OptionGroup var config: ConfigOptions
        @Option(name: .customLong("on"), help: "The day to judge the legal data's revision dates on (YYYY-MM-DD; today by default).")
        var day: String?

        @Option(name: .customLong("object-store"),
                help: ArgumentHelp("Also judge where each region's documents rest: s3://BUCKET as `serve` takes it (env IWORKZ_OBJECT_STORE).", valueName: "url"))
        var objectStore: String?

        @Option(name: .customLong("s3-endpoint"), help: ArgumentHelp("As for `serve` (env IWORKZ_S3_ENDPOINT).", valueName: "url"))
        var s3Endpoint: String?

        @Option(name: .customLong("s3-region"), help: ArgumentHelp("As for `serve` (env IWORKZ_S3_REGION or AWS_REGION).", valueName: "region"))
        var s3Region: String?

        @Option(name: .customLong("s3-location"), help: ArgumentHelp("As for `serve` (env IWORKZ_S3_LOCATION).", valueName: "place"))
        var s3Location: String?

        func run() async throws {
            try await Self.reportingFailures {
                let today = day ?? Timestamps.day(Date())
                guard LegalDataRevision.isDay(today) else {
                    throw Failure("--on must be a date as YYYY-MM-DD")
                }
                let loaded = try ConfigLoading.load(config)
                let check = loaded.compliance(on: today)
                let documents = try await documentResidency(loaded)
                for finding in check.findings() {
                    let verdict = finding.isLawful ? "ok  " : "FAIL"
                    let basis = finding.decision.map { "\($0.ruleID)" + ($0.article.isEmpty ? "" : " — \($0.article)") } ?? "-"
                    print("\(verdict) \(finding.region) → \(finding.target) (\(finding.targetJurisdiction?.code ?? "?")): \(basis)")
                }
                let tables = loaded.legalDataRevisions
                for table in tables {
                    print("\(table.isOverdue(on: today) ? "LATE" : "ok  ") legal data: \(table.summary)")
                }
                for place in documents {
                    let verdict = place.problem != nil ? "FAIL" : place.isVerified ? "ok  " : "??  "
                    let where_ = place.location.map { "\($0) (\(place.jurisdiction?.code ?? "?"))" } ?? "undeclared (--s3-location)"
                    print("\(verdict) \(place.region) documents → S3 \(where_)")
                }
                let violations = check.violations() + documents.compactMap(\.problem)
                let late = tables.filter { $0.isOverdue(on: today) }.map { "\($0.summary) is past its revision day" }
                guard violations.isEmpty, late.isEmpty else {
                    let headline = violations.isEmpty
                        ? "\(late.count) table(s) of legal data past their revision day on \(today)"
                        : "\(violations.count) compliance violation(s)" + (late.isEmpty ? "" : " and \(late.count) table(s) of legal data past their revision day")
                    throw Failure(headline + ":\n  " + (violations + late).joined(separator: "\n  "))
                }
                print("compliance check passed: \(check.findings().count) backup paths lawful, \(tables.count) tables of legal data current on \(today)")
            }
        }

        /// Where each region's documents rest on the S3 service the flags, environment or settings
        /// file name; none for the folder.
        private func documentResidency(_ loaded: LoadedConfiguration) async throws -> [ObjectStorageResidency] {
            var flags: [String: String] = [:]
            for (key, value) in [("objectStore", objectStore), ("s3Endpoint", s3Endpoint), ("s3Region", s3Region), ("s3Location", s3Location)] {
                if let value { flags[key] = value }
            }
            let settings = try await Settings.load(flags: flags)
            // No request is made: where the service is needs no credentials to judge.
            var environment = ProcessInfo.processInfo.environment
            for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] where (environment[name] ?? "").isEmpty {
                environment[name] = "unused"
            }
            let objects = ObjectStoreSettings(settings, environment: environment)
            guard settings.problems.isEmpty else { throw Failure(settings.problems.joined(separator: "; ")) }
            return objects.choice.residency(of: loaded.catalog.regions, in: loaded.catalog)
        }
    }
}
