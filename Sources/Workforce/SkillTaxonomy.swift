internal import Foundation
internal import Yams

/// The skills taxonomy (`config/skills.yaml`): skills with labels in several languages and links to
/// related skills. Free-text skill names map to one id, so "溶接", "용접" and "welding" are one skill.
public struct SkillTaxonomy: Sendable {
    public struct Skill: Sendable, Hashable {
        public let id: String
        public let category: String
        /// Labels by language (`en`, `ja`, `ko`); the first is the preferred one.
        public let labels: [String: [String]]
        public let related: Set<String>
    }

    /// A label as it may appear in text, with the skill it names.
    public struct Label: Sendable, Hashable {
        public let text: String
        public let language: String
        public let skillID: String
    }

    public let skills: [String: Skill]
    /// Normalised label → skill id.
    private let byLabel: [String: String]

    /// An empty taxonomy: every skill is its own normalised name, with no relations.
    public init() {
        skills = [:]
        byLabel = [:]
    }

    public init(yaml: String) throws(SkillTaxonomyError) {
        struct Entry: Decodable {
            let id: String
            let category: String
            let en: [String]?
            let ja: [String]?
            let ko: [String]?
            let related: [String]?
        }
        struct Document: Decodable { let skills: [Entry] }
        let document: Document
        do {
            document = try YAMLDecoder().decode(Document.self, from: yaml)
        } catch {
            throw SkillTaxonomyError(problems: ["\(error)"])
        }
        var problems: [String] = []
        var related: [String: Set<String>] = [:]
        var byLabel: [String: String] = [:]
        let ids = Set(document.skills.map(\.id))
        if ids.count != document.skills.count { problems.append("skill ids must be unique") }
        for entry in document.skills {
            let labels = ["en": entry.en ?? [], "ja": entry.ja ?? [], "ko": entry.ko ?? []]
            if labels.values.allSatisfy(\.isEmpty) { problems.append("\(entry.id) has no label") }
            for label in [entry.id] + labels.values.flatMap({ $0 }) {
                let key = Skills.normalise(label)
                if let other = byLabel[key], other != entry.id {
                    problems.append("label \"\(label)\" names both \(other) and \(entry.id)")
                }
                byLabel[key] = entry.id
            }
            for link in entry.related ?? [] {
                guard ids.contains(link), link != entry.id else {
                    problems.append("\(entry.id) is related to unknown skill \(link)")
                    continue
                }
                related[entry.id, default: []].insert(link)
                related[link, default: []].insert(entry.id)
            }
        }
        guard problems.isEmpty else { throw SkillTaxonomyError(problems: problems) }
        var skills: [String: Skill] = [:]
        for entry in document.skills {
            skills[entry.id] = Skill(id: entry.id, category: entry.category,
                                     labels: ["en": entry.en ?? [], "ja": entry.ja ?? [], "ko": entry.ko ?? []].filter { !$0.value.isEmpty },
                                     related: related[entry.id] ?? [])
        }
        self.skills = skills
        self.byLabel = byLabel
    }

    /// The skill id a free-text name stands for; an unknown name is its own (normalised) id.
    public func canonical(_ name: String) -> String {
        if let id = byLabel[name] { return id }
        let key = Skills.normalise(name)
        return byLabel[key] ?? key
    }

    /// Skills linked to this one.
    public func related(_ id: String) -> Set<String> {
        skills[id]?.related ?? []
    }

    /// The preferred label in a language, falling back to English and then the id.
    public func label(_ id: String, language: String = "en") -> String {
        skills[id]?.labels[language]?.first ?? skills[id]?.labels["en"]?.first ?? id
    }

    /// Every label of every skill, for finding skills in text.
    public var labels: [Label] {
        skills.values.flatMap { skill in
            skill.labels.flatMap { language, texts in texts.map { Label(text: $0, language: language, skillID: skill.id) } }
        }
    }
}

/// A taxonomy file that cannot be used, with every problem found.
public struct SkillTaxonomyError: Error, CustomStringConvertible {
    public let problems: [String]
    public var description: String { "skills taxonomy: " + problems.joined(separator: "; ") }
}
