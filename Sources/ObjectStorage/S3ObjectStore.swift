public import Foundation
public import S3Client

/// ``ObjectStore`` on an S3-compatible service: one versioned bucket per region, an object per key,
/// S3's version ids. The bytes are sealed by the caller before they get here (per-person data keys),
/// so the service holds ciphertext only.
///
/// Lifecycle rules go to the bucket's own lifecycle configuration when the service takes them (AWS
/// S3; SeaweedFS answers `NotImplemented` to transitions), and ``applyLifecycle(_:now:)`` applies
/// them itself in any case — a service may accept rules it does not enforce, and applying a rule
/// twice deletes nothing twice. The platform's lifecycle service runs it daily: a current version
/// past `archive_after_days` is copied onto itself in the archive storage class (S3's
/// copy-in-place, which makes the copy the current version), and versions replaced longer ago than
/// `expire_noncurrent_after_days`, or past the newest `keep_versions`, are deleted.
public struct S3ObjectStore: ObjectStore {
    let s3: S3Client
    public let bucket: String
    /// Bodies larger than this are uploaded in parts of ``partSize`` bytes.
    public let multipartThreshold: Int
    public let partSize: Int

    public init(client: S3Client, bucket: String, multipartThreshold: Int = 16 << 20, partSize: Int = 8 << 20) {
        self.s3 = client
        self.bucket = bucket
        self.multipartThreshold = multipartThreshold
        self.partSize = partSize
    }

    /// Creates the bucket when it is missing and turns versioning on (every put keeps the versions before).
    public func prepare() async throws {
        try await s3.createBucket(bucket)
        if try await !s3.isVersioningEnabled(bucket) { try await s3.enableVersioning(bucket) }
    }

    public func put(_ data: Data, key: ObjectKey, contentType: String, metadata: [String: String]) async throws -> ObjectVersion {
        let version = data.count > multipartThreshold
            ? try await s3.putObjectInParts(bucket, key: key.description, data: data, contentType: contentType, metadata: metadata, partSize: partSize)
            : try await s3.putObject(bucket, key: key.description, data: data, contentType: contentType, metadata: metadata)
        guard let version else { throw ObjectStoreError.io("bucket \(bucket) is not versioned: run prepare() first") }
        return ObjectVersion(key: key.description, versionID: version, contentType: contentType, size: data.count, createdAt: Date(),
                             storageClass: .standard, metadata: metadata)
    }

    public func get(_ key: ObjectKey, version: String?) async throws -> StoredObject? {
        let found: S3Client.Object?
        do {
            found = try await s3.getObject(bucket, key: key.description, versionID: version)
        } catch let error as S3Error where error.status == 400 && version != nil {
            // A version id the service cannot even parse names no version.
            return nil
        }
        guard let object = found else { return nil }
        return StoredObject(version: Self.version(of: key.description, object, fallbackID: version), data: object.data)
    }

    public func versions(of key: ObjectKey) async throws -> [ObjectVersion] {
        // S3 lists the versions of a key newest first.
        let entries = try await s3.listVersions(bucket, prefix: key.description).filter { $0.key == key.description && !$0.isDeleteMarker }
        var versions: [ObjectVersion] = []
        for entry in entries {
            guard let object = try await s3.headObject(bucket, key: entry.key, versionID: entry.versionID) else { continue }
            versions.append(Self.version(of: entry.key, object, fallbackID: entry.versionID, created: entry.lastModified))
        }
        return versions
    }

    public func list(prefix: String) async throws -> [ObjectVersion] {
        let latest = try await s3.listVersions(bucket, prefix: prefix).filter { $0.isLatest && !$0.isDeleteMarker }.sorted { $0.key < $1.key }
        var versions: [ObjectVersion] = []
        for entry in latest {
            guard let object = try await s3.headObject(bucket, key: entry.key, versionID: entry.versionID) else { continue }
            versions.append(Self.version(of: entry.key, object, fallbackID: entry.versionID, created: entry.lastModified))
        }
        return versions
    }

    @discardableResult
    public func delete(_ key: ObjectKey) async throws -> Bool {
        let entries = try await s3.listVersions(bucket, prefix: key.description).filter { $0.key == key.description }
        for entry in entries { try await s3.deleteObject(bucket, key: entry.key, versionID: entry.versionID) }
        return entries.contains { !$0.isDeleteMarker }
    }

    public func applyLifecycle(_ rules: [LifecycleRule], now: Date) async throws -> LifecycleReport {
        var report = LifecycleReport()
        let bucketRules = rules.flatMap(Self.bucketRules)
        if !bucketRules.isEmpty {
            do {
                try await s3.putBucketLifecycle(bucket, rules: bucketRules)
                report.handedToStore = true
            } catch is S3Error {
                // Not implemented (501), or not permitted to this caller: the pass below is all there is.
            }
        }
        for rule in rules {
            for latest in try await list(prefix: rule.prefix) {
                let key = try ObjectKey(latest.key)
                if let days = rule.archiveAfterDays, latest.storageClass == .standard,
                   now.timeIntervalSince(latest.createdAt) >= Double(days) * 86_400 {
                    try await s3.changeStorageClass(bucket, key: latest.key, versionID: latest.versionID, to: StorageClass.archive.rawValue)
                    report.archived += 1
                }
                guard rule.expireNoncurrentAfterDays != nil || rule.keepVersions != nil else { continue }
                for older in rule.expired(try await versions(of: key), now: now) {
                    try await s3.deleteObject(bucket, key: older.key, versionID: older.versionID)
                    report.expired += 1
                }
            }
        }
        return report
    }

    static func version(of key: String, _ object: S3Client.Object, fallbackID: String?, created: Date? = nil) -> ObjectVersion {
        ObjectVersion(key: key, versionID: object.versionID ?? fallbackID ?? "null", contentType: object.contentType, size: object.size,
                      createdAt: created ?? object.lastModified ?? .distantPast,
                      storageClass: StorageClass(rawValue: object.storageClass) ?? .standard, metadata: object.metadata)
    }

    /// A rule as S3 lifecycle rules. S3 deletes a noncurrent version when it is both old enough and
    /// beyond the newest N kept, where the platform's rule deletes it when either holds, so the two
    /// conditions become two rules; and S3 counts only noncurrent versions, and waits at least a day.
    public static func bucketRules(for rule: LifecycleRule) -> [S3LifecycleRule] {
        var rules: [S3LifecycleRule] = []
        if rule.archiveAfterDays != nil || rule.expireNoncurrentAfterDays != nil {
            rules.append(S3LifecycleRule(id: "iworkz \(rule.prefix)", prefix: rule.prefix, transitionDays: rule.archiveAfterDays,
                                         transitionStorageClass: rule.archiveAfterDays.map { _ in StorageClass.archive.rawValue },
                                         noncurrentDays: rule.expireNoncurrentAfterDays))
        }
        if let keep = rule.keepVersions {
            rules.append(S3LifecycleRule(id: "iworkz \(rule.prefix) keep \(keep)", prefix: rule.prefix, noncurrentDays: 1,
                                         newerNoncurrentVersions: max(0, keep - 1)))
        }
        return rules
    }
}
