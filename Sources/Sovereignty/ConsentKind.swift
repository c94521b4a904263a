/// The form of consent a regime requires before personal data leaves it, recorded with each consent.
///
/// Consent is not one thing: each regime asks for its own, after being told its own list (the notice
/// carries every list; ``TransferPolicy`` accepts a consent as evidence only when it is of the kind the
/// source jurisdiction requires).
public enum ConsentKind: String, Sendable, Codable, Hashable, CaseIterable {
    /// APPI Art. 27(1), 28(1): prior consent, after the information of Enforcement Rules Art. 17(2).
    case appiInformed = "appi-informed"
    /// PIPA Art. 17(1)(1), 28-8(1)(1): consent asked separately from every other consent, after the
    /// Art. 28-8(2) items.
    case pipaSeparate = "pipa-separate"
    /// GDPR Art. 49(1)(a): explicit consent after being told the possible risks.
    case gdprExplicit = "gdpr-explicit"
    /// UK GDPR Art. 49(1)(a): explicit consent after being told the possible risks.
    case ukGDPRExplicit = "uk-gdpr-explicit"
    /// PDP Regulations 2021 reg. 10(2)(a), 10(3): consent after a reasonable summary in writing.
    case pdpaWrittenSummary = "pdpa-written-summary"
    /// A regime without a special form: informed consent.
    case informed
    /// Given before kinds were recorded: no regime's form can be shown, so it is not evidence.
    case unrecorded
}
