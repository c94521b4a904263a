import Foundation
import ObjectStorage
import Synchronization
import Testing

@Suite("Filesystem object store")
struct FileSystemObjectStoreTests {
    final class Clock: Sendable {
        let date = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        func now() -> Date { date.withLock { $0 } }
        func advance(days: Double) { date.withLock { $0 = $0.addingTimeInterval(days * 86_400) } }
    }

    static func store(_ clock: Clock = Clock()) throws -> (FileSystemObjectStore, URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("iworkz-objects-\(UUID().uuidString)")
        return (try FileSystemObjectStore(root: root, now: { clock.now() }), root)
    }

    @Test func everyPutIsANewVersionAndOldVersionsStayReadable() async throws {
        let (store, root) = try Self.store()
        defer { try? FileManager.default.removeItem(at: root) }
        let key = try ObjectKey("people/usr_1/doc_1")
        let first = try await store.put(Data("one".utf8), key: key, contentType: "text/plain", metadata: ["kind": "resume"])
        let second = try await store.put(Data("two!".utf8), key: key, contentType: "text/plain", metadata: ["kind": "resume"])
        #expect(first.versionID == "00000001" && second.versionID == "00000002")
        #expect(try await store.get(key, version: nil)?.data == Data("two!".utf8))
        #expect(try await store.get(key, version: "1")?.data == Data("one".utf8))
        #expect(try await store.get(key, version: "00000001")?.version.size == 3)
        #expect(try await store.get(key, version: "9") == nil)
        #expect(try await store.get(key, version: "../x") == nil)
        #expect(try await store.versions(of: key).map(\.versionID) == ["00000002", "00000001"])
        #expect(try await store.get(key, version: nil)?.version.metadata == ["kind": "resume"])
    }

    @Test func listingByPrefixShowsTheLatestVersionOfEachObject() async throws {
        let (store, root) = try Self.store()
        defer { try? FileManager.default.removeItem(at: root) }
        for (key, body) in [("people/usr_1/a", "1"), ("people/usr_1/a", "11"), ("people/usr_1/b", "2"), ("people/usr_2/c", "3"),
                            ("people/usr_1/b/c", "nested")] {
            _ = try await store.put(Data(body.utf8), key: try ObjectKey(key), contentType: "text/plain", metadata: [:])
        }
        let listed = try await store.list(prefix: "people/usr_1/")
        #expect(listed.map(\.key) == ["people/usr_1/a", "people/usr_1/b", "people/usr_1/b/c"])
        #expect(listed.first?.size == 2)
        #expect(try await store.delete(try ObjectKey("people/usr_1/b")))
        #expect(try await store.list(prefix: "people/usr_1/").map(\.key) == ["people/usr_1/a", "people/usr_1/b/c"],
                "deleting a key keeps the longer keys below it")
        #expect(try await store.get(try ObjectKey("people/usr_1/b"), version: "1") == nil, "every version is gone")
        #expect(try await store.delete(try ObjectKey("people/usr_1/b")) == false)
    }

    @Test func concurrentPutsOfOneKeyNeverOverwriteEachOther() async throws {
        let (store, root) = try Self.store()
        defer { try? FileManager.default.removeItem(at: root) }
        let key = try ObjectKey("race")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask { _ = try await store.put(Data("\(index)".utf8), key: key, contentType: "text/plain", metadata: [:]) }
            }
            try await group.waitForAll()
        }
        let versions = try await store.versions(of: key)
        #expect(versions.count == 20)
        var bodies = Set<String>()
        for version in versions {
            bodies.insert(String(decoding: try #require(try await store.get(key, version: version.versionID)).data, as: UTF8.self))
        }
        #expect(bodies == Set((0..<20).map(String.init)))
    }

    @Test func keysThatCouldEscapeTheFolderAreRefused() {
        for bad in ["", "../etc/passwd", "a/../../b", "/abs", "a//b", "a/./b", "a b", "a@1", "a\\b", String(repeating: "x", count: 513)] {
            #expect(throws: ObjectStoreError.self, "\(bad) is refused") { try ObjectKey(bad) }
        }
        #expect((try? ObjectKey("people/usr_jp1_x/doc-1.v2")) != nil)
    }

    @Test func lifecycleArchivesOldObjectsAndExpiresReplacedVersions() async throws {
        let clock = Clock()
        let (store, root) = try Self.store(clock)
        defer { try? FileManager.default.removeItem(at: root) }
        let old = try ObjectKey("people/usr_1/old"), fresh = try ObjectKey("people/usr_1/fresh"), other = try ObjectKey("backups/x")
        _ = try await store.put(Data("v1".utf8), key: old, contentType: "text/plain", metadata: [:])
        _ = try await store.put(Data("x".utf8), key: other, contentType: "text/plain", metadata: [:])
        clock.advance(days: 10)
        _ = try await store.put(Data("v2".utf8), key: old, contentType: "text/plain", metadata: [:])
        clock.advance(days: 85)
        _ = try await store.put(Data("new".utf8), key: fresh, contentType: "text/plain", metadata: [:])
        let rule = LifecycleRule(prefix: "people/", archiveAfterDays: 90, expireNoncurrentAfterDays: 365)

        // Day 95: v2 of `old` is 85 days old, v1 was replaced 85 days ago.
        #expect(try await store.applyLifecycle([rule], now: clock.now()) == LifecycleReport(archived: 0, expired: 0))
        clock.advance(days: 10)
        #expect(try await store.applyLifecycle([rule], now: clock.now()) == LifecycleReport(archived: 1, expired: 0))
        #expect(try await store.get(old, version: nil)?.version.storageClass == .archive)
        #expect(try await store.get(old, version: nil)?.data == Data("v2".utf8), "an archived object is still readable")
        #expect(try await store.get(fresh, version: nil)?.version.storageClass == .standard)
        #expect(try await store.get(other, version: nil)?.version.storageClass == .standard, "rules apply under their prefix only")
        #expect(try await store.applyLifecycle([rule], now: clock.now()) == LifecycleReport(archived: 0, expired: 0), "archiving happens once")

        clock.advance(days: 300)
        let report = try await store.applyLifecycle([rule], now: clock.now())
        #expect(report.expired == 1)
        #expect(try await store.versions(of: old).map(\.versionID) == ["00000002"], "the replaced version expired, the current one stays")
    }
}
