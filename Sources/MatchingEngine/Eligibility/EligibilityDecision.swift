public import Workforce

/// Whether a person may take a job, the rule that decided it and what it rests on.
public struct EligibilityDecision: Sendable, Hashable, Codable {
    public let eligible: Bool
    /// `job` (the posting itself), a status code, `entry:<status>` for a visa route from abroad,
    /// `change:<status>` for a change of the held status, or `unassessed` for a country the rules file
    /// does not cover.
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
/// It holds which rule applies and how, not text: the reason is written only for the postings that
/// are shown (``EligibilityRules/decision(_:)``), so a query can decide thousands of kinds cheaply.
public struct PreparedEligibility: Sendable {
    enum Branch: Sendable {
        case closed
        case notListed([String])
        case unassessed(country: String)
        case citizen(country: String)
        case heldRefused(StatusRule, Refusal)
        case heldPermits(StatusRule, conditions: [String])
        case change(from: StatusRule, to: StatusRule, conditions: [String])
        case abroadWithoutSponsor(country: String)
        case abroadWithoutField
        case abroadNoRoute(field: String, country: String)
        case abroadRoute(StatusRule, conditions: [String])
        case abroadLanguage(routes: [StatusRule], field: String)
    }

    enum Refusal: Error, Sendable {
        case noNewJob, notDesignated, field(String), noField
    }

    typealias StatusRule = EligibilityRules.StatusRule

    let branch: Branch
    /// Whether a posting of this kind may be taken, subject to its own hours, start and language.
    public let isEligible: Bool
    /// Weekly hours the person's status allows; nil for no limit.
    public let hourLimit: Int?
    /// Whether the person's residence status must still be valid when the job starts.
    public let checksExpiry: Bool
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
        func settled(_ branch: PreparedEligibility.Branch, eligible: Bool) -> PreparedEligibility {
            PreparedEligibility(branch: branch, isEligible: eligible, hourLimit: nil, checksExpiry: false)
        }
        guard kind.isOpen else { return settled(.closed, eligible: false) }
        let status = candidate.residenceStatus
        if !kind.listedStatuses.isEmpty, !kind.listedStatuses.contains(status ?? "") {
            return settled(.notListed(kind.listedStatuses), eligible: false)
        }
        guard let local = statusesByCountry[kind.country] else {
            // No rules for this country yet: say so rather than guess either way.
            return settled(.unassessed(country: kind.country), eligible: true)
        }
        if status == ResidenceStatus.citizen, candidate.countryOfResidence == kind.country {
            return settled(.citizen(country: kind.country), eligible: true)
        }
        if let status, let rule = statuses[status], rule.country == kind.country {
            switch heldPermission(rule, kind: kind, date: date) {
            case .failure(let refusal):
                if let change = change(from: rule, kind: kind, date: date) { return settled(change, eligible: true) }
                return settled(.heldRefused(rule, refusal), eligible: false)
            case .success(let conditions):
                return PreparedEligibility(branch: .heldPermits(rule, conditions: conditions + rule.conditions), isEligible: true,
                                           hourLimit: weeklyHourLimit(rule, languages: candidate.languages), checksExpiry: true)
            }
        }
        guard kind.sponsorsVisa else { return settled(.abroadWithoutSponsor(country: kind.country), eligible: false) }
        guard let field = kind.field else { return settled(.abroadWithoutField, eligible: false) }
        let routes = local.compactMap { rule -> (StatusRule, [String])? in
            guard kind.listedStatuses.isEmpty || kind.listedStatuses.contains(rule.code) else { return nil }
            return routeConditions(rule, field: field, on: date).map { (rule, $0) }
        }
        guard !routes.isEmpty else { return settled(.abroadNoRoute(field: field, country: kind.country), eligible: false) }
        for (route, conditions) in routes {
            let needed = route.entry?.languages(for: field) ?? []
            if needed.isEmpty || needed.contains(where: { level in candidate.languages.contains { $0.meets(level) } }) {
                return settled(.abroadRoute(route, conditions: conditions), eligible: true)
            }
        }
        return settled(.abroadLanguage(routes: routes.map(\.0), field: field), eligible: false)
    }

    /// A change of status that opens a sponsored posting the held status does not permit.
    private func change(from rule: StatusRule, kind: OpeningKind, date: String) -> PreparedEligibility.Branch? {
        guard kind.sponsorsVisa, let field = kind.field else { return nil }
        for change in rule.changes {
            guard let target = statuses[change.to], target.exists(on: date),
                  kind.listedStatuses.isEmpty || kind.listedStatuses.contains(target.code),
                  let conditions = permission(target, field: field, on: date) else { continue }
            return .change(from: rule, to: target, conditions: change.conditions + conditions)
        }
        return nil
    }

    /// Whether a held status permits the posting, and under which conditions to confirm.
    private func heldPermission(_ rule: StatusRule, kind: OpeningKind, date: String) -> Result<[String], PreparedEligibility.Refusal> {
        let listed = kind.listedStatuses.contains(rule.code)
        switch rule.work {
        case .unrestricted:
            return .success([])
        case .none:
            return .failure(.noNewJob)
        case .designation:
            return listed ? .success([]) : .failure(.notDesignated)
        case .only, .except:
            if let field = kind.field { return permission(rule, field: field, on: date).map { .success($0) } ?? .failure(.field(field)) }
            return listed ? .success([]) : .failure(.noField)
        }
    }

    /// The decision for a kind of posting, in words, with its sources.
    public func decision(_ prepared: PreparedEligibility) -> EligibilityDecision {
        func label(_ field: String) -> String { fields[field]?.labels["en"] ?? field }
        switch prepared.branch {
        case .closed:
            return .init(eligible: false, rule: "job", reason: "the posting is closed")
        case .notListed(let listed):
            return .init(eligible: false, rule: "job", reason: "the employer accepts only \(listed.joined(separator: ", "))")
        case .unassessed(let country):
            return .init(eligible: true, rule: "unassessed",
                         reason: "the rules file has no residence statuses for \(country); the employer checks the right to work",
                         toConfirm: ["the right to work in \(country)"])
        case .citizen(let country):
            return .init(eligible: true, rule: ResidenceStatus.citizen, reason: "a citizen may take any work in \(country)")
        case .heldPermits(let rule, let conditions):
            return .init(eligible: true, rule: rule.code, reason: "\(rule.name) permits this work" + (conditions.isEmpty ? "" : " under conditions the employer confirms"),
                         sources: citations(of: rule), toConfirm: conditions)
        case .change(let from, let to, let conditions):
            return .init(eligible: true, rule: "change:\(to.code)",
                         reason: "a holder of \(from.name) may change to \(to.name) for this job with the employer's sponsorship",
                         sources: citations(of: to), toConfirm: conditions)
        case .heldRefused(let rule, let refusal):
            let reason = switch refusal {
            case .noNewJob: "\(rule.name) does not permit taking a new job"
            case .notDesignated: "\(rule.name) permits only the work its designation states; the employer has not listed it"
            case .field(let field): "\(rule.name) does not permit work in \(label(field))"
            case .noField: "the posting names no field, so whether \(rule.name) permits it cannot be checked"
            }
            return .init(eligible: false, rule: rule.code, reason: reason, sources: citations(of: rule))
        case .abroadWithoutSponsor(let country):
            return .init(eligible: false, rule: "job", reason: "the person holds no status for \(country) and the employer does not sponsor a visa")
        case .abroadWithoutField:
            return .init(eligible: false, rule: "job", reason: "a sponsored posting must name its field to find a visa route")
        case .abroadNoRoute(let field, let country):
            return .init(eligible: false, rule: "job", reason: "no visa route to \(label(field)) work in \(country)")
        case .abroadRoute(let route, let conditions):
            return .init(eligible: true, rule: "entry:\(route.code)", reason: "eligible to apply for \(route.name) with the employer's sponsorship",
                         sources: citations(of: route), toConfirm: conditions)
        case .abroadLanguage(let routes, let field):
            let needed = routes.flatMap { $0.entry?.languages(for: field) ?? [] }.map { "\($0.test) \($0.level)" }
            return .init(eligible: false, rule: "entry:\(routes[0].code)",
                         reason: "the visa route needs one of \(needed.joined(separator: ", "))", sources: citations(of: routes[0]))
        }
    }

    /// The posting's own checks after ``prepare(_:for:on:)``: hours, start date against expiry, language.
    public func complete(
        _ prepared: PreparedEligibility, candidate: Candidate, kind: OpeningKind, weeklyHours: Int?, startDate: String?,
        minimumLanguage: LanguageProficiency?, on date: String
    ) -> EligibilityDecision {
        let decision = decision(prepared)
        guard decision.eligible else { return decision }
        let statusName = if case .heldPermits(let rule, _) = prepared.branch { rule.name } else { "" }
        func refuse(_ reason: String) -> EligibilityDecision {
            .init(eligible: false, rule: decision.rule, reason: reason, sources: decision.sources)
        }
        if let limit = prepared.hourLimit {
            guard let hours = kind.effectiveWeeklyHours(weeklyHours) else {
                return refuse("\(statusName) allows at most \(limit) hours a week and the posting does not state its hours")
            }
            guard hours <= limit else { return refuse("\(statusName) allows at most \(limit) hours a week; the job has \(hours)") }
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
}
