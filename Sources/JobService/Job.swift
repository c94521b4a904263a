public import Sovereignty
public import Workforce

/// A job posting. Postings are public (non-personal) data: the origin cell owns them and every
/// other cell holds a read-only replica so matching runs next to the worker's data.
public struct Job: Codable, Sendable, Hashable {
    public enum Status: String, Codable, Sendable, Hashable {
        case open, closed
    }

    public let id: RegionalID
    public let employerID: RegionalID
    /// The cell that owns the posting (the employer's home cell).
    public let originRegion: RegionID
    public var status: Status
    public var content: JobContent
    public let createdAt: String
    public var updatedAt: String

    public init(id: RegionalID, employerID: RegionalID, originRegion: RegionID, status: Status,
                content: JobContent, createdAt: String, updatedAt: String) {
        self.id = id
        self.employerID = employerID
        self.originRegion = originRegion
        self.status = status
        self.content = content
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, status
        case employerID = "employer_id"
        case originRegion = "origin_region"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(RegionalID.self, forKey: .id)
        employerID = try container.decode(RegionalID.self, forKey: .employerID)
        originRegion = try container.decode(RegionID.self, forKey: .originRegion)
        status = try container.decode(Status.self, forKey: .status)
        createdAt = try container.decode(String.self, forKey: .createdAt)
        updatedAt = try container.decode(String.self, forKey: .updatedAt)
        content = try JobContent(from: decoder)
    }

    /// Flat JSON: the content's members sit beside the id and status.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(employerID, forKey: .employerID)
        try container.encode(originRegion, forKey: .originRegion)
        try container.encode(status, forKey: .status)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try content.encode(to: encoder)
    }
}

/// What an employer writes in a posting.
public struct JobContent: Codable, Sendable, Hashable {
    public var title: String
    public var description: String
    public var requiredSkills: [String]
    public var minimumLanguage: LanguageProficiency?
    /// Residence statuses that may take the job; empty means any status that permits work.
    public var eligibleResidenceStatuses: [String]
    public var location: Place
    public var salary: SalaryRange?
    public var employmentType: EmploymentType
    /// The kind of work (a ``WorkField`` id), which decides the residence statuses that may take it.
    public var field: String?
    /// Hours a week; statuses limited to part-time work need it.
    public var weeklyHours: Int?
    /// `YYYY-MM-DD`; a residence status must still be valid then.
    public var startDate: String?
    /// Whether the employer sponsors a visa for a person abroad.
    public var visaSponsorship: Bool?

    public init(title: String, description: String, requiredSkills: [String], minimumLanguage: LanguageProficiency?,
                eligibleResidenceStatuses: [String], location: Place, salary: SalaryRange?, employmentType: EmploymentType,
                field: String? = nil, weeklyHours: Int? = nil, startDate: String? = nil, visaSponsorship: Bool? = nil) {
        self.field = field
        self.weeklyHours = weeklyHours
        self.startDate = startDate
        self.visaSponsorship = visaSponsorship
        self.title = title
        self.description = description
        self.requiredSkills = requiredSkills
        self.minimumLanguage = minimumLanguage
        self.eligibleResidenceStatuses = eligibleResidenceStatuses
        self.location = location
        self.salary = salary
        self.employmentType = employmentType
    }

    enum CodingKeys: String, CodingKey {
        case title, description, location, salary, field
        case weeklyHours = "weekly_hours"
        case startDate = "start_date"
        case visaSponsorship = "visa_sponsorship"
        case requiredSkills = "required_skills"
        case minimumLanguage = "minimum_language"
        case eligibleResidenceStatuses = "eligible_residence_statuses"
        case employmentType = "employment_type"
    }

    public func validate(at base: String = "") -> FieldErrors {
        var errors = FieldErrors()
        errors.checkLength(title, "\(base)/title", max: 200)
        errors.checkLength(description, "\(base)/description", max: 20_000)
        errors.check(requiredSkills.count <= 50, "\(base)/required_skills", "at most 50 skills")
        for (index, skill) in requiredSkills.enumerated() {
            errors.checkLength(skill, "\(base)/required_skills/\(index)", max: 80)
        }
        if let language = minimumLanguage {
            for problem in language.problems(at: "\(base)/minimum_language") { errors.add(problem.pointer, problem.detail) }
        }
        for (index, status) in eligibleResidenceStatuses.enumerated() where !ResidenceStatus.isKnown(status) {
            errors.add("\(base)/eligible_residence_statuses/\(index)", "unknown residence status \(status)")
        }
        errors.check(Place.isCountryCode(location.country), "\(base)/location/country", "must be an ISO 3166-1 alpha-2 code")
        if let field { errors.check(WorkField.isKnown(field), "\(base)/field", "unknown field \(field.prefix(40))") }
        if let weeklyHours { errors.check((1...80).contains(weeklyHours), "\(base)/weekly_hours", "must be from 1 to 80") }
        errors.checkDate(startDate, "\(base)/start_date")
        if let salary {
            errors.check(salary.min > 0, "\(base)/salary/min", "must be positive")
            errors.check(salary.max <= Pay.largestAmount, "\(base)/salary/max", "must be at most \(Pay.largestAmount)")
            errors.check(salary.max >= salary.min, "\(base)/salary/max", "must not be below min")
            errors.check(salary.currency.count == 3, "\(base)/salary/currency", "must be an ISO 4217 code")
        }
        return errors
    }
}
