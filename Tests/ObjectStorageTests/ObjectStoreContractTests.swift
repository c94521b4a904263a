import Foundation
import ObjectStorage
import S3Client
import Testing

/// One contract for every object store driver: the folder of the embedded default and S3 (SeaweedFS
/// in CI) keep versions, list, delete and apply lifecycle rules alike.
@Suite("Object store contract")
struct ObjectStoreContractTests {
    @Test func theFileSystemStoreKeepsTheContract() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("iworkz-objects-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try await Self.checkContract(try FileSystemObjectStore(root: root))
    }

    @Test(.enabled(if: TestS3.isAvailable, "IWORKZ_TEST_S3_URL is not set: start SeaweedFS's S3 gateway (scripts/test.sh does)"))
    func theS3StoreKeepsTheContract() async throws {
        try await TestS3.withClient { client in
            let store = S3ObjectStore(client: client, bucket: TestS3.bucket())
            try await store.prepare()
            try await store.prepare()
            try await Self.checkContract(store)
        }
    }

    static func checkContract(_ store: some ObjectStore) async throws {
        // Every put is a new version; older ones stay readable.
        let key = try ObjectKey("people/usr_jp1_1/doc_1")
        let first = try await store.put(Data("one".utf8), key: key, contentType: "text/plain", metadata: ["kind": "resume"])
        let second = try await store.put(Data("two!".utf8), key: key, contentType: "text/plain", metadata: ["kind": "resume"])
        #expect(first.versionID != second.versionID)
        #expect(try await store.get(key, version: nil)?.data == Data("two!".utf8))
        let old = try #require(try await store.get(key, version: first.versionID))
        #expect(old.data == Data("one".utf8) && old.version.size == 3 && old.version.metadata == ["kind": "resume"])
        #expect(old.version.contentType == "text/plain")
        #expect(try await store.get(key, version: "9") == nil)
        #expect(try await store.get(key, version: "../x") == nil)
        #expect(try await store.versions(of: key).map(\.versionID) == [second.versionID, first.versionID])

        // A listing shows the latest version of each object under the prefix, in key order.
        for (name, body) in [("people/usr_jp1_2/a", "1"), ("people/usr_jp1_2/a", "11"), ("people/usr_jp1_2/b", "2"), ("people/usr_jp1_3/c", "3"),
                             ("people/usr_jp1_2/b/c", "nested")] {
            _ = try await store.put(Data(body.utf8), key: try ObjectKey(name), contentType: "text/plain", metadata: [:])
        }
        let listed = try await store.list(prefix: "people/usr_jp1_2/")
        #expect(listed.map(\.key) == ["people/usr_jp1_2/a", "people/usr_jp1_2/b", "people/usr_jp1_2/b/c"])
        #expect(listed.first?.size == 2)

        // Deleting removes every version, and only that key.
        let doomed = try ObjectKey("people/usr_jp1_2/b")
        let doomedVersion = try #require(try await store.versions(of: doomed).first)
        #expect(try await store.delete(doomed))
        #expect(try await store.list(prefix: "people/usr_jp1_2/").map(\.key) == ["people/usr_jp1_2/a", "people/usr_jp1_2/b/c"])
        #expect(try await store.get(doomed, version: doomedVersion.versionID) == nil, "every version is gone")
        #expect(try await store.get(doomed, version: nil) == nil)
        #expect(try await store.delete(doomed) == false)

        // Lifecycle: the current version is archived after the rule's days (and still readable),
        // versions replaced long enough ago expire, and nothing outside the prefix is touched.
        let other = try ObjectKey("backups/x")
        _ = try await store.put(Data("x".utf8), key: other, contentType: "text/plain", metadata: [:])
        let rule = LifecycleRule(prefix: "people/usr_jp1_1/", archiveAfterDays: 90, expireNoncurrentAfterDays: 365)
        let start = Date()
        #expect(try await store.applyLifecycle([rule], now: start.addingTimeInterval(30 * 86_400)) == LifecycleReport())
        #expect(try await store.applyLifecycle([rule], now: start.addingTimeInterval(100 * 86_400)).archived == 1)
        let archived = try #require(try await store.get(key, version: nil))
        #expect(archived.version.storageClass == .archive)
        #expect(archived.data == Data("two!".utf8), "an archived object is still readable")
        #expect(archived.version.metadata == ["kind": "resume"])
        #expect(try await store.get(other, version: nil)?.version.storageClass == .standard, "rules apply under their prefix only")
        #expect(try await store.applyLifecycle([rule], now: start.addingTimeInterval(100 * 86_400)).archived == 0, "archiving happens once")
        #expect(try await store.applyLifecycle([rule], now: start.addingTimeInterval(500 * 86_400)).expired >= 1)
        let remaining = try await store.versions(of: key)
        #expect(remaining.count == 1 && remaining.first?.storageClass == .archive, "only the current version stays")
        #expect(try await store.get(key, version: nil)?.data == Data("two!".utf8))

        // At most `keep_versions` versions stay, the newest, whatever their age.
        let busy = try ObjectKey("people/usr_jp1_4/doc_4")
        var written: [String] = []
        for edition in 1...5 {
            written.append(try await store.put(Data("edition \(edition)".utf8), key: busy, contentType: "text/plain", metadata: [:]).versionID)
        }
        let kept = LifecycleRule(prefix: "people/usr_jp1_4/", archiveAfterDays: nil, expireNoncurrentAfterDays: nil, keepVersions: 3)
        #expect(try await store.applyLifecycle([kept], now: Date()).expired == 2)
        #expect(try await store.versions(of: busy).map(\.versionID) == Array(written.reversed().prefix(3)))
        #expect(try await store.get(busy, version: written[0]) == nil)
        #expect(try await store.applyLifecycle([kept], now: Date()).expired == 0)
    }
}
