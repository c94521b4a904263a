public import Foundation
public import ServerKit
public import Sovereignty

/// A message for a person, waiting in the outbox until a sender delivers it.
public struct OutgoingMessage: Codable, Sendable, Equatable {
    public let id: String
    /// Whom the message is about (for erasure); never shown to the recipient.
    public let subject: String
    public let to: String
    public let title: String
    public let text: String
    public let createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, subject, to, title, text
        case createdAt = "created_at"
    }

    public init(id: String = UUID().uuidString.lowercased(), subject: String, to: String, title: String, text: String, createdAt: String) {
        self.id = id
        self.subject = subject
        self.to = to
        self.title = title
        self.text = text
        self.createdAt = createdAt
    }
}

/// Where messages to people wait for a sender (mail, SMS). The seam between a cell and delivery.
public protocol MessageOutbox: PersonalRecords {
    func enqueue(_ message: OutgoingMessage) async throws
    /// Messages not yet delivered, oldest first.
    func pending() async throws -> [OutgoingMessage]
}

/// The embedded outbox: one JSON file per message in a folder of the cell, readable by its owner
/// only. A sender drains it by delivering a file and removing it; a developer reads it directly.
public struct FolderOutbox: MessageOutbox {
    public let directory: URL
    public var recordKind: String { "messages" }

    public init(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        self.directory = directory
    }

    public func enqueue(_ message: OutgoingMessage) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = try encoder.encode(message)
        let file = directory.appendingPathComponent("\(message.createdAt.filter(\.isNumber))-\(message.id).json")
        // Written elsewhere first and moved in, so a sender never reads half a message.
        let partial = directory.appendingPathComponent(".\(message.id).partial")
        guard FileManager.default.createFile(atPath: partial.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        try FileManager.default.moveItem(at: partial, to: file)
    }

    public func pending() async throws -> [OutgoingMessage] {
        try files().compactMap { try? JSONDecoder().decode(OutgoingMessage.self, from: Data(contentsOf: $0)) }
    }

    public func erase(person: RegionalID) async throws -> Int {
        var removed = 0
        for file in try files() {
            guard let message = try? JSONDecoder().decode(OutgoingMessage.self, from: Data(contentsOf: file)),
                  message.subject == person.description else { continue }
            try FileManager.default.removeItem(at: file)
            removed += 1
        }
        return removed
    }

    private func files() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}
