public import Workforce

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

    /// Weekly hours when the posting does not say: a full-time job is taken as 40.
    var effectiveWeeklyHours: Int? {
        weeklyHours ?? (employmentType == .fullTime ? 40 : nil)
    }
}

/// Whether a person may take a job, the rule that decided it and what it rests on.
public struct EligibilityDecision: Sendable, Hashable, Codable {
    public let eligible: Bool
    /// `job` (the posting itself), a status code, `entry:<status>` for a visa route from abroad, or
    /// `unassessed` for a country the rules file does not cover.
    public let rule: String
    public let reason: String
    /// Addresses of the sources of the deciding rule.
    public let sources: [String]
    /// Conditions of an entry route the platform cannot check, for the employer to confirm.
    public let toConfirm: [String]

    init(eligible: Bool, rule: String, reason: String, sources: [String] = [], toConfirm: [String] = []) {
        self.eligible = eligible
        self.rule = rule
        self.reason = reason
        self.sources = sources
        self.toConfirm = toConfirm
    }

    enum CodingKeys: String, CodingKey {
        case eligible, rule, reason, sources
        case toConfirm = "to_confirm"
    }
}

extension EligibilityRules {
    /// Decides whether `candidate` may take `opening` on `date` (`YYYY-MM-DD`).
    ///
    /// Order: the posting (closed, the employer's own status list), then the person's status in the
    /// job's country (work permitted, weekly hours, expiry before the start), or, for a person without
    /// one, a sponsored entry route; finally the job's minimum language level.
    public func decide(_ candidate: Candidate, for opening: Opening, on date: String) -> EligibilityDecision {
        guard opening.isOpen else { return .init(eligible: false, rule: "job", reason: "the posting is closed") }
        let status = candidate.residenceStatus
        if !opening.listedStatuses.isEmpty, !opening.listedStatuses.contains(status ?? "") {
            return .init(eligible: false, rule: "job", reason: "the employer accepts only \(opening.listedStatuses.joined(separator: ", "))")
        }
        let decision: EligibilityDecision
        if !statuses.values.contains(where: { $0.country == opening.country }) {
            // No rules for this country yet: say so rather than guess either way.
            decision = .init(eligible: true, rule: "unassessed",
                             reason: "the rules file has no residence statuses for \(opening.country); the employer checks the right to work",
                             toConfirm: ["the right to work in \(opening.country)"])
        } else if status == ResidenceStatus.citizen, candidate.countryOfResidence == opening.country {
            decision = .init(eligible: true, rule: ResidenceStatus.citizen, reason: "a citizen may take any work in \(opening.country)")
        } else if let status, let rule = statuses[status], rule.country == opening.country {
            decision = decideHeld(rule, candidate: candidate, opening: opening, date: date)
        } else {
            decision = decideFromAbroad(candidate, opening: opening, date: date)
        }
        guard decision.eligible else { return decision }
        if let minimum = opening.minimumLanguage, !candidate.languages.contains(where: { $0.meets(minimum) }) {
            return .init(eligible: false, rule: "job", reason: "the job needs \(minimum.test) \(minimum.level) or above")
        }
        return decision
    }

    private func decideHeld(_ rule: StatusRule, candidate: Candidate, opening: Opening, date: String) -> EligibilityDecision {
        let sources = citations(of: rule)
        func refuse(_ reason: String) -> EligibilityDecision {
            .init(eligible: false, rule: rule.code, reason: reason, sources: sources)
        }
        let listed = opening.listedStatuses.contains(rule.code)
        switch rule.work {
        case .unrestricted:
            break
        case .none:
            return refuse("\(rule.name) does not permit taking a new job")
        case .designation:
            guard listed else { return refuse("\(rule.name) permits only the work its designation states; the employer has not listed it") }
        case .only, .except:
            if let field = opening.field {
                guard permits(rule, field: field, on: date) else {
                    return refuse("\(rule.name) does not permit work in \(fields[field]?.labels["en"] ?? field)")
                }
            } else if !listed {
                return refuse("the posting names no field, so whether \(rule.name) permits it cannot be checked")
            }
        }
        if let limit = weeklyHourLimit(rule, languages: candidate.languages) {
            guard let hours = opening.effectiveWeeklyHours else {
                return refuse("\(rule.name) allows at most \(limit) hours a week and the posting does not state its hours")
            }
            guard hours <= limit else { return refuse("\(rule.name) allows at most \(limit) hours a week; the job has \(hours)") }
        }
        let start = max(opening.startDate ?? date, date)
        if let expiry = candidate.residenceExpiresOn, expiry < start {
            return refuse("the residence status expires on \(expiry), before the job starts (\(start))")
        }
        return .init(eligible: true, rule: rule.code, reason: "\(rule.name) permits this work", sources: sources)
    }

    private func decideFromAbroad(_ candidate: Candidate, opening: Opening, date: String) -> EligibilityDecision {
        guard opening.sponsorsVisa else {
            return .init(eligible: false, rule: "job", reason: "the person holds no status for \(opening.country) and the employer does not sponsor a visa")
        }
        guard let field = opening.field else {
            return .init(eligible: false, rule: "job", reason: "a sponsored posting must name its field to find a visa route")
        }
        let routes = statuses.values
            .filter { $0.country == opening.country && $0.entry != nil && $0.maxWeeklyHours.isEmpty && permits($0, field: field, on: date) }
            .filter { opening.listedStatuses.isEmpty || opening.listedStatuses.contains($0.code) }
            .sorted { $0.code < $1.code }
        guard !routes.isEmpty else {
            return .init(eligible: false, rule: "job", reason: "no visa route to \(fields[field]?.labels["en"] ?? field) work in \(opening.country)")
        }
        for route in routes {
            guard let entry = route.entry else { continue }
            if entry.languageAnyOf.isEmpty || entry.languageAnyOf.contains(where: { level in candidate.languages.contains { $0.meets(level) } }) {
                return .init(eligible: true, rule: "entry:\(route.code)", reason: "eligible to apply for \(route.name) with the employer's sponsorship",
                             sources: citations(of: route), toConfirm: entry.unchecked)
            }
        }
        let needed = routes.flatMap { $0.entry?.languageAnyOf ?? [] }.map { "\($0.test) \($0.level)" }
        return .init(eligible: false, rule: "entry:\(routes[0].code)",
                     reason: "the visa route needs one of \(needed.joined(separator: ", "))", sources: citations(of: routes[0]))
    }
}
