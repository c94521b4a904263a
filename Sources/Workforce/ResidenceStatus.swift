/// Residence statuses (visa types) the platform knows, by the country that grants them.
///
/// What each status permits is data (`config/eligibility-rules.yaml`); a test keeps this list and
/// that file in step.
public enum ResidenceStatus {
    /// Japan: statuses of residence under the Immigration Control Act.
    public static let japan: [String] = [
        "engineer-humanities-international", "specified-skilled-worker-1", "specified-skilled-worker-2",
        "technical-intern-training", "student", "permanent-resident", "spouse-of-japanese-national",
        "long-term-resident", "designated-activities", "highly-skilled-professional", "skilled-labor", "dependent",
        "spouse-of-permanent-resident", "employment-for-skill-development",
    ]
    /// Korea: sojourn statuses under the Immigration Act.
    public static let korea: [String] = [
        "E-7", "E-7-3", "E-7-4", "E-8", "E-9", "H-2", "F-2", "F-2-R", "F-2-99", "F-4", "F-5", "F-6", "D-2", "D-2-graduate",
        "D-2-research", "D-4",
    ]
    /// A person who needs no residence status in the country of work.
    public static let citizen = "citizen"

    public static let all: Set<String> = Set(japan + korea + [citizen])

    public static func isKnown(_ code: String) -> Bool { all.contains(code) }
}
