/// How protected a piece of data is; transfer rules say which classes they cover.
public enum DataClass: String, Sendable, Codable, CaseIterable, Comparable {
    /// Identifies a person: name, contact details, profile, residence status.
    case personal
    /// Special categories and identity documents: residence-card scans, national ids, health.
    case sensitive
    /// Non-personal data meant for everyone: job postings, company profiles.
    case `public`

    public static func < (lhs: DataClass, rhs: DataClass) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Lets rule files key tables by class (`bulk_thresholds: { personal: 100000 }`).
extension DataClass: CodingKeyRepresentable {}
