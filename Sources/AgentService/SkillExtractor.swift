public import Workforce

/// Finds the taxonomy's skills in free text (a résumé or a job ad) in English, Japanese and Korean.
///
/// One pass over the text with an Aho–Corasick automaton of every label, lowercased. Latin labels
/// must stand as words (an English plural `s` is allowed); Japanese and Korean labels match inside
/// longer words, since those languages do not separate words with spaces and Korean attaches
/// particles (용접을, 용접공이). Overlapping matches keep the longest.
public struct SkillExtractor: Sendable {
    /// One place a skill is mentioned.
    public struct Mention: Codable, Sendable, Hashable {
        /// The text as written.
        public let text: String
        /// Offsets in Unicode scalars (code points) of the input, end exclusive.
        public let start: Int
        public let end: Int
        /// The language of the label that matched (`en`, `ja`, `ko`).
        public let language: String
    }

    /// A skill found in the text, with every mention.
    public struct Finding: Codable, Sendable, Hashable {
        public let skill: String
        /// The preferred English label.
        public let label: String
        public let category: String
        /// 0–1: how sure the match is that the text means this skill (short labels are less sure).
        public let confidence: Double
        public let mentions: [Mention]
    }

    let taxonomy: SkillTaxonomy
    private let automaton: Automaton
    private let labels: [SkillTaxonomy.Label]

    public init(taxonomy: SkillTaxonomy) {
        self.taxonomy = taxonomy
        labels = taxonomy.labels.sorted { ($0.skillID, $0.text) < ($1.skillID, $1.text) }
        automaton = Automaton(patterns: labels.map { Self.fold(Array($0.text.unicodeScalars)) })
    }

    /// The skills in `text`, most confident first.
    public func extract(from text: String) -> [Finding] {
        let original = Array(text.unicodeScalars)
        let folded = Self.fold(original)
        var matches: [(start: Int, end: Int, label: Int)] = []
        automaton.search(folded) { end, label in
            let length = automaton.lengths[label]
            let start = end - length
            guard Self.standsAlone(folded, start: start, end: end, isLatin: Self.isLatin(folded[start]) || Self.isLatin(folded[end - 1])) else {
                return
            }
            matches.append((start, end, label))
        }
        // Longest first, then leftmost; drop anything overlapping a kept match.
        matches.sort { ($0.end - $0.start, -$0.start) > ($1.end - $1.start, -$1.start) }
        var taken = [Bool](repeating: false, count: folded.count)
        var mentions: [String: [Mention]] = [:]
        var best: [String: Double] = [:]
        for match in matches where !taken[match.start..<match.end].contains(true) {
            for index in match.start..<match.end { taken[index] = true }
            let label = labels[match.label]
            let written = String(String.UnicodeScalarView(original[match.start..<match.end]))
            mentions[label.skillID, default: []].append(Mention(text: written, start: match.start, end: match.end, language: label.language))
            best[label.skillID] = max(best[label.skillID] ?? 0, confidence(of: label, length: match.end - match.start))
        }
        return mentions.map { skill, found in
            Finding(skill: skill, label: taxonomy.label(skill), category: taxonomy.skills[skill]?.category ?? "",
                    confidence: best[skill] ?? 0, mentions: found.sorted { $0.start < $1.start })
        }.sorted { ($0.confidence, -($0.mentions.first?.start ?? 0)) > ($1.confidence, -($1.mentions.first?.start ?? 0)) }
    }

    /// Short Latin labels (`qa`, `sql`, `aws`) are more often something else than long ones.
    private func confidence(of label: SkillTaxonomy.Label, length: Int) -> Double {
        let preferred = taxonomy.skills[label.skillID]?.labels[label.language]?.first == label.text
        let base: Double = label.language == "en" ? (length <= 3 ? 0.6 : length <= 5 ? 0.8 : 0.9) : (length <= 1 ? 0.5 : 0.9)
        return min(1, base + (preferred ? 0.05 : 0))
    }

    /// Lower-cases scalar by scalar, keeping offsets: ASCII directly, Latin, Greek and Cyrillic letters
    /// through the standard library; Japanese, Chinese and Korean have no case and pass unchanged.
    static func fold(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        scalars.map { scalar in
            if scalar.isASCII {
                return (65...90).contains(scalar.value) ? Unicode.Scalar(scalar.value + 32)! : scalar
            }
            guard (0xC0...0x52F).contains(scalar.value) else { return scalar }
            let lower = String(scalar).lowercased().unicodeScalars
            return lower.count == 1 ? lower.first! : scalar
        }
    }

    static func isLatin(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x250 && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil)
    }

    /// Latin labels need word boundaries on both sides (a trailing plural `s` or `es` is allowed).
    static func standsAlone(_ text: [Unicode.Scalar], start: Int, end: Int, isLatin: Bool) -> Bool {
        guard isLatin else { return true }
        if start > 0, Self.isLatin(text[start - 1]) { return false }
        var after = end
        if after < text.count, text[after] == "s" { after += 1 } else if after + 1 < text.count, text[after] == "e", text[after + 1] == "s" { after += 2 }
        return after >= text.count || !Self.isLatin(text[after])
    }
}
