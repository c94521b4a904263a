import ArgumentParser
import Platform
import Sovereignty

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
            abstract: "Verify every backup region is lawful for its source; exit 1 on a violation.",
            discussion: """
                A backup is a copy of personal data, so its target must lie where the cell's \
                data_residency allows and the transfer must be permitted by transfer-rules.yaml \
                on the bases the backup lists (automatic bases such as adequacy need not be listed).
                """
        )

        @OptionGroup var config: ConfigOptions

        func run() async throws {
            try await Self.reportingFailures {
                let loaded = try ConfigLoading.load(config)
                let check = loaded.compliance
                for finding in check.findings() {
                    let verdict = finding.isLawful ? "ok  " : "FAIL"
                    let basis = finding.decision.map { "\($0.ruleID)" + ($0.article.isEmpty ? "" : " — \($0.article)") } ?? "-"
                    print("\(verdict) \(finding.region) → \(finding.target) (\(finding.targetJurisdiction?.code ?? "?")): \(basis)")
                }
                let violations = check.violations()
                guard violations.isEmpty else {
                    throw Failure("\(violations.count) compliance violation(s):\n  " + violations.joined(separator: "\n  "))
                }
                print("compliance check passed: \(check.findings().count) backup paths lawful")
            }
        }
    }
}
