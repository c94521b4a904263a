internal import Workforce

/// The wire form of a matching query, as a region's backend-api sends it to its matching engine:
/// only what matching reads (no name, no contact, no id).
extension WorkerQuery: Codable {
    private enum CodingKeys: String, CodingKey {
        case skills, location, languages
        case desiredSalary = "desired_salary"
        case residenceStatus = "residence_status"
        case residenceExpiresOn = "residence_expires_on"
        case countryOfResidence = "country_of_residence"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            candidate: Candidate(
                residenceStatus: try container.decodeIfPresent(String.self, forKey: .residenceStatus),
                residenceExpiresOn: try container.decodeIfPresent(String.self, forKey: .residenceExpiresOn),
                countryOfResidence: try container.decodeIfPresent(String.self, forKey: .countryOfResidence),
                languages: try container.decode([LanguageProficiency].self, forKey: .languages)),
            skills: try container.decode([String].self, forKey: .skills),
            location: try container.decodeIfPresent(Place.self, forKey: .location),
            desiredSalary: try container.decodeIfPresent(Pay.self, forKey: .desiredSalary))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(skills, forKey: .skills)
        try container.encode(candidate.languages, forKey: .languages)
        try container.encodeIfPresent(candidate.residenceStatus, forKey: .residenceStatus)
        try container.encodeIfPresent(candidate.residenceExpiresOn, forKey: .residenceExpiresOn)
        try container.encodeIfPresent(candidate.countryOfResidence, forKey: .countryOfResidence)
        try container.encodeIfPresent(location, forKey: .location)
        try container.encodeIfPresent(desiredSalary, forKey: .desiredSalary)
    }
}
