public import JobService
public import UserService
public import Workforce

/// One scored job with the reasons for its score; the contributions sum to the score.
public struct Match: Codable, Sendable, Hashable {
    public struct Contribution: Codable, Sendable, Hashable {
        public let factor: String
        public let points: Double
        public let detail: String
    }

    public let job: Job
    /// 0–100.
    public let score: Double
    public let explanation: [Contribution]
}

/// Why a job was filtered out before scoring.
public enum Ineligibility: Equatable, Sendable {
    case closed
    case residenceStatus(required: [String], held: String?)
    case residenceExpired(expiresOn: String)
    case language(required: LanguageProficiency)
}

/// The first, simple scorer: hard constraints filter, then skills, place, pay and language margin
/// add up to 100. The weights are the configuration of a later, richer engine.
public struct MatchScorer: Sendable {
    public struct Weights: Sendable, Hashable {
        public var skills = 60.0
        public var location = 20.0
        public var salary = 15.0
        public var language = 5.0

        public init() {}
    }

    public let weights: Weights

    public init(weights: Weights = .init()) {
        self.weights = weights
    }

    /// The hard constraint a job fails for this worker, or nil when the worker may take it.
    /// - Parameter today: `YYYY-MM-DD`, to compare with the residence status expiry.
    public func ineligibility(of job: Job, for profile: WorkerProfile, today: String) -> Ineligibility? {
        guard job.status == .open else { return .closed }
        let required = job.content.eligibleResidenceStatuses
        if !required.isEmpty {
            guard let status = profile.residence?.status, required.contains(status) else {
                return .residenceStatus(required: required, held: profile.residence?.status)
            }
        }
        if let expiry = profile.residence?.expiresOn, expiry < today {
            return .residenceExpired(expiresOn: expiry)
        }
        if let minimum = job.content.minimumLanguage, !profile.languages.contains(where: { $0.meets(minimum) }) {
            return .language(required: minimum)
        }
        return nil
    }

    /// Scores an eligible job; call ``ineligibility(of:for:today:)`` first.
    public func score(_ job: Job, for profile: WorkerProfile) -> Match {
        var parts: [Match.Contribution] = []
        let required = Set(job.content.requiredSkills)
        let held = Set(profile.skills)
        if required.isEmpty {
            parts.append(.init(factor: "skills", points: weights.skills / 2, detail: "the job lists no required skills"))
        } else {
            let overlap = required.intersection(held)
            let fraction = Double(overlap.count) / Double(required.count)
            parts.append(.init(factor: "skills", points: weights.skills * fraction,
                               detail: "\(overlap.count) of \(required.count) required skills: \(overlap.sorted().joined(separator: ", "))"))
        }
        parts.append(locationPart(job.content.location, profile.location))
        parts.append(salaryPart(job.content.salary, profile.desiredSalary))
        parts.append(languagePart(job.content.minimumLanguage, profile.languages))
        let score = parts.reduce(0) { $0 + $1.points }
        return Match(job: job, score: score, explanation: parts)
    }

    private func locationPart(_ place: Place, _ home: Place?) -> Match.Contribution {
        guard let home else { return .init(factor: "location", points: 0, detail: "no location in the profile") }
        if home.country == place.country, let city = home.city, city == place.city {
            return .init(factor: "location", points: weights.location, detail: "same city")
        }
        if home.country == place.country, let prefecture = home.prefecture, prefecture == place.prefecture {
            return .init(factor: "location", points: weights.location * 0.8, detail: "same prefecture")
        }
        if home.country == place.country {
            return .init(factor: "location", points: weights.location * 0.4, detail: "same country")
        }
        return .init(factor: "location", points: 0, detail: "job is in \(place.country), worker lives in \(home.country)")
    }

    private func salaryPart(_ offered: SalaryRange?, _ desired: Pay?) -> Match.Contribution {
        guard let offered, let desired else {
            return .init(factor: "salary", points: weights.salary / 2, detail: "salary not comparable")
        }
        guard offered.currency == desired.currency, offered.period == desired.period else {
            return .init(factor: "salary", points: weights.salary / 2, detail: "salary in another currency or period")
        }
        if offered.max >= desired.amount {
            return .init(factor: "salary", points: weights.salary, detail: "range reaches the desired salary")
        }
        let fraction = Double(offered.max) / Double(desired.amount)
        return .init(factor: "salary", points: weights.salary * fraction, detail: "pays up to \(Int(fraction * 100))% of the desired salary")
    }

    private func languagePart(_ minimum: LanguageProficiency?, _ languages: [LanguageProficiency]) -> Match.Contribution {
        guard let minimum, let needed = minimum.rank else {
            return .init(factor: "language", points: weights.language, detail: "no language requirement")
        }
        let best = languages.filter { $0.language == minimum.language }.compactMap(\.rank).max() ?? needed
        let margin = min(2, max(0, best - needed))
        return .init(factor: "language", points: weights.language * (0.5 + 0.25 * Double(margin)),
                     detail: margin == 0 ? "meets the minimum level" : "\(margin) level(s) above the minimum")
    }
}
