public import Foundation

/// The deterministic summary: the opening sentences of the text, cut at a sentence end (Latin, CJK
/// and Korean punctuation), with the skills the taxonomy finds in it.
public struct Summarizer: Sendable {
    let extractor: SkillExtractor
    /// The longest summary, in characters.
    let maxCharacters: Int

    public init(extractor: SkillExtractor, maxCharacters: Int = 280) {
        self.extractor = extractor
        self.maxCharacters = maxCharacters
    }

    public func summarize(_ text: String) -> String {
        let sentences = Self.sentences(of: text)
        var summary = ""
        for sentence in sentences {
            guard summary.count + sentence.count <= maxCharacters else { break }
            summary += summary.isEmpty || Self.isCJK(summary.last) ? sentence : " " + sentence
        }
        if summary.isEmpty, let first = sentences.first {
            summary = String(first.prefix(maxCharacters - 1)) + "…"
        }
        // One finding per skill, so the labels are distinct.
        let skills = extractor.extract(from: text).map(\.label)
        return skills.isEmpty ? summary : summary + " Skills: " + skills.prefix(12).joined(separator: ", ") + "."
    }

    static func sentences(of text: String) -> [String] {
        var sentences: [String] = []
        var current = ""
        for character in text {
            if character.isNewline {
                flush(&current, into: &sentences)
                continue
            }
            current.append(character)
            if ".!?。！？".contains(character) { flush(&current, into: &sentences) }
        }
        flush(&current, into: &sentences)
        return sentences
    }

    private static func flush(_ current: inout String, into sentences: inout [String]) {
        let trimmed = current.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty { sentences.append(trimmed) }
        current = ""
    }

    private static func isCJK(_ character: Character?) -> Bool {
        guard let scalar = character?.unicodeScalars.first else { return false }
        return (0x3000...0x9FFF).contains(scalar.value) || (0xAC00...0xD7AF).contains(scalar.value) || (0xFF00...0xFFEF).contains(scalar.value)
    }
}
