public import Foundation

/// One rule of a bucket's lifecycle configuration, as S3's `PutBucketLifecycleConfiguration` takes it.
public struct S3LifecycleRule: Sendable, Hashable {
    public var id: String
    /// Objects whose key starts with this.
    public var prefix: String
    /// Current versions expire (become noncurrent behind a delete marker) this many days after creation.
    public var expirationDays: Int?
    /// Current versions move to `transitionStorageClass` this many days after creation.
    public var transitionDays: Int?
    public var transitionStorageClass: String?
    /// Noncurrent versions are deleted this many days after they were replaced …
    public var noncurrentDays: Int?
    /// … keeping the newest this-many noncurrent versions whatever their age.
    public var newerNoncurrentVersions: Int?

    public init(id: String, prefix: String, expirationDays: Int? = nil, transitionDays: Int? = nil, transitionStorageClass: String? = nil,
                noncurrentDays: Int? = nil, newerNoncurrentVersions: Int? = nil) {
        self.id = id
        self.prefix = prefix
        self.expirationDays = expirationDays
        self.transitionDays = transitionDays
        self.transitionStorageClass = transitionStorageClass
        self.noncurrentDays = noncurrentDays
        self.newerNoncurrentVersions = newerNoncurrentVersions
    }

    /// The rule as a `<Rule>` element, children in the order of S3's schema.
    var xml: String {
        var parts = ["<ID>\(S3Client.escaped(id))</ID>", "<Filter><Prefix>\(S3Client.escaped(prefix))</Prefix></Filter>", "<Status>Enabled</Status>"]
        if let days = expirationDays { parts.append("<Expiration><Days>\(days)</Days></Expiration>") }
        if let days = transitionDays, let storageClass = transitionStorageClass {
            parts.append("<Transition><Days>\(days)</Days><StorageClass>\(S3Client.escaped(storageClass))</StorageClass></Transition>")
        }
        if let days = noncurrentDays {
            let newer = newerNoncurrentVersions.map { "<NewerNoncurrentVersions>\($0)</NewerNoncurrentVersions>" } ?? ""
            parts.append("<NoncurrentVersionExpiration><NoncurrentDays>\(days)</NoncurrentDays>\(newer)</NoncurrentVersionExpiration>")
        }
        return "<Rule>" + parts.joined() + "</Rule>"
    }

    /// A rule read back from a `<Rule>` element.
    init?(_ element: S3XML.Element) {
        guard let id = element.value("ID") else { return nil }
        self.id = id
        prefix = element.child("Filter")?.value("Prefix") ?? element.value("Prefix") ?? ""
        expirationDays = element.child("Expiration")?.value("Days").flatMap(Int.init)
        transitionDays = element.child("Transition")?.value("Days").flatMap(Int.init)
        transitionStorageClass = element.child("Transition")?.value("StorageClass")
        noncurrentDays = element.child("NoncurrentVersionExpiration")?.value("NoncurrentDays").flatMap(Int.init)
        newerNoncurrentVersions = element.child("NoncurrentVersionExpiration")?.value("NewerNoncurrentVersions").flatMap(Int.init)
    }
}

extension S3Client {
    /// Replaces the bucket's lifecycle configuration with `rules`. A service that does not implement
    /// some of them answers `NotImplemented` (status 501), as SeaweedFS does for transitions and
    /// noncurrent-version expiry; the caller then applies them itself.
    public func putBucketLifecycle(_ bucket: String, rules: [S3LifecycleRule]) async throws {
        let body = Data(("<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            + rules.map(\.xml).joined() + "</LifecycleConfiguration>").utf8)
        // S3 requires an integrity header on this request (Content-MD5 or a checksum).
        try await expect(200, send("PUT", bucket: bucket, query: [("lifecycle", "")],
                                   headers: [("Content-Type", "application/xml"), ("x-amz-checksum-sha256", Self.checksum(body))], body: body))
    }

    /// The bucket's lifecycle rules; empty when it has none.
    public func bucketLifecycle(_ bucket: String) async throws -> [S3LifecycleRule] {
        let answer = try await send("GET", bucket: bucket, query: [("lifecycle", "")])
        if answer.status == 404 { return [] }
        try expect(200, answer)
        return S3XML.parse(answer.body)?.children("Rule").compactMap(S3LifecycleRule.init) ?? []
    }
}
