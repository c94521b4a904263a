public import Foundation

/// Where a cell keeps objects (documents, backups): the seam between services and a driver — the
/// filesystem in the all-in-one process, an S3-compatible service in production.
///
/// Every put creates a new version; older versions stay readable until deleted or expired by a
/// lifecycle rule.
public protocol ObjectStore: Sendable {
    /// Stores a new version of the object and returns it.
    func put(_ data: Data, key: ObjectKey, contentType: String, metadata: [String: String]) async throws -> ObjectVersion
    /// The latest version, or the one named; nil when there is none.
    func get(_ key: ObjectKey, version: String?) async throws -> StoredObject?
    /// Every version of an object, newest first.
    func versions(of key: ObjectKey) async throws -> [ObjectVersion]
    /// The latest version of every object whose key starts with the prefix, ordered by key.
    func list(prefix: String) async throws -> [ObjectVersion]
    /// Removes the object with all its versions, for good. Returns whether it existed.
    @discardableResult
    func delete(_ key: ObjectKey) async throws -> Bool
    /// Applies lifecycle rules as of a date: archives current versions and expires old ones.
    func applyLifecycle(_ rules: [LifecycleRule], now: Date) async throws -> LifecycleReport
}

/// An object's key: segments of letters, digits, `.`, `_` and `-` joined by `/`, at most 512 bytes.
public struct ObjectKey: Sendable, Hashable, CustomStringConvertible {
    public let description: String

    public init(_ text: String) throws(ObjectStoreError) {
        guard !text.isEmpty, text.utf8.count <= 512 else { throw .invalidKey("an object key has 1 to 512 bytes") }
        for segment in text.split(separator: "/", omittingEmptySubsequences: false) {
            guard !segment.isEmpty, segment != ".", segment != "..",
                  segment.utf8.allSatisfy({ Self.allowed.contains($0) }) else {
                throw .invalidKey("object key segments use letters, digits, '.', '_' and '-' only")
            }
        }
        description = text
    }

    private static let allowed = Set(Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-".utf8))
}

/// One stored version of an object.
public struct ObjectVersion: Sendable, Hashable, Codable {
    public let key: String
    public let versionID: String
    public let contentType: String
    /// Stored bytes.
    public let size: Int
    public let createdAt: Date
    public var storageClass: StorageClass
    public let metadata: [String: String]

    public init(key: String, versionID: String, contentType: String, size: Int, createdAt: Date, storageClass: StorageClass,
                metadata: [String: String]) {
        self.key = key
        self.versionID = versionID
        self.contentType = contentType
        self.size = size
        self.createdAt = createdAt
        self.storageClass = storageClass
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case key, size, metadata
        case versionID = "version_id"
        case contentType = "content_type"
        case createdAt = "created_at"
        case storageClass = "storage_class"
    }
}

/// An object's bytes with the version they belong to.
public struct StoredObject: Sendable {
    public let version: ObjectVersion
    public let data: Data

    public init(version: ObjectVersion, data: Data) {
        self.version = version
        self.data = data
    }
}

/// How quickly an object can be read back (the S3 storage classes a lifecycle rule moves between).
public enum StorageClass: String, Sendable, Codable {
    case standard = "STANDARD"
    case archive = "GLACIER_IR"
}

/// A lifecycle rule over the objects under a prefix.
public struct LifecycleRule: Sendable, Hashable, Codable {
    public let prefix: String
    /// Current versions older than this move to ``StorageClass/archive``.
    public let archiveAfterDays: Int?
    /// Versions replaced by a newer one longer ago than this are deleted.
    public let expireNoncurrentAfterDays: Int?
    /// At most this many versions of an object are kept (the current one included); older ones are
    /// deleted whatever their age (the seed's "30 versions kept").
    public let keepVersions: Int?

    public init(prefix: String, archiveAfterDays: Int?, expireNoncurrentAfterDays: Int?, keepVersions: Int? = nil) {
        self.prefix = prefix
        self.archiveAfterDays = archiveAfterDays
        self.expireNoncurrentAfterDays = expireNoncurrentAfterDays
        self.keepVersions = keepVersions
    }

    enum CodingKeys: String, CodingKey {
        case prefix
        case archiveAfterDays = "archive_after_days"
        case expireNoncurrentAfterDays = "expire_noncurrent_after_days"
        case keepVersions = "keep_versions"
    }

    /// Of an object's versions, newest first, those this rule deletes as of `now`: every one past
    /// ``keepVersions``, and each replaced longer ago than ``expireNoncurrentAfterDays`` (a version
    /// became noncurrent when the next newer one was written). The current version is never deleted.
    public func expired(_ versions: [ObjectVersion], now: Date) -> [ObjectVersion] {
        var doomed: [ObjectVersion] = []
        for (position, pair) in zip(versions, versions.dropFirst()).enumerated() {
            let (newer, older) = pair
            let beyondCount = keepVersions.map { position + 1 >= max(1, $0) } ?? false
            let replacedLongAgo = expireNoncurrentAfterDays.map { now.timeIntervalSince(newer.createdAt) >= Double($0) * 86_400 } ?? false
            if beyondCount || replacedLongAgo { doomed.append(older) }
        }
        return doomed
    }
}

/// What one lifecycle pass did.
public struct LifecycleReport: Sendable, Equatable {
    public var archived = 0
    public var expired = 0
    /// The rules were also handed to the store to apply on its own (an S3 bucket's lifecycle
    /// configuration, where the service implements it).
    public var handedToStore = false

    public init(archived: Int = 0, expired: Int = 0, handedToStore: Bool = false) {
        self.archived = archived
        self.expired = expired
        self.handedToStore = handedToStore
    }
}

public enum ObjectStoreError: Error, Equatable, CustomStringConvertible {
    case invalidKey(String)
    case io(String)

    public var description: String {
        switch self {
        case .invalidKey(let detail): "invalid object key: \(detail)"
        case .io(let detail): "object store: \(detail)"
        }
    }
}
