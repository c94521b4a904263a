public import ServerKit
public import Sovereignty
public import Workforce

/// A worker's profile: what matching reads.
public struct WorkerProfile: Codable, Sendable, Hashable {
    public var skills: [String]
    public var languages: [LanguageProficiency]
    public var residence: Residence?
    public var location: Place?
    public var desiredSalary: Pay?

    /// A residence status (visa type) and when it expires.
    public struct Residence: Codable, Sendable, Hashable {
        public var status: String
        /// `YYYY-MM-DD`; nil for statuses without expiry (permanent resident, citizen).
        public var expiresOn: String?

        public init(status: String, expiresOn: String? = nil) {
            self.status = status
            self.expiresOn = expiresOn
        }

        enum CodingKeys: String, CodingKey {
            case status
            case expiresOn = "expires_on"
        }
    }

    public init(skills: [String] = [], languages: [LanguageProficiency] = [], residence: Residence? = nil,
                location: Place? = nil, desiredSalary: Pay? = nil) {
        self.skills = skills
        self.languages = languages
        self.residence = residence
        self.location = location
        self.desiredSalary = desiredSalary
    }

    enum CodingKeys: String, CodingKey {
        case skills, languages, residence, location
        case desiredSalary = "desired_salary"
    }

    /// Every member is optional in a request; absent lists are empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        skills = try container.decodeIfPresent([String].self, forKey: .skills) ?? []
        languages = try container.decodeIfPresent([LanguageProficiency].self, forKey: .languages) ?? []
        residence = try container.decodeIfPresent(Residence.self, forKey: .residence)
        location = try container.decodeIfPresent(Place.self, forKey: .location)
        desiredSalary = try container.decodeIfPresent(Pay.self, forKey: .desiredSalary)
    }
}

/// A person registered in a cell: a worker looking for jobs or an employer posting them.
public struct User: Codable, Sendable, Hashable {
    public let id: RegionalID
    public let role: Principal.Role
    public var email: String
    public var displayName: String
    public let countryOfResidence: String
    public let homeRegion: RegionID
    /// For an employer: the company's name.
    public var companyName: String?
    /// For an employer: the company's identifier (Japan's 法人番号, Korea's 사업자등록번호 …), checked at registration.
    public var corporateNumber: String?
    /// For an employer: when an operator verified the company; unverified employers see no candidates.
    public var verifiedAt: String?
    /// For a worker: the profile matching reads.
    public var profile: WorkerProfile?
    public let createdAt: String
    public var updatedAt: String

    public init(id: RegionalID, role: Principal.Role, email: String, displayName: String, countryOfResidence: String,
                homeRegion: RegionID, companyName: String?, profile: WorkerProfile?, createdAt: String, updatedAt: String) {
        self.id = id
        self.role = role
        self.email = email
        self.displayName = displayName
        self.countryOfResidence = countryOfResidence
        self.homeRegion = homeRegion
        self.companyName = companyName
        self.profile = profile
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, role, email, profile
        case displayName = "display_name"
        case countryOfResidence = "country_of_residence"
        case homeRegion = "home_region"
        case companyName = "company_name"
        case corporateNumber = "corporate_number"
        case verifiedAt = "verified_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
