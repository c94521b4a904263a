import Foundation
import HummingbirdTesting
import KeyManagement
import Logging
import Platform
import SQLKit
import Sovereignty
import Storage
import Subprocess
import SystemPackage
import Testing
import TestSupport
import UserService

/// Crypto-shredding on PostgreSQL: a destroyed key survives in WAL, replicas and base backups, so
/// the keys live outside the database, and a restore never makes an erased person readable again.
@Suite("Erasure across a database restore",
       .enabled(if: TestDatabases.postgresURL != nil, "IWORKZ_TEST_POSTGRES_URL is unset: restores from PostgreSQL base backups are not tested"))
struct ErasureRestoreTests {
    static let script = PlatformHarness.configDirectory.deletingLastPathComponent().appendingPathComponent("scripts/pg-base-backup.sh").path

    @Test(.timeLimit(.minutes(2)))
    func aBaseBackupFromBeforeAnErasureNeverServesThePersonAgain() async throws {
        let databases = TestDatabases()
        let folder = PlatformHarness.temporaryDataDirectory()
        let backup = FileManager.default.temporaryDirectory.appendingPathComponent("iworkz-base-\(UUID().uuidString)")
        let admin = try PostgresLocation(url: try #require(TestDatabases.postgresURL))
        let template = try #require(try databases.urlTemplate(.postgres, perRegion: true))
        var restoredPort: Int?
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            // Before: a Korean worker with a profile, on PostgreSQL.
            let platform = try await PlatformHarness.start(
                dataDirectory: folder, databases: .postgres(PostgresDeployment(primary: template, createDatabase: true)))
            let worker = try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                try await Scenario.register(client, email: "minji@example.kr", name: "Kim Min-ji", country: "KR", profile: Scenario.weldingWorkerProfile)
            }
            let person = try #require(RegionalID(worker.id))
            // A base backup of the whole server, taken while the person exists.
            try await Self.run([Self.script, "take", String(admin.port), backup.path])
            // The erasure.
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let erased = try await client.execute(uri: "/api/v1/users/me", method: .delete, headers: JSONRequest.headers(token: worker.token))
                #expect(erased.status == .ok, "\(erased.text)")
            }
            await platform.close()

            // The backup restored as a server of its own: the person's row is back, sealed.
            let port = try Self.freePort()
            try await Self.run([Self.script, "start", backup.path, String(port)])
            restoredPort = port
            let restoredTemplate = template.replacingOccurrences(of: ":\(admin.port)/", with: ":\(port)/")
            let restoredKR = try #require(try PostgresLocation(url: PostgresLocation.url(template: restoredTemplate, region: "kr-seoul")))
            let logger = Logger(label: "restore") { _ in SwiftLogNoOpLogHandler() }
            let restored = try await PostgresCellDatabase.open(location: restoredKR, migrations: [], logger: logger)
            let row = try #require(try await restored.sql.raw("SELECT sealed_document FROM users WHERE id = \(bind: worker.id)").first(),
                                   "the backup holds the person's row: the checks below can fail")
            let sealed = try #require(Data(base64Encoded: try row.decode(column: "sealed_document", as: String.self)))
            try await restored.close()
            // The key store is in the data folder, not in the backup: the key stays destroyed.
            let keyStore = try await DataKeyVault.openStore(
                path: folder.appendingPathComponent("keys/cells/kr-seoul/data-keys.sqlite").path, logger: logger)
            let vault = DataKeyVault(database: keyStore, keys: try LocalKeyEncryptionKeys(
                directory: folder.appendingPathComponent("keys/cells/kr-seoul/kek")))
            await #expect(throws: KeyManagementError.self, "the restored row cannot be opened") {
                _ = try await PersonalDataCipher(vault: vault).open(sealed, subject: worker.id, context: SQLUserStore.documentContext)
            }
            try await keyStore.close()

            // A platform started on the restored database applies the erasure again before it serves.
            let again = try await PlatformHarness.start(
                dataDirectory: folder, databases: .postgres(PostgresDeployment(primary: restoredTemplate)))
            let kr = try #require(again.cell("kr-seoul"))
            #expect(try await kr.database.sql.raw("SELECT 1 AS one FROM users WHERE id = \(bind: worker.id)").first() == nil,
                    "the restored row is erased again at start")
            #expect(try await kr.users.find(person) == nil)
            try await again.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let me = try await client.execute(uri: "/api/v1/users/me", method: .get, headers: JSONRequest.headers(token: worker.token))
                #expect(me.status == .unauthorized || me.status == .gone || me.status == .notFound, "\(me.status): \(me.text)")
            }
            await again.close()
        } catch {
            if let restoredPort { try? await Self.run([Self.script, "stop", backup.path]); _ = restoredPort }
            try? FileManager.default.removeItem(at: backup)
            await databases.closeAll()
            throw error
        }
        try await Self.run([Self.script, "stop", backup.path])
        try? FileManager.default.removeItem(at: backup)
        await databases.closeAll()
    }

    private static func run(_ arguments: [String]) async throws {
        let result = try await Subprocess.run(.path(FilePath("/bin/bash")), arguments: Arguments(arguments),
                                              output: .string(limit: 1 << 20), error: .string(limit: 1 << 20))
        guard case .exited(0) = result.terminationStatus else {
            throw TestDatabaseError("\(arguments.dropFirst().first ?? "") failed: \(result.standardError ?? "")")
        }
    }

    private static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
