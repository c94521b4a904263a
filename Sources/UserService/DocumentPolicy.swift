public import Foundation
public import ObjectStorage
internal import Yams

/// What may be uploaded as a document, and how long versions are kept (`config/documents.yaml`).
public struct DocumentPolicy: Sendable {
    /// The kinds of document and the content types each accepts.
    public let kinds: [String: [String]]
    public let maxBytes: Int
    public let lifecycle: LifecycleRule

    public init(kinds: [String: [String]], maxBytes: Int, lifecycle: LifecycleRule) {
        self.kinds = kinds
        self.maxBytes = maxBytes
        self.lifecycle = lifecycle
    }

    public init(yaml: String) throws(DocumentPolicyError) {
        struct File: Decodable {
            struct Lifecycle: Decodable {
                let archive_after_days: Int?
                let expire_noncurrent_after_days: Int?
                let keep_versions: Int?
            }
            let max_bytes: Int
            let kinds: [String: [String]]
            let lifecycle: Lifecycle?
        }
        let file: File
        do { file = try YAMLDecoder().decode(File.self, from: yaml) } catch {
            throw DocumentPolicyError("documents.yaml: \(error)")
        }
        guard file.max_bytes > 0, file.max_bytes <= 100 * 1024 * 1024 else {
            throw DocumentPolicyError("documents.yaml: max_bytes must be between 1 and 104857600")
        }
        guard !file.kinds.isEmpty else { throw DocumentPolicyError("documents.yaml: kinds lists no kind of document") }
        for (kind, types) in file.kinds {
            guard kind.range(of: "^[a-z][a-z_]{0,31}$", options: .regularExpression) != nil else {
                throw DocumentPolicyError("documents.yaml: kind \(kind) must be lower-case letters and '_'")
            }
            for type in types where DocumentContent.signature(of: type) == nil {
                throw DocumentPolicyError("documents.yaml: \(kind) lists \(type); supported: \(DocumentContent.supported.joined(separator: ", "))")
            }
        }
        for (name, value) in [("archive_after_days", file.lifecycle?.archive_after_days),
                              ("expire_noncurrent_after_days", file.lifecycle?.expire_noncurrent_after_days),
                              ("keep_versions", file.lifecycle?.keep_versions)] {
            if let value, value < 1 { throw DocumentPolicyError("documents.yaml: lifecycle.\(name) must be a positive whole number") }
        }
        self.init(kinds: file.kinds, maxBytes: file.max_bytes, lifecycle: LifecycleRule(
            prefix: DocumentStore.prefix, archiveAfterDays: file.lifecycle?.archive_after_days,
            expireNoncurrentAfterDays: file.lifecycle?.expire_noncurrent_after_days, keepVersions: file.lifecycle?.keep_versions))
    }
}

public struct DocumentPolicyError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Checks that bytes are what their content type says, so a script cannot be stored as a "PDF".
enum DocumentContent {
    static let supported = ["application/pdf", "image/jpeg", "image/png", "text/plain"]

    /// The check for a content type, nil when unsupported.
    static func signature(of type: String) -> (@Sendable (Data) -> Bool)? {
        switch type {
        case "application/pdf": { $0.starts(with: Array("%PDF-".utf8)) }
        case "image/jpeg": { $0.starts(with: [0xFF, 0xD8, 0xFF]) }
        case "image/png": { $0.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) }
        case "text/plain": { data in !data.contains(0) && String(validating: data, as: UTF8.self) != nil }
        default: nil
        }
    }

    /// The media type of a Content-Type header, lower-cased, without parameters.
    static func mediaType(_ header: String?) -> String? {
        guard let header else { return nil }
        let type = header.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return type?.isEmpty == false ? type : nil
    }
}
