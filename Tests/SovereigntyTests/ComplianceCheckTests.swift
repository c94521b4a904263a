import Foundation
import Sovereignty
import Testing

@Suite("Compliance check")
struct ComplianceCheckTests {
    @Test func theShippedConfigurationIsLawful() throws {
        let check = ComplianceCheck(catalog: try ConfigFiles.catalog(), policy: try ConfigFiles.policy(), day: "2026-12-01")
        #expect(check.violations() == [])
        let findings = check.findings()
        let singapore = try #require(findings.first { $0.region == "ap-southeast-1" && $0.target == "ap-northeast-1" })
        #expect(singapore.decision?.ruleID == "sg-legally-bound")
        let uk = try #require(findings.first { $0.region == "uk-west-1" })
        #expect(uk.decision?.ruleID == "uk-approved-by-regulations")
    }

    @Test func refusesABackupOutsideTheJurisdiction() throws {
        let yaml = try ConfigFiles.text("regions.yaml").replacingOccurrences(
            of: "      - target: ap-northeast-2\n", with: "      - target: ap-northeast-2\n      - target: us-west-2\n")
        let check = ComplianceCheck(catalog: try RegionCatalog(yaml: yaml), policy: try ConfigFiles.policy(), day: "2026-12-01")
        let violations = check.violations()
        #expect(violations.count == 2, "\(violations)")
        #expect(violations.allSatisfy { $0.hasPrefix("kr-seoul → us-west-2") })
        #expect(violations.contains { $0.contains("outside the cell's data residency") })
        // Korea's sensitive data (identity documents in the backup) needs its own consent before any transfer basis.
        #expect(violations.contains { $0.contains("sensitive data from KR needs consent or legal-obligation of its own") })
    }

    @Test func refusesSingaporeBackupWithoutItsContract() throws {
        let yaml = try ConfigFiles.text("regions.yaml").replacingOccurrences(of: "bases: [contractual-clauses]", with: "bases: []")
        let violations = ComplianceCheck(catalog: try RegionCatalog(yaml: yaml), policy: try ConfigFiles.policy(), day: "2026-12-01").violations()
        #expect(violations.count == 1)
        #expect(violations.first?.contains("ap-southeast-1 → ap-northeast-1") == true)
    }
}
