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
        /// The notice, with `{destination}` and `{law}` to fill in.
        let noticeTemplate: String

        /// The notice as shown for a destination.
        public func notice(destination: String, law: String) -> String {
            noticeTemplate.replacingOccurrences(of: "{destination}", with: destination).replacingOccurrences(of: "{law}", with: law)
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
                    let version: String
                    let text: String
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
            let purposes: [Entry]
        }
        let document: Document
        do {
            document = try YAMLDecoder().decode(Document.self, from: yaml)
        } catch {
            throw TransfersConfigurationError(description: "transfers file: \(error)")
        }
        var purposes: [String: Purpose] = [:]
        for entry in document.purposes {
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
                                         noticeTemplate: entry.notice.text)
        }
        self.purposes = purposes
    }
}

public struct TransfersConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
