public import TextMatching

/// One signature of the rule set (`config/waf-rules.yaml`): a pattern, where to look, how much it
/// adds to a request's anomaly score, and from which paranoia level it applies.
public struct FirewallRule: Sendable, Decodable {
    /// Parts of a request a rule inspects, each decoded first (``ScreenedRequest``).
    public enum Target: String, Sendable, Decodable, CaseIterable {
        case path, query, body, userAgent = "user-agent", headers

        /// The target's place in `allCases`.
        var position: Int {
            switch self {
            case .path: 0
            case .query: 1
            case .body: 2
            case .userAgent: 3
            case .headers: 4
            }
        }
    }

    public let id: String
    public let category: String
    public let description: String
    public let targets: [Target]
    public let pattern: BoundedPattern
    /// Words of which at least one occurs in every match (ASCII case folded). The rule is evaluated
    /// only for targets where one of them occurs; without keywords it is evaluated on every input.
    public let keywords: [String]
    /// Whether a keyword wakes the rule only where it stands alone, not inside a longer word ("or" in
    /// "worker"): true for rules whose pattern bounds its keywords by `\b` or by punctuation.
    public let wholeWords: Bool
    public let score: Int
    public let paranoia: Int
    /// Path prefixes the rule does not apply to (a rule exclusion, as in the OWASP CRS).
    public let skipPaths: [String]

    enum CodingKeys: String, CodingKey {
        case id, category, description, targets, pattern, keywords, score, paranoia
        case skipPaths = "skip_paths"
        case wholeWords = "whole_words"
    }

    func applies(to path: String) -> Bool {
        !skipPaths.contains { path == $0 || path.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        category = try container.decode(String.self, forKey: .category)
        description = try container.decode(String.self, forKey: .description)
        targets = try container.decode([Target].self, forKey: .targets)
        keywords = try container.decodeIfPresent([String].self, forKey: .keywords) ?? []
        wholeWords = try container.decodeIfPresent(Bool.self, forKey: .wholeWords) ?? false
        score = try container.decodeIfPresent(Int.self, forKey: .score) ?? 5
        paranoia = try container.decodeIfPresent(Int.self, forKey: .paranoia) ?? 1
        skipPaths = try container.decodeIfPresent([String].self, forKey: .skipPaths) ?? []
        let source = try container.decode(String.self, forKey: .pattern)
        do {
            pattern = try BoundedPattern(source)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .pattern, in: container, debugDescription: "rule \(id): \(error.problems.joined(separator: "; "))")
        }
        if keywords.contains(where: \.isEmpty) {
            throw DecodingError.dataCorruptedError(forKey: .keywords, in: container, debugDescription: "rule \(id): an empty keyword")
        }
    }
}
