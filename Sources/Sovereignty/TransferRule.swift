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
    /// The day from which the rule applies (`YYYY-MM-DD`); nil when always.
    public let since: String?
    /// The day from which it no longer applies (`YYYY-MM-DD`, exclusive); nil when open-ended.
    public let until: String?
    /// The recipients the rule speaks about; a permit for processors carries no provision to an employer.
    public let recipients: Set<TransferRecipient>
    /// The flows it may carry; derogations carry only occasional transfers.
    public let flows: Set<TransferFlow>
    /// What the sender must keep doing after a transfer on this rule (APPI Art. 28(3): periodic checks
    /// of the recipient's measures); recorded with each decision.
    public let duty: String?

    public init(
        id: String, effect: Effect = .permit, from: Jurisdiction, to: Destinations, basis: LegalBasis?,
        dataClasses: Set<DataClass> = [.personal, .sensitive], article: String, since: String? = nil, until: String? = nil,
        recipients: Set<TransferRecipient> = Set(TransferRecipient.allCases), flows: Set<TransferFlow> = Set(TransferFlow.allCases),
        duty: String? = nil
    ) {
        self.id = id
        self.effect = effect
        self.from = from
        self.to = to
        self.basis = basis
        self.dataClasses = dataClasses
        self.article = article
        self.since = since
        self.until = until
        self.recipients = recipients
        self.flows = flows
        self.duty = duty
    }

    /// Whether the rule speaks about this transfer on `day`: its route, its dates, its recipient and flow.
    func applies(to request: TransferPolicy.Request) -> Bool {
        from == request.from && to.contains(request.to) && request.from != request.to && isInForce(on: request.day)
            && recipients.contains(request.recipient) && flows.contains(request.flow)
    }

    /// Whether `day` (`YYYY-MM-DD`) falls within the rule's dates.
    public func isInForce(on day: String) -> Bool {
        LegalDataRevision.day(day, isFrom: since, until: until)
    }
}
