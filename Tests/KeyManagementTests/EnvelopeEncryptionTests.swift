import Crypto
import Foundation
import KeyManagement
import Logging
import Storage
import SQLKit
import Testing

@Suite("Envelope encryption and crypto-shredding")
struct EnvelopeEncryptionTests {
    /// A key store and key-encryption keys in a fresh folder.
    struct Fixture {
        let folder: URL
        let store: SQLiteCellDatabase
        let keys: LocalKeyEncryptionKeys
        var vault: DataKeyVault { DataKeyVault(database: store, keys: keys) }
        var cipher: PersonalDataCipher { PersonalDataCipher(vault: vault) }

        static func make() async throws -> Fixture {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("iworkz-keys-\(UUID().uuidString)")
            let store = try await DataKeyVault.openStore(path: folder.appendingPathComponent("data-keys.sqlite").path,
                                                         logger: Logger(label: "test"))
            return Fixture(folder: folder, store: store, keys: try LocalKeyEncryptionKeys(directory: folder.appendingPathComponent("kek")))
        }

        func close() async {
            try? await store.close()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    @Test func sealedDataOpensOnlyForItsPersonAndContext() async throws {
        let fixture = try await Fixture.make()
        let cipher = fixture.cipher
        let plain = Data("Park Ji-soo, 1990-04-02".utf8)
        let sealed = try await cipher.seal(plain, subject: "usr_a", context: "users.document")
        #expect(try await cipher.open(sealed, subject: "usr_a", context: "users.document") == plain)
        #expect(sealed.range(of: plain) == nil, "the plaintext is not in the sealed bytes")
        await #expect(throws: KeyManagementError.self) { try await cipher.open(sealed, subject: "usr_a", context: "other.field") }
        _ = try await cipher.seal(Data("x".utf8), subject: "usr_b", context: "users.document")
        await #expect(throws: KeyManagementError.self, "another person's key does not open it") {
            try await cipher.open(sealed, subject: "usr_b", context: "users.document")
        }
        var tampered = sealed
        tampered[tampered.count - 20] ^= 0x01
        await #expect(throws: KeyManagementError.self) { try await cipher.open(tampered, subject: "usr_a", context: "users.document") }
        await fixture.close()
    }

    @Test func destroyingTheDataKeyMakesEveryCopyUnreadableAndLeavesNoTraceInTheKeyStore() async throws {
        let fixture = try await Fixture.make()
        let cipher = fixture.cipher
        let copy = try await cipher.seal(Data("résumé".utf8), subject: "usr_gone", context: "doc")
        let kept = try await cipher.seal(Data("stays".utf8), subject: "usr_kept", context: "doc")
        let wrapped = try #require(try await fixture.store.sql.raw("SELECT wrapped FROM data_keys WHERE subject = 'usr_gone'").first())
            .decode(column: "wrapped", as: Data.self)

        #expect(try await fixture.vault.destroy(subject: "usr_gone"))
        await #expect(throws: KeyManagementError.dataKeyDestroyed(subject: "usr_gone")) {
            try await cipher.open(copy, subject: "usr_gone", context: "doc")
        }
        #expect(try await cipher.open(kept, subject: "usr_kept", context: "doc") == Data("stays".utf8), "other people are untouched")
        #expect(try await fixture.vault.destroy(subject: "usr_gone") == false)
        // secure_delete and a checkpoint: the wrapped key's bytes are in neither the file nor its log.
        for suffix in ["", "-wal"] {
            let bytes = FileManager.default.contents(atPath: fixture.store.path + suffix) ?? Data()
            #expect(bytes.range(of: wrapped) == nil, "the destroyed key's bytes remain in data-keys.sqlite\(suffix)")
        }
        await fixture.close()
    }

    @Test func rotationRewrapsEveryDataKeySoTheOldKeyEncryptionKeyCanGo() async throws {
        let fixture = try await Fixture.make()
        let cipher = fixture.cipher
        var sealed: [String: Data] = [:]
        for person in ["usr_1", "usr_2", "usr_3"] {
            sealed[person] = try await cipher.seal(Data(person.utf8), subject: person, context: "c")
        }
        #expect(try await fixture.vault.countByVersion() == [1: 3])
        #expect(try fixture.keys.rotate() == 2)
        _ = try await cipher.seal(Data("new".utf8), subject: "usr_4", context: "c")
        #expect(try await fixture.vault.countByVersion() == [1: 3, 2: 1], "new keys are wrapped by the new version at once")

        let summary = try await fixture.vault.rewrap()
        #expect(summary == .init(rewrapped: 3, version: 2))
        #expect(try await fixture.vault.countByVersion() == [2: 4])
        try fixture.keys.retire(version: 1)
        for (person, data) in sealed {
            #expect(try await cipher.open(data, subject: person, context: "c") == Data(person.utf8), "data is unchanged by rotation")
        }
        #expect(throws: KeyManagementError.self, "the current version cannot be retired") { try fixture.keys.retire(version: 2) }
        await fixture.close()
    }

    @Test func aDataKeyWrappedByARetiredVersionIsUnreadable() async throws {
        let fixture = try await Fixture.make()
        let sealed = try await fixture.cipher.seal(Data("x".utf8), subject: "usr_1", context: "c")
        try fixture.keys.rotate()
        try fixture.keys.retire(version: 1)
        await #expect(throws: KeyManagementError.unknownKeyVersion(1), "without a re-wrap, retiring loses the data") {
            try await fixture.cipher.open(sealed, subject: "usr_1", context: "c")
        }
        await fixture.close()
    }

    @Test func aWrappedKeyMovedToAnotherPersonDoesNotUnwrap() async throws {
        let fixture = try await Fixture.make()
        _ = try await fixture.cipher.seal(Data("a".utf8), subject: "usr_a", context: "c")
        _ = try await fixture.cipher.seal(Data("b".utf8), subject: "usr_b", context: "c")
        try await fixture.store.sql.raw("""
            UPDATE data_keys SET wrapped = (SELECT wrapped FROM data_keys WHERE subject = 'usr_a') WHERE subject = 'usr_b'
            """).run()
        await #expect(throws: KeyManagementError.self) { try await fixture.vault.key(for: "usr_b") }
        await fixture.close()
    }

    @Test func keyFilesAreOwnerOnlyAndTheBlindIndexIsKeyed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("iworkz-kek-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = try LocalKeyEncryptionKeys(directory: folder)
        #expect(try keys.versions() == [1])
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("kek-v1.key").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let first = try BlindIndex(keyFile: folder.appendingPathComponent("a.key"))
        let same = try BlindIndex(keyFile: folder.appendingPathComponent("a.key"))
        let other = try BlindIndex(keyFile: folder.appendingPathComponent("b.key"))
        #expect(first.index("jisoo@example.kr") == same.index("jisoo@example.kr"), "the key is kept, so lookups work after a restart")
        #expect(first.index("jisoo@example.kr") != other.index("jisoo@example.kr"))
        #expect(first.index("jisoo@example.kr").count == 64)
    }
}
