/// One line of the transfer rules file: when data of some classes may (or may never) go from one
/// jurisdiction to others, and the article of law that says so.
public struct TransferRule: Sendable, Hashable, Identifiable {
    public enum Effect: String, Sendable, Codable, Hashable {
        /// The transfer is lawful when the rule's basis holds.
        case permit
        /// The transfer is forbidden whatever basis is offered; checked before every permit.
        case prohibit
    }

    /// The destinations a rule speaks about.
    public enum Destinations: Sendable, Hashable {
        /// Every jurisdiction other than the source.
        case anyOther
        case only(Set<Jurisdiction>)

        func contains(_ jurisdiction: Jurisdiction) -> Bool {
            switch self {
            case .anyOther: true
            case .only(let set): set.contains(jurisdiction)
            }
        }
    }

    /// Stable identifier, cited in decisions and audit entries.
    public let id: String
    public let effect: Effect
    public let from: Jurisdiction
    public let to: Destinations
    /// The basis that makes the transfer lawful; nil for a prohibition.
    public let basis: LegalBasis?
    /// The classes of data the rule covers.
    public let dataClasses: Set<DataClass>
    /// The article of law relied on, e.g. "PIPA Art. 28-8(1)(1)".
    public let article: String
    /// The date from which the rule applies, as written in the source (ISO 8601).
    public let since: String?

    public init(
        id: String, effect: Effect = .permit, from: Jurisdiction, to: Destinations, basis: LegalBasis?,
        dataClasses: Set<DataClass> = [.personal, .sensitive], article: String, since: String? = nil
    ) {
        self.id = id
        self.effect = effect
        self.from = from
        self.to = to
        self.basis = basis
        self.dataClasses = dataClasses
        self.article = article
        self.since = since
    }

    func applies(from source: Jurisdiction, to destination: Jurisdiction) -> Bool {
        from == source && to.contains(destination) && source != destination
    }
}
