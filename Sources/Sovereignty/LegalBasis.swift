/// A legal ground on which personal data may cross a border.
///
/// Some bases hold by themselves for a destination (an adequacy decision); the others must be
/// evidenced for the transfer at hand (the person's consent, a contract, a certification).
public enum LegalBasis: String, Sendable, Codable, CaseIterable, Hashable {
    /// The destination is recognised as equivalent (adequacy decision, PPC list, PIPC recognition).
    case adequacy
    /// The source jurisdiction does not restrict transfers to this destination.
    case noRestriction = "no-restriction"
    /// The person's informed (or separate, or explicit) consent to this transfer.
    case consent
    /// Necessary to perform a contract with the person.
    case contractNecessity = "contract-necessity"
    /// The recipient is bound by contract to equivalent measures (SCC, IDTA, PDPA contract).
    case contractualClauses = "contractual-clauses"
    /// Binding corporate rules of the group.
    case bindingCorporateRules = "binding-corporate-rules"
    /// Certification of the recipient (APEC CBPR, PRP, PIPC certification, Data Privacy Framework).
    case certification
    /// Required by law or treaty.
    case legalObligation = "legal-obligation"
    /// Needed to protect life, body or property.
    case vitalInterest = "vital-interest"
    /// The data only passes through the destination.
    case inTransit = "in-transit"

    /// Whether the basis holds by itself, without evidence for the individual transfer.
    public var isAutomatic: Bool {
        self == .adequacy || self == .noRestriction
    }
}
