/// A restriction that turns on who the recipient is rather than where it is: 28 CFR Part 202 forbids
/// or restricts giving bulk US sensitive personal data to a *covered person* — an entity owned by,
/// organised in or run from a country of concern, wherever it sits (202.211) — once the data about
/// the same covered person reaches a bulk threshold over the twelve months before (202.205, 202.206).
///
/// The platform does not implement the CISA security requirements that would let a restricted
/// transaction go ahead (202.401), so a covered recipient at or over the threshold is refused.
public struct RecipientRestriction: Sendable, Hashable {
    public let id: String
    public let from: Jurisdiction
    public let article: String
    /// Recipients in these jurisdictions are covered persons by being organised there (202.211(a)(1)).
    public let countriesOfConcern: Set<Jurisdiction>
    /// Data of each class is bulk once it concerns *more than* this many persons, given to the same
    /// covered person within `windowDays` (202.205); a class without a number is restricted from the
    /// first person.
    public let bulkThresholds: [DataClass: Int]
    public let windowDays: Int
    public let since: String?
    public let until: String?

    public init(id: String, from: Jurisdiction, article: String, countriesOfConcern: Set<Jurisdiction>, bulkThresholds: [DataClass: Int],
                windowDays: Int, since: String? = nil, until: String? = nil) {
        self.id = id
        self.from = from
        self.article = article
        self.countriesOfConcern = countriesOfConcern
        self.bulkThresholds = bulkThresholds
        self.windowDays = windowDays
        self.since = since
        self.until = until
    }

    public func isInForce(on day: String) -> Bool {
        LegalDataRevision.day(day, isFrom: since, until: until)
    }

    /// The lowest threshold among the classes sent: the one this transfer may pass first (202.205(g)
    /// takes the lowest for combined data).
    func threshold(for classes: Set<DataClass>) -> Int {
        classes.map { bulkThresholds[$0] ?? 0 }.min() ?? 0
    }
}

/// An authority's order to stop transfers to one recipient: the PIPC may order a controller to
/// suspend overseas transfers to a recipient that breaches the Act or cannot protect the data
/// (PIPA Art. 28-9). Recorded by operators, by the employer's platform id.
public struct SuspensionOrder: Sendable, Hashable {
    public let id: String
    public let from: Jurisdiction
    /// The recipient's platform id (an employer's regional id, `iworkz employers list`).
    public let recipient: String
    public let article: String
    /// The authority's reference for the order.
    public let reference: String
    public let since: String
    public let until: String?

    public init(id: String, from: Jurisdiction, recipient: String, article: String, reference: String, since: String, until: String? = nil) {
        self.id = id
        self.from = from
        self.recipient = recipient
        self.article = article
        self.reference = reference
        self.since = since
        self.until = until
    }

    public func isInForce(on day: String) -> Bool {
        LegalDataRevision.day(day, isFrom: since, until: until)
    }
}

/// A class of data a jurisdiction lets leave only on certain bases, whatever the transfer basis:
/// Korea's sensitive information and unique identifiers (a foreign registration number among them)
/// need the person's separate consent or a statute (PIPA Art. 23(1), Art. 24(1)).
public struct ClassRequirement: Sendable, Hashable {
    public let id: String
    public let jurisdiction: Jurisdiction
    public let dataClasses: Set<DataClass>
    /// Any one of these must be evidenced for the transfer.
    public let requires: Set<LegalBasis>
    public let article: String

    public init(id: String, jurisdiction: Jurisdiction, dataClasses: Set<DataClass>, requires: Set<LegalBasis>, article: String) {
        self.id = id
        self.jurisdiction = jurisdiction
        self.dataClasses = dataClasses
        self.requires = requires
        self.article = article
    }
}
