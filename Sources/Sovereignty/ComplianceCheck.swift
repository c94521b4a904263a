/// Lints the regional configuration against the transfer rules: every copy of a cell's personal data
/// (backups, standby replication) must rest where its residency rule allows and be a lawful transfer.
public struct ComplianceCheck: Sendable {
    /// One result line: a backup or replication path and whether it is lawful.
    public struct Finding: Sendable, Hashable {
        public let region: RegionID
        public let target: RegionID
        public let targetJurisdiction: Jurisdiction?
        /// The transfer decision, when the target's jurisdiction is known.
        public let decision: TransferPolicy.Decision?
        /// Empty when the path is lawful; otherwise why it is not.
        public let violations: [String]

        public var isLawful: Bool { violations.isEmpty }
    }

    public let catalog: RegionCatalog
    public let policy: TransferPolicy
    /// `YYYY-MM-DD`: the rules in force on this day decide.
    public let day: String

    public init(catalog: RegionCatalog, policy: TransferPolicy, day: String) {
        self.catalog = catalog
        self.policy = policy
        self.day = day
    }

    /// Every backup path of every cell, with its verdict.
    public func findings() -> [Finding] {
        catalog.regions.flatMap { region in
            region.backups.map { finding(for: region, backup: $0) }
        }
    }

    /// Problems that are not about one backup path (a cell's jurisdiction missing from the rules).
    public func generalViolations() -> [String] {
        let known = Set(policy.jurisdictions.map(\.code))
        return catalog.regions.compactMap { region in
            known.contains(region.jurisdiction)
                ? nil : "region \(region.id): jurisdiction \(region.jurisdiction) is not declared in the transfer rules"
        }
    }

    /// All violations as one list of sentences; empty when the configuration is lawful.
    public func violations() -> [String] {
        generalViolations() + findings().flatMap { finding in
            finding.violations.map { "\(finding.region) → \(finding.target): \($0)" }
        }
    }

    private func finding(for region: Region, backup: Region.BackupTarget) -> Finding {
        guard let jurisdiction = catalog.jurisdiction(of: backup.target) else {
            return Finding(region: region.id, target: backup.target, targetJurisdiction: nil, decision: nil,
                           violations: ["target is not a known region or location"])
        }
        var violations: [String] = []
        if !region.residency.allowed.contains(jurisdiction) {
            violations.append("target is in \(jurisdiction), outside the cell's data residency (\(region.residency.statement))")
        }
        // A backup is storage the platform keeps on its own behalf, every day: a processor, a systematic flow.
        let decision = policy.decide(.init(
            from: region.jurisdiction, to: jurisdiction, dataClasses: [.personal, .sensitive], recipient: .processor, flow: .systematic,
            day: day, bases: Set(backup.bases)))
        if !decision.isAllowed {
            violations.append(decision.reason)
        }
        return Finding(region: region.id, target: backup.target, targetJurisdiction: jurisdiction,
                       decision: decision, violations: violations)
    }
}
