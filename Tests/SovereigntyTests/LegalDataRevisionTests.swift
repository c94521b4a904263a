import Sovereignty
import Testing

@Suite("Legal data revision dates")
struct LegalDataRevisionTests {
    @Test func isOverdueFromItsRevisionDayOn() {
        let wages = LegalDataRevision(table: "minimum wages JP", asOf: "2025-09-05", revisionDue: "2026-10-01", note: "FY2026 rates")
        #expect(!wages.isOverdue(on: "2026-09-30"))
        #expect(wages.isOverdue(on: "2026-10-01"))
        #expect(wages.isOverdue(on: "2027-01-01"))
        #expect(wages.summary == "minimum wages JP (as of 2025-09-05, revision due 2026-10-01: FY2026 rates)")
        #expect(wages.problems.isEmpty)
    }

    @Test(arguments: [
        ("2025-09-05", "2025-09-05", "is not after as_of"),
        ("2025-09-05", "2024-01-01", "is not after as_of"),
        ("2025-9-5", "2026-10-01", "as_of '2025-9-5' is not a YYYY-MM-DD date"),
        ("2025-09-05", "next year", "revision_due 'next year' is not a YYYY-MM-DD date"),
        ("2025-13-01", "2026-10-01", "is not a YYYY-MM-DD date"),
    ])
    func refusesDatesThatCannotBeCompared(asOf: String, due: String, problem: String) {
        let revision = LegalDataRevision(table: "t", asOf: asOf, revisionDue: due)
        #expect(revision.problems.contains { $0.contains(problem) }, "\(revision.problems)")
    }

    @Test func theShippedTransferRulesCarryTheirRevisionDay() throws {
        let policy = try ConfigFiles.policy()
        let revision = try #require(policy.revision)
        #expect(revision.asOf == policy.version)
        #expect(revision.problems.isEmpty)
    }
}
