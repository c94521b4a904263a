internal import Foundation
internal import Yams
public import Sovereignty

/// `config/transfers.yaml`: why the platform transfers personal data, the minimum it sends, and the
/// notice a person reads before consenting.
public struct TransferPurposes: Sendable {
    public struct Purpose: Sendable {
        public let id: String
        public let description: String
        /// The worker fields that leave the home cell.
        public let minimumData: [String]
        public let noticeVersion: String
        /// Who receives the data (an employer is a third party; a model's provider a processor) and how
        /// often it flows: what the transfer rules ask of every decision for this purpose.
        public let recipient: TransferRecipient
        public let flow: TransferFlow
        /// The notice's sections: element → language → text, with `{destination}`, `{law}` and
        /// `{protection_system}` to fill in.
        let noticeSections: [(element: String, texts: [String: String])]

        /// The elements the notice carries, in its order.
        public var noticeElements: [String] { noticeSections.map(\.element) }

        /// The notice as shown for a destination, in a language of ``TransferPurposes/languages``.
        public func notice(destination: String, law: String, protectionSystem: String, language: String) -> String {
            noticeSections.compactMap { $0.texts[language] }.map { text in
                text.replacingOccurrences(of: "{protection_system}", with: protectionSystem)
                    .replacingOccurrences(of: "{destination}", with: destination).replacingOccurrences(of: "{law}", with: law)
            }.joined(separator: "\n\n")
        }
    }

    /// The languages every notice is written in.
    public static let languages = ["en", "ja", "ko"]
    /// What a notice may be made of: each an element some law requires before consent.
    public static let noticeElements: Set<String> = [
        "items", "country", "protection-system", "timing-method", "recipient-contact", "purpose-retention", "recipient-measures",
        "protection-summary", "risks", "refusal",
    ]

    /// The elements each source jurisdiction's law requires in a notice before consent.
    public let noticeRequirements: [String: [String]]
    /// How each destination protects personal information, by language.
    let protectionSystems: [String: [String: String]]

    /// Each destination's name by language, for notices in the person's language.
    let destinationNames: [String: [String: String]]

    /// A destination's name in a language, or `fallback` (the rules file's English name).
    public func destinationName(of destination: String, fallback: String, language: String) -> String {
        destinationNames[destination]?[language] ?? fallback
    }

    /// The description of a destination's protection system in a language; a destination not described
    /// is said not to be assessed.
    public func protectionSystem(of destination: String, name: String, language: String) -> String {
        if let text = protectionSystems[destination]?[language] { return text }
        switch language {
        case "ja": return "\(name)の個人情報保護制度について、iWORKZは評価していません。"
        case "ko": return "iWORKZ는 \(name)의 개인정보 보호 제도를 평가하지 않았습니다."
        default: return "iWORKZ has not assessed how \(name) protects personal information."
        }
    }

    /// Worker fields a purpose may name.
    public static let knownFields: Set<String> = [
        "display_name", "skills", "languages", "residence_status", "desired_salary", "location", "desired_area", "resume_text",
    ]
    /// Fields that identify a person directly: never on a pseudonymous candidate card.
    public static let directIdentifiers: Set<String> = ["display_name", "location"]
    /// The purpose under which opted-in workers' cards are shown to employers abroad.
    public static let candidateDiscovery = "candidate-discovery"

    public let purposes: [String: Purpose]

    public init(yaml: String) throws(TransfersConfigurationError) {
        struct Document: Decodable {
            struct Entry: Decodable {
                struct Notice: Decodable {
                    struct Section: Decodable {
                        let element: String
                        let en: String?
                        let ja: String?
                        let ko: String?
                    }
                    let version: String
                    let sections: [Section]
                }
                let id: String
                let description: String
                let minimumData: [String]
                let recipient: TransferRecipient
                let flow: TransferFlow
                let notice: Notice
                enum CodingKeys: String, CodingKey {
                    case id, description, notice, recipient, flow
                    case minimumData = "minimum_data"
                }
            }
            let noticeRequirements: [String: [String]]
            let protectionSystems: [String: [String: String]]?
            let destinationNames: [String: [String: String]]?
            let purposes: [Entry]
            enum CodingKeys: String, CodingKey {
                case purposes
                case noticeRequirements = "notice_requirements"
                case protectionSystems = "protection_systems"
                case destinationNames = "destination_names"
            }
        }
        let document: Document
        do {
            document = try YAMLDecoder().decode(Document.self, from: yaml)
        } catch {
            throw TransfersConfigurationError(description: "transfers file: \(error)")
        }
        var problems: [String] = []
        for (regime, elements) in document.noticeRequirements {
            for element in elements where !Self.noticeElements.contains(element) { problems.append("\(regime) requires unknown notice element \(element)") }
        }
        for (destination, texts) in document.protectionSystems ?? [:] {
            for language in Self.languages where (texts[language] ?? "").isEmpty { problems.append("protection system of \(destination) has no \(language) text") }
        }
        for (destination, names) in document.destinationNames ?? [:] {
            for language in Self.languages where (names[language] ?? "").isEmpty { problems.append("destination \(destination) has no \(language) name") }
        }
        let required = Set(document.noticeRequirements.values.joined())
        var purposes: [String: Purpose] = [:]
        for entry in document.purposes {
            // Every notice carries every element any regime requires, in every language, so that whoever
            // reads it, from wherever, was told what their law says they must be told.
            var sections: [(element: String, texts: [String: String])] = []
            for section in entry.notice.sections {
                if !Self.noticeElements.contains(section.element) { problems.append("purpose \(entry.id): unknown notice element \(section.element)") }
                let texts = ["en": section.en, "ja": section.ja, "ko": section.ko].compactMapValues { $0 }.filter { !$0.value.isEmpty }
                for language in Self.languages where texts[language] == nil {
                    problems.append("purpose \(entry.id): notice element \(section.element) has no \(language) text")
                }
                sections.append((section.element, texts))
            }
            for element in required.subtracting(sections.map(\.element)).sorted() {
                problems.append("purpose \(entry.id): the notice lacks \(element), which \(document.noticeRequirements.filter { $0.value.contains(element) }.keys.sorted().joined(separator: ", ")) requires")
            }
            let unknown = Set(entry.minimumData).subtracting(Self.knownFields)
            guard unknown.isEmpty else {
                throw TransfersConfigurationError(description: "transfers file: purpose \(entry.id) names unknown fields \(unknown.sorted())")
            }
            if entry.id == Self.candidateDiscovery, !Set(entry.minimumData).isDisjoint(with: Self.directIdentifiers) {
                throw TransfersConfigurationError(
                    description: "transfers file: \(entry.id) is pseudonymous and may not name \(Self.directIdentifiers.sorted())")
            }
            purposes[entry.id] = Purpose(id: entry.id, description: entry.description, minimumData: entry.minimumData,
                                         noticeVersion: entry.notice.version, recipient: entry.recipient, flow: entry.flow,
                                         noticeSections: sections)
        }
        guard problems.isEmpty else { throw TransfersConfigurationError(description: "transfers file: " + problems.joined(separator: "; ")) }
        self.purposes = purposes
        noticeRequirements = document.noticeRequirements
        protectionSystems = document.protectionSystems ?? [:]
        destinationNames = document.destinationNames ?? [:]
    }
}

public struct TransfersConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
