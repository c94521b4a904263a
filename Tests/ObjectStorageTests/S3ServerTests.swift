import AsyncHTTPClient
import Foundation
import ObjectStorage
import S3Client
import Testing

/// The S3 server the tests run against: `IWORKZ_TEST_S3_URL` with `IWORKZ_TEST_S3_ACCESS_KEY` and
/// `IWORKZ_TEST_S3_SECRET_KEY` (scripts/test.sh starts SeaweedFS and sets them).
enum TestS3 {
    static let environment = ProcessInfo.processInfo.environment
    static var isAvailable: Bool { environment["IWORKZ_TEST_S3_URL"] != nil }

    static func configuration(secret: String? = nil) throws -> S3Client.Configuration {
        let url = try #require(environment["IWORKZ_TEST_S3_URL"].flatMap(URL.init(string:)))
        return S3Client.Configuration(endpoint: url, region: "us-east-1", credentials: AWSCredentials(
            accessKeyID: environment["IWORKZ_TEST_S3_ACCESS_KEY"] ?? "", secretAccessKey: secret ?? environment["IWORKZ_TEST_S3_SECRET_KEY"] ?? ""))
    }

    static func withClient(secret: String? = nil, _ body: (S3Client) async throws -> Void) async throws {
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await body(S3Client(configuration: try configuration(secret: secret), client: http))
        } catch {
            try await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    /// A bucket name of its own for each test.
    static func bucket() -> String { "iworkz-test-\(UUID().uuidString.lowercased().prefix(18))" }
}

/// The client against a real S3 server (SeaweedFS in CI): versioned objects, metadata, listings,
/// deletion, and a wrong secret refused — the server checks every signature.
@Suite("S3 client against a real server",
       .enabled(if: TestS3.isAvailable, "IWORKZ_TEST_S3_URL is not set: start SeaweedFS's S3 gateway (scripts/test.sh does)"))
struct S3ServerTests {
    @Test func versionsOfAnObjectAreKeptAndReadable() async throws {
        try await TestS3.withClient { s3 in
            let bucket = TestS3.bucket()
            try await s3.createBucket(bucket)
            try await s3.createBucket(bucket)
            try await s3.enableVersioning(bucket)
            #expect(try await s3.isVersioningEnabled(bucket))
            let key = "people/usr_jp1_0001/résumé v1.pdf"
            let first = try await s3.putObject(bucket, key: key, data: Data("one".utf8), contentType: "application/pdf",
                                               metadata: ["data-key-version": "3"])
            let second = try await s3.putObject(bucket, key: key, data: Data("two".utf8), contentType: "application/pdf")
            let firstID = try #require(first)
            #expect(second != nil && second != first)

            let latest = try #require(try await s3.getObject(bucket, key: key))
            #expect(latest.data == Data("two".utf8))
            #expect(latest.contentType == "application/pdf")
            let old = try #require(try await s3.getObject(bucket, key: key, versionID: firstID))
            #expect(old.data == Data("one".utf8))
            #expect(old.metadata["data-key-version"] == "3")

            let versions = try await s3.listVersions(bucket, prefix: "people/")
            #expect(versions.filter { $0.key == key }.count == 2)
            #expect(versions.first { $0.isLatest }?.versionID == second)

            try await s3.deleteObject(bucket, key: key, versionID: firstID)
            #expect(try await s3.getObject(bucket, key: key, versionID: firstID) == nil)
            try await s3.deleteObject(bucket, key: key, versionID: second)
            #expect(try await s3.getObject(bucket, key: key) == nil)
            #expect(try await s3.listVersions(bucket, prefix: "people/").filter { !$0.isDeleteMarker }.isEmpty)
        }
    }

    @Test func aLargeObjectIsUploadedInPartsAndReadBackWhole() async throws {
        try await TestS3.withClient { s3 in
            let store = S3ObjectStore(client: s3, bucket: TestS3.bucket(), multipartThreshold: 5 << 20, partSize: 5 << 20)
            try await store.prepare()
            // Bytes that depend on their position, so parts put back in another order would not compare equal.
            let data = Data((0..<(11 << 20)).map { (position: Int) in UInt8(truncatingIfNeeded: position ^ (position >> 8) ^ (position >> 16)) })
            let key = try ObjectKey("backups/cell-jp-tokyo.sqlite")
            let version = try await store.put(data, key: key, contentType: "application/octet-stream", metadata: ["kind": "backup"])
            let read = try #require(try await store.get(key, version: version.versionID))
            #expect(read.data == data, "three parts, one object")
            #expect(read.version.metadata == ["kind": "backup"] && read.version.contentType == "application/octet-stream")
            #expect(try await store.versions(of: key).map(\.versionID) == [version.versionID])
        }
    }

    /// Every upload carries its SHA-256: the server refuses a body that does not match and returns
    /// the checksum on reads, where the client checks it again.
    @Test func uploadsCarryChecksumsTheServerChecks() async throws {
        try await TestS3.withClient { s3 in
            let bucket = TestS3.bucket()
            try await s3.createBucket(bucket)
            try await s3.enableVersioning(bucket)
            let data = Data("résumé".utf8)
            try await s3.putObject(bucket, key: "a.txt", data: data, contentType: "text/plain")
            let read = try #require(try await s3.getObject(bucket, key: "a.txt"))
            #expect(read.checksumSHA256 == S3Client.checksum(data), "the server kept the checksum sent")
            let error = await #expect(throws: S3Error.self) {
                try await s3.putObject(bucket, key: "b.txt", data: data, contentType: "text/plain", checksumSHA256: S3Client.checksum(Data("other".utf8)))
            }
            #expect(error?.code == "BadDigest", "\(String(describing: error))")
            #expect(try await s3.getObject(bucket, key: "b.txt") == nil, "nothing was stored")

            let store = S3ObjectStore(client: s3, bucket: bucket, multipartThreshold: 5 << 20, partSize: 5 << 20)
            let large = Data(repeating: 7, count: 11 << 20)
            let version = try await store.put(large, key: try ObjectKey("large.bin"), contentType: "application/octet-stream", metadata: [:])
            let whole = try #require(try await s3.getObject(bucket, key: "large.bin", versionID: version.versionID))
            #expect(whole.checksumSHA256?.hasSuffix("-3") == true, "three parts, each checked on upload: \(whole.checksumSHA256 ?? "none")")
        }
    }

    /// Rules the service implements go to the bucket; SeaweedFS takes expirations and
    /// noncurrent-version expiry and refuses transitions as not implemented. The store applies the
    /// rules itself either way.
    @Test func lifecycleRulesGoToTheBucketWhereTheServiceImplementsThem() async throws {
        try await TestS3.withClient { s3 in
            let bucket = TestS3.bucket()
            try await s3.createBucket(bucket)
            let expiring = S3LifecycleRule(id: "drafts", prefix: "drafts/", expirationDays: 7)
            try await s3.putBucketLifecycle(bucket, rules: [expiring])
            #expect(try await s3.bucketLifecycle(bucket) == [expiring])
            let documents = LifecycleRule(prefix: "documents/", archiveAfterDays: 90, expireNoncurrentAfterDays: 365, keepVersions: 30)
            let error = await #expect(throws: S3Error.self) {
                try await s3.putBucketLifecycle(bucket, rules: S3ObjectStore.bucketRules(for: documents))
            }
            #expect(error?.status == 501, "\(String(describing: error))")
            let store = S3ObjectStore(client: s3, bucket: bucket)
            try await store.prepare()
            #expect(try await store.applyLifecycle([documents], now: Date()) == LifecycleReport(), "not handed over; nothing due yet")
            let kept = LifecycleRule(prefix: "documents/", archiveAfterDays: nil, expireNoncurrentAfterDays: nil, keepVersions: 30)
            #expect(try await store.applyLifecycle([kept], now: Date()) == LifecycleReport(handedToStore: true),
                    "SeaweedFS takes noncurrent-version expiry; the pass applies it too")
            #expect(try await s3.bucketLifecycle(bucket) == S3ObjectStore.bucketRules(for: kept))
        }
    }

    @Test func aWrongSecretIsRefused() async throws {
        let bucket = TestS3.bucket()
        try await TestS3.withClient { s3 in try await s3.createBucket(bucket) }
        try await TestS3.withClient(secret: "not-the-secret") { s3 in
            let error = await #expect(throws: S3Error.self) {
                try await s3.putObject(bucket, key: "x.txt", data: Data("x".utf8), contentType: "text/plain")
            }
            #expect(error?.status == 403)
            #expect(error?.code == "SignatureDoesNotMatch" || error?.code == "AccessDenied", "\(String(describing: error))")
        }
    }
}

/// The platform's lifecycle rule as S3 rules: S3 deletes a noncurrent version only when it is both
/// old enough and beyond the versions kept, so "either" takes two rules.
@Test func theDocumentRuleBecomesTwoBucketRules() {
    let rules = S3ObjectStore.bucketRules(for: LifecycleRule(prefix: "documents/", archiveAfterDays: 90, expireNoncurrentAfterDays: 365, keepVersions: 30))
    #expect(rules == [
        S3LifecycleRule(id: "iworkz documents/", prefix: "documents/", transitionDays: 90, transitionStorageClass: "GLACIER_IR", noncurrentDays: 365),
        S3LifecycleRule(id: "iworkz documents/ keep 30", prefix: "documents/", noncurrentDays: 1, newerNoncurrentVersions: 29),
    ])
    #expect(S3ObjectStore.bucketRules(for: LifecycleRule(prefix: "tmp/", archiveAfterDays: nil, expireNoncurrentAfterDays: nil)).isEmpty)
}
