public import Workforce

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

/// A decision for one kind of posting, waiting for the posting's own hours, start date and language.
public struct PreparedEligibility: Sendable {
    /// The decision for a posting that passes its own checks, or the refusal no posting of the kind escapes.
    public let decision: EligibilityDecision
    /// Weekly hours the person's status allows; nil for no limit.
    public let hourLimit: Int?
    /// Whether the person's residence status must still be valid when the job starts.
    public let checksExpiry: Bool
    let statusName: String
}

extension EligibilityRules {
    /// Decides whether `candidate` may take `opening` on `date` (`YYYY-MM-DD`).
    ///
    /// Order: the posting (closed, the employer's own status list), then the person's status in the
    /// job's country (work permitted, weekly hours, expiry before the start), or, for a person without
    /// one, a sponsored entry route; finally the job's minimum language level.
    public func decide(_ candidate: Candidate, for opening: Opening, on date: String) -> EligibilityDecision {
        complete(prepare(candidate, for: opening.kind, on: date), candidate: candidate, kind: opening.kind,
                 weeklyHours: opening.weeklyHours, startDate: opening.startDate, minimumLanguage: opening.minimumLanguage, on: date)
    }

    /// The part of the decision that depends only on the kind of posting.
    public func prepare(_ candidate: Candidate, for kind: OpeningKind, on date: String) -> PreparedEligibility {
        func settled(_ decision: EligibilityDecision) -> PreparedEligibility {
            PreparedEligibility(decision: decision, hourLimit: nil, checksExpiry: false, statusName: "")
        }
        guard kind.isOpen else { return settled(.init(eligible: false, rule: "job", reason: "the posting is closed")) }
        let status = candidate.residenceStatus
        if !kind.listedStatuses.isEmpty, !kind.listedStatuses.contains(status ?? "") {
            return settled(.init(eligible: false, rule: "job", reason: "the employer accepts only \(kind.listedStatuses.joined(separator: ", "))"))
        }
        if !statuses.values.contains(where: { $0.country == kind.country }) {
            // No rules for this country yet: say so rather than guess either way.
            return settled(.init(eligible: true, rule: "unassessed",
                                 reason: "the rules file has no residence statuses for \(kind.country); the employer checks the right to work",
                                 toConfirm: ["the right to work in \(kind.country)"]))
        }
        if status == ResidenceStatus.citizen, candidate.countryOfResidence == kind.country {
            return settled(.init(eligible: true, rule: ResidenceStatus.citizen, reason: "a citizen may take any work in \(kind.country)"))
        }
        if let status, let rule = statuses[status], rule.country == kind.country {
            return prepareHeld(rule, candidate: candidate, kind: kind, date: date)
        }
        return settled(decideFromAbroad(candidate, kind: kind, date: date))
    }

    /// The posting's own checks after ``prepare(_:for:on:)``: hours, start date against expiry, language.
    public func complete(
        _ prepared: PreparedEligibility, candidate: Candidate, kind: OpeningKind, weeklyHours: Int?, startDate: String?,
        minimumLanguage: LanguageProficiency?, on date: String
    ) -> EligibilityDecision {
        let decision = prepared.decision
        guard decision.eligible else { return decision }
        func refuse(_ reason: String) -> EligibilityDecision {
            .init(eligible: false, rule: decision.rule, reason: reason, sources: decision.sources)
        }
        if let limit = prepared.hourLimit {
            guard let hours = kind.effectiveWeeklyHours(weeklyHours) else {
                return refuse("\(prepared.statusName) allows at most \(limit) hours a week and the posting does not state its hours")
            }
            guard hours <= limit else { return refuse("\(prepared.statusName) allows at most \(limit) hours a week; the job has \(hours)") }
        }
        if prepared.checksExpiry, let expiry = candidate.residenceExpiresOn {
            let start = max(startDate ?? date, date)
            if expiry < start { return refuse("the residence status expires on \(expiry), before the job starts (\(start))") }
        }
        if let minimum = minimumLanguage, !candidate.languages.contains(where: { $0.meets(minimum) }) {
            return .init(eligible: false, rule: "job", reason: "the job needs \(minimum.test) \(minimum.level) or above")
        }
        return decision
    }

    private func prepareHeld(_ rule: StatusRule, candidate: Candidate, kind: OpeningKind, date: String) -> PreparedEligibility {
        let sources = citations(of: rule)
        func refuse(_ reason: String) -> PreparedEligibility {
            PreparedEligibility(decision: .init(eligible: false, rule: rule.code, reason: reason, sources: sources),
                                hourLimit: nil, checksExpiry: false, statusName: rule.name)
        }
        let listed = kind.listedStatuses.contains(rule.code)
        switch rule.work {
        case .unrestricted:
            break
        case .none:
            return refuse("\(rule.name) does not permit taking a new job")
        case .designation:
            guard listed else { return refuse("\(rule.name) permits only the work its designation states; the employer has not listed it") }
        case .only, .except:
            if let field = kind.field {
                guard permits(rule, field: field, on: date) else {
                    return refuse("\(rule.name) does not permit work in \(fields[field]?.labels["en"] ?? field)")
                }
            } else if !listed {
                return refuse("the posting names no field, so whether \(rule.name) permits it cannot be checked")
            }
        }
        return PreparedEligibility(
            decision: .init(eligible: true, rule: rule.code, reason: "\(rule.name) permits this work", sources: sources),
            hourLimit: weeklyHourLimit(rule, languages: candidate.languages), checksExpiry: true, statusName: rule.name)
    }

    private func decideFromAbroad(_ candidate: Candidate, kind: OpeningKind, date: String) -> EligibilityDecision {
        guard kind.sponsorsVisa else {
            return .init(eligible: false, rule: "job", reason: "the person holds no status for \(kind.country) and the employer does not sponsor a visa")
        }
        guard let field = kind.field else {
            return .init(eligible: false, rule: "job", reason: "a sponsored posting must name its field to find a visa route")
        }
        let routes = statuses.values
            .filter { $0.country == kind.country && $0.entry != nil && $0.maxWeeklyHours.isEmpty && permits($0, field: field, on: date) }
            .filter { kind.listedStatuses.isEmpty || kind.listedStatuses.contains($0.code) }
            .sorted { $0.code < $1.code }
        guard !routes.isEmpty else {
            return .init(eligible: false, rule: "job", reason: "no visa route to \(fields[field]?.labels["en"] ?? field) work in \(kind.country)")
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
