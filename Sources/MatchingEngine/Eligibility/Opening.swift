public import Workforce
public import JobService

/// What eligibility depends on, about a person.
public struct Candidate: Sendable, Hashable {
    /// The residence status held (a code from the rules file, or `citizen`).
    public var residenceStatus: String?
    /// `YYYY-MM-DD`; nil for statuses without expiry.
    public var residenceExpiresOn: String?
    /// Where the person lives; a `citizen` may take any work there.
    public var countryOfResidence: String?
    public var languages: [LanguageProficiency]

    public init(residenceStatus: String? = nil, residenceExpiresOn: String? = nil, countryOfResidence: String? = nil,
                languages: [LanguageProficiency] = []) {
        self.residenceStatus = residenceStatus
        self.residenceExpiresOn = residenceExpiresOn
        self.countryOfResidence = countryOfResidence
        self.languages = languages
    }
}

/// What eligibility depends on, about a posting.
public struct Opening: Sendable, Hashable {
    public var isOpen: Bool
    /// ISO 3166-1 alpha-2 country of the workplace.
    public var country: String
    /// The kind of work (an id from the rules file); nil when the employer did not say.
    public var field: String?
    public var weeklyHours: Int?
    public var employmentType: EmploymentType
    /// Statuses the employer lists; empty: any status the rules allow.
    public var listedStatuses: [String]
    /// Whether the employer sponsors a visa for a person abroad.
    public var sponsorsVisa: Bool
    public var minimumLanguage: LanguageProficiency?
    /// `YYYY-MM-DD`; nil: as soon as possible.
    public var startDate: String?

    public init(isOpen: Bool = true, country: String, field: String? = nil, weeklyHours: Int? = nil,
                employmentType: EmploymentType = .fullTime, listedStatuses: [String] = [], sponsorsVisa: Bool = false,
                minimumLanguage: LanguageProficiency? = nil, startDate: String? = nil) {
        self.isOpen = isOpen
        self.country = country
        self.field = field
        self.weeklyHours = weeklyHours
        self.employmentType = employmentType
        self.listedStatuses = listedStatuses
        self.sponsorsVisa = sponsorsVisa
        self.minimumLanguage = minimumLanguage
        self.startDate = startDate
    }

    /// The facts that decide eligibility apart from the posting's hours, start date and language.
    public var kind: OpeningKind {
        OpeningKind(isOpen: isOpen, country: country, field: field, employmentType: employmentType,
                    listedStatuses: listedStatuses, sponsorsVisa: sponsorsVisa)
    }
}

/// What many postings share for eligibility: a catalog of a million postings has a few thousand
/// kinds, so a query decides once per kind and then checks each posting's hours, start and language.
public struct OpeningKind: Sendable, Hashable {
    public var isOpen: Bool
    public var country: String
    public var field: String?
    public var employmentType: EmploymentType
    public var listedStatuses: [String]
    public var sponsorsVisa: Bool

    public init(isOpen: Bool, country: String, field: String?, employmentType: EmploymentType, listedStatuses: [String], sponsorsVisa: Bool) {
        self.isOpen = isOpen
        self.country = country
        self.field = field
        self.employmentType = employmentType
        self.listedStatuses = listedStatuses
        self.sponsorsVisa = sponsorsVisa
    }

    /// Weekly hours of a posting that does not say: a full-time job is taken as 40.
    func effectiveWeeklyHours(_ stated: Int?) -> Int? {
        stated ?? (employmentType == .fullTime ? 40 : nil)
    }
}

extension Opening {
    /// A posting's eligibility facts.
    public init(_ job: Job) {
        self.init(isOpen: job.status == .open, country: job.content.location.country, field: job.content.field,
                  weeklyHours: job.content.weeklyHours, employmentType: job.content.employmentType,
                  listedStatuses: job.content.eligibleResidenceStatuses, sponsorsVisa: job.content.visaSponsorship ?? false,
                  minimumLanguage: job.content.minimumLanguage, startDate: job.content.startDate)
    }
}
