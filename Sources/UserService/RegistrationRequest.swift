public import ServerKit
public import Workforce

/// The body of `POST /api/v1/users`.
public struct RegistrationRequest: Codable, Sendable {
    public var role: Principal.Role
    public var email: String
    public var displayName: String
    /// ISO 3166-1 alpha-2; decides the home region when `home_region` is absent.
    public var countryOfResidence: String
    /// An explicit home region, e.g. `kr-seoul`.
    public var homeRegion: String?
    public var companyName: String?
    /// For an employer: the company's identifier, checked by `config/employers.yaml`'s rule for its country.
    public var corporateNumber: String?
    public var profile: WorkerProfile?
    /// Enables sign-in through OAuth2 (`/oauth/authorize`); stored only as a bcrypt hash in the home cell.
    public var password: String?

    enum CodingKeys: String, CodingKey {
        case role, email, profile, password
        case displayName = "display_name"
        case countryOfResidence = "country_of_residence"
        case homeRegion = "home_region"
        case companyName = "company_name"
        case corporateNumber = "corporate_number"
    }

    /// Field problems, as JSON pointers into the body.
    public func validate(corporateNumbers: CorporateNumbers? = nil) -> FieldErrors {
        var errors = FieldErrors()
        errors.check(EmailAddress.isPlausible(email), "/email", "must be an email address")
        errors.checkLength(displayName, "/display_name", max: 200)
        errors.check(Place.isCountryCode(countryOfResidence), "/country_of_residence", "must be an ISO 3166-1 alpha-2 code such as KR")
        if let password {
            // bcrypt reads 72 bytes; beyond them a password would be cut without anyone knowing.
            errors.check(password.count >= 12 && password.utf8.count <= 72, "/password", "must be at least 12 characters and at most 72 bytes of UTF-8")
        }
        switch role {
        case .employer:
            errors.checkLength(companyName, "/company_name", max: 200)
            errors.check(profile == nil, "/profile", "an employer has no worker profile")
            if let corporateNumbers {
                if let number = corporateNumber {
                    if let problem = corporateNumbers.problem(with: number, country: countryOfResidence) { errors.check(false, "/corporate_number", problem) }
                } else {
                    errors.check(false, "/corporate_number", "an employer registers with its company's identifier")
                }
            }
        case .worker:
            errors.check(companyName == nil, "/company_name", "a worker has no company")
            errors.check(corporateNumber == nil, "/corporate_number", "a worker has no corporate number")
            if let profile { profile.validate(into: &errors, at: "/profile") }
        }
        return errors
    }
}

/// The body of `PATCH /api/v1/users/me` (the right to rectification): members present replace the stored ones.
public struct ProfileUpdate: Codable, Sendable {
    public var email: String?
    public var displayName: String?
    public var companyName: String?
    public var profile: WorkerProfile?

    enum CodingKeys: String, CodingKey {
        case profile, email
        case displayName = "display_name"
        case companyName = "company_name"
    }

    public func validate(for role: Principal.Role) -> FieldErrors {
        var errors = FieldErrors()
        if let email { errors.check(EmailAddress.isPlausible(email), "/email", "must be an email address") }
        if let displayName { errors.checkLength(displayName, "/display_name", max: 200) }
        if let companyName {
            errors.check(role == .employer, "/company_name", "a worker has no company")
            errors.checkLength(companyName, "/company_name", max: 200)
        }
        if let profile {
            errors.check(role == .worker, "/profile", "an employer has no worker profile")
            profile.validate(into: &errors, at: "/profile")
        }
        if email == nil && displayName == nil && companyName == nil && profile == nil {
            errors.add("", "the update changes nothing")
        }
        return errors
    }
}

extension WorkerProfile {
    func validate(into errors: inout FieldErrors, at base: String) {
        errors.check(skills.count <= 100, "\(base)/skills", "at most 100 skills")
        for (index, skill) in skills.enumerated() {
            errors.checkLength(skill, "\(base)/skills/\(index)", max: 80)
        }
        errors.check(languages.count <= 20, "\(base)/languages", "at most 20 languages")
        for (index, language) in languages.enumerated() {
            for problem in language.problems(at: "\(base)/languages/\(index)") { errors.add(problem.pointer, problem.detail) }
        }
        if let residence {
            errors.check(ResidenceStatus.isKnown(residence.status), "\(base)/residence/status",
                         "unknown residence status; one of \(ResidenceStatus.all.sorted().joined(separator: ", "))")
            errors.checkDate(residence.expiresOn, "\(base)/residence/expires_on")
        }
        if let location {
            errors.check(Place.isCountryCode(location.country), "\(base)/location/country", "must be an ISO 3166-1 alpha-2 code")
        }
        if let pay = desiredSalary {
            errors.check(pay.amount > 0, "\(base)/desired_salary/amount", "must be positive")
            errors.check(pay.amount <= Pay.largestAmount, "\(base)/desired_salary/amount", "must be at most \(Pay.largestAmount)")
            errors.check(pay.currency.count == 3, "\(base)/desired_salary/currency", "must be an ISO 4217 code")
        }
    }
}

/// A light plausibility check: real validation is a confirmation mail, not a regex.
enum EmailAddress {
    static func isPlausible(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return text.count <= 254 && parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !text.contains(where: { $0.isWhitespace })
    }
}
