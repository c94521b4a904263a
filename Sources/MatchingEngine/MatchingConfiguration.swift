internal import Yams

/// `config/matching.yaml`: the weights of the scoring factors and what counts as near.
public struct MatchingConfiguration: Sendable {
    /// Points per factor; they add up to 100.
    public struct Weights: Sendable, Hashable {
        public var skills = 50.0
        public var location = 15.0
        public var salary = 15.0
        public var language = 10.0
        public var recency = 10.0

        public init() {}

        var total: Double { skills + location + salary + language + recency }
    }

    /// Share of the location points for each kind of nearness.
    public struct LocationCredit: Sendable, Hashable {
        public var city = 1.0
        public var prefecture = 0.8
        public var commuteRegion = 0.6
        public var country = 0.3

        public init() {}
    }

    public var weights = Weights()
    /// A related skill counts for this share of the one it stands in for.
    public var relatedSkillCredit = 0.5
    public var recencyHalfLifeDays = 14.0
    public var locationCredit = LocationCredit()
    /// `country|prefecture` → commute region id.
    public var commuteRegions: [String: String] = [:]

    public init() {}

    public init(yaml: String) throws(MatchingConfigurationError) {
        struct Document: Decodable {
            struct WeightsEntry: Decodable {
                let skills, location, salary, language, recency: Double
            }
            struct Credit: Decodable {
                let city, prefecture, country: Double
                let commuteRegion: Double
                enum CodingKeys: String, CodingKey {
                    case city, prefecture, country
                    case commuteRegion = "commute_region"
                }
            }
            struct Region: Decodable {
                let id: String
                let country: String
                let prefectures: [String]
            }
            let weights: WeightsEntry
            let relatedSkillCredit: Double
            let recencyHalfLifeDays: Double
            let locationCredit: Credit
            let commuteRegions: [Region]?
            enum CodingKeys: String, CodingKey {
                case weights
                case relatedSkillCredit = "related_skill_credit"
                case recencyHalfLifeDays = "recency_half_life_days"
                case locationCredit = "location_credit"
                case commuteRegions = "commute_regions"
            }
        }
        let document: Document
        do {
            document = try YAMLDecoder().decode(Document.self, from: yaml)
        } catch {
            throw MatchingConfigurationError(problems: ["\(error)"])
        }
        var configuration = MatchingConfiguration()
        configuration.weights.skills = document.weights.skills
        configuration.weights.location = document.weights.location
        configuration.weights.salary = document.weights.salary
        configuration.weights.language = document.weights.language
        configuration.weights.recency = document.weights.recency
        configuration.relatedSkillCredit = document.relatedSkillCredit
        configuration.recencyHalfLifeDays = document.recencyHalfLifeDays
        configuration.locationCredit.city = document.locationCredit.city
        configuration.locationCredit.prefecture = document.locationCredit.prefecture
        configuration.locationCredit.commuteRegion = document.locationCredit.commuteRegion
        configuration.locationCredit.country = document.locationCredit.country
        var problems: [String] = []
        for region in document.commuteRegions ?? [] {
            for prefecture in region.prefectures {
                let key = Self.placeKey(country: region.country, prefecture: prefecture)
                if let other = configuration.commuteRegions[key] { problems.append("\(prefecture) is in both \(other) and \(region.id)") }
                configuration.commuteRegions[key] = region.id
            }
        }
        problems += configuration.problems
        guard problems.isEmpty else { throw MatchingConfigurationError(problems: problems) }
        self = configuration
    }

    /// What is wrong with these settings; empty when they are usable.
    public var problems: [String] {
        var problems: [String] = []
        let weights = [weights.skills, weights.location, weights.salary, weights.language, weights.recency]
        if weights.contains(where: { $0 < 0 }) { problems.append("weights must not be negative") }
        if abs(self.weights.total - 100) > 1e-9 { problems.append("weights must add up to 100, not \(self.weights.total)") }
        let credits = [relatedSkillCredit, locationCredit.city, locationCredit.prefecture, locationCredit.commuteRegion, locationCredit.country]
        if credits.contains(where: { !(0...1).contains($0) }) { problems.append("credits must be between 0 and 1") }
        if recencyHalfLifeDays <= 0 { problems.append("recency_half_life_days must be positive") }
        return problems
    }

    static func placeKey(country: String, prefecture: String) -> String {
        country + "|" + prefecture.lowercased()
    }

    /// The commute region of a prefecture, if any.
    public func commuteRegion(country: String, prefecture: String?) -> String? {
        prefecture.flatMap { commuteRegions[Self.placeKey(country: country, prefecture: $0)] }
    }
}

/// A matching configuration that cannot be used, with every problem found.
public struct MatchingConfigurationError: Error, CustomStringConvertible {
    public let problems: [String]
    public var description: String { "matching configuration: " + problems.joined(separator: "; ") }
}
