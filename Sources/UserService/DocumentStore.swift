public import Foundation
public import KeyManagement
public import ObjectStorage
public import Sovereignty
public import ServerKit

/// A person's document as the API shows it (the bytes are fetched separately).
public struct DocumentInfo: Encodable, Sendable, Hashable {
    public let id: String
    public let kind: String
    public let contentType: String
    /// Bytes of the document (not of its sealed form).
    public let size: Int
    public let version: String
    public let storageClass: String
    public let createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, kind, size, version
        case contentType = "content_type"
        case storageClass = "storage_class"
        case createdAt = "created_at"
    }

    /// `created_at` as an RFC 3339 timestamp, as every time in the API (a `Date` would encode as
    /// seconds since 2001).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(kind, forKey: .kind)
        try container.encode(contentType, forKey: .contentType)
        try container.encode(size, forKey: .size)
        try container.encode(version, forKey: .version)
        try container.encode(storageClass, forKey: .storageClass)
        try container.encode(Timestamps.format(createdAt), forKey: .createdAt)
    }
}

/// Documents in a cell's object store, each version sealed with its owner's data key. The object key
/// is `people/<person id>/<document id>`; the kind and plaintext size travel as object metadata.
public struct DocumentStore: PersonalRecords {
    static let prefix = "people/"
    /// Bytes a sealed value adds: format byte, nonce and tag.
    static let sealingOverhead = 1 + 12 + 16

    let objects: any ObjectStore
    let cipher: PersonalDataCipher
    public let policy: DocumentPolicy

    public init(objects: any ObjectStore, cipher: PersonalDataCipher, policy: DocumentPolicy) {
        self.objects = objects
        self.cipher = cipher
        self.policy = policy
    }

    public var recordKind: String { "documents" }

    /// Stores a new version of a document (the first version creates it).
    public func store(_ data: Data, contentType: String, kind: String, owner: RegionalID, document: RegionalID) async throws -> DocumentInfo {
        let key = try Self.key(owner: owner, document: document)
        let sealed = try await cipher.seal(data, subject: owner.description, context: key.description)
        let version = try await objects.put(sealed, key: key, contentType: contentType, metadata: ["kind": kind])
        return Self.info(document: document, version)
    }

    /// The latest version (or the one named) of a person's document, decrypted.
    public func read(owner: RegionalID, document: RegionalID, version: String?) async throws -> (DocumentInfo, Data)? {
        let key = try Self.key(owner: owner, document: document)
        guard let object = try await objects.get(key, version: version) else { return nil }
        let data = try await cipher.open(object.data, subject: owner.description, context: key.description)
        return (Self.info(document: document, object.version), data)
    }

    /// The latest version of each of a person's documents.
    public func list(owner: RegionalID) async throws -> [DocumentInfo] {
        try await objects.list(prefix: "\(Self.prefix)\(owner)/").compactMap { version in
            guard let id = version.key.split(separator: "/").last.flatMap({ RegionalID(String($0)) }) else { return nil }
            return Self.info(document: id, version)
        }
    }

    /// Every version of a document, newest first; empty when there is no such document.
    public func versions(owner: RegionalID, document: RegionalID) async throws -> [DocumentInfo] {
        try await objects.versions(of: try Self.key(owner: owner, document: document)).map { Self.info(document: document, $0) }
    }

    /// Deletes a document with all its versions.
    public func delete(owner: RegionalID, document: RegionalID) async throws -> Bool {
        try await objects.delete(try Self.key(owner: owner, document: document))
    }

    /// Applies the policy's lifecycle rule to every person's documents.
    public func applyLifecycle(now: Date) async throws -> LifecycleReport {
        try await objects.applyLifecycle([policy.lifecycle], now: now)
    }

    public func erase(person: RegionalID) async throws -> Int {
        var removed = 0
        for document in try await objects.list(prefix: "\(Self.prefix)\(person)/") {
            if try await objects.delete(try ObjectKey(document.key)) { removed += 1 }
        }
        return removed
    }

    /// The object key of a document, which is also the context its versions are sealed under.
    public static func key(owner: RegionalID, document: RegionalID) throws -> ObjectKey {
        try ObjectKey("\(prefix)\(owner)/\(document)")
    }

    static func info(document: RegionalID, _ version: ObjectVersion) -> DocumentInfo {
        DocumentInfo(id: document.description, kind: version.metadata["kind"] ?? "unknown", contentType: version.contentType,
                     size: max(0, version.size - sealingOverhead), version: version.versionID,
                     storageClass: version.storageClass.rawValue, createdAt: version.createdAt)
    }
}
