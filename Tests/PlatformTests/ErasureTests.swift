import Foundation
import HTTPTypes
import HummingbirdTesting
import KeyManagement
import Logging
import NIOCore
import Platform
import SQLKit
import Sovereignty
import Storage
import Testing
import TestSupport
import Transfers
import UserService

@Suite("Erasure and correction")
struct ErasureTests {
    @Test func erasureShredsThePersonIncludingCopiesTakenBeforeAndTellsTheCellsThatReceivedTheirApplications() async throws {
        try await PlatformHarness.withPlatform { platform, folder in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let worker = try await Scenario.register(client, email: "jisoo@example.kr", name: "Park Ji-soo", country: "KR",
                                                         profile: Scenario.weldingWorkerProfile)
                let employer = try await Scenario.register(client, role: "employer", email: "hr@fuji.example", country: "JP", company: "Fuji")
                let job = try await Scenario.postJob(client, token: employer.token)
                let auth = JSONRequest.headers(token: worker.token)
                let notice = try await client.execute(uri: "/api/v1/transfers/notice?destination=JP&purpose=job-application", method: .get)
                let consent = try await client.execute(uri: "/api/v1/users/me/consents", method: .post, headers: auth, body: JSONRequest.body(
                    ["destination": "JP", "purpose": "job-application", "notice_version": try #require(notice.json["version"] as? String)]))
                #expect(consent.status == .created)
                let applied = try await client.execute(uri: "/api/v1/users/me/applications", method: .post, headers: auth,
                                                       body: JSONRequest.body(["job_id": job]))
                #expect(applied.status == .created, "\(applied.text)")
                let upload = try await DocumentTests.upload(client, token: worker.token, DocumentTests.resume)
                let documentID = try #require(upload.json["id"] as? String)
                let kr = try #require(platform.cell("kr-seoul")), jp = try #require(platform.cell("jp-tokyo"))
                let person = try #require(RegionalID(worker.id))

                // Nothing personal is stored in the clear, in either cell.
                for region in ["kr-seoul", "jp-tokyo"] {
                    let bytes = try Self.databaseBytes(folder, region)
                    for secret in ["jisoo@example.kr", "Park Ji-soo"] {
                        #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) is readable in \(region)'s database files")
                    }
                }

                // A backup: copies of the database and the document taken before erasure.
                let backup = folder.appendingPathComponent("backup")
                try FileManager.default.createDirectory(at: backup, withIntermediateDirectories: true)
                try await kr.database.sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").run()
                try FileManager.default.copyItem(atPath: try #require(kr.database as? SQLiteCellDatabase).path, toPath: backup.appendingPathComponent("kr.sqlite").path)
                let objectKey = try DocumentStore.key(owner: person, document: try #require(RegionalID(documentID)))
                let documentCopy = try #require(FileManager.default.contents(
                    atPath: folder.appendingPathComponent("objects/kr-seoul/\(objectKey)/@00000001.bin").path))
                let copy = try await SQLiteCellDatabase.open(path: backup.appendingPathComponent("kr.sqlite").path, migrations: [],
                                                       logger: Logger(label: "backup"))
                let copiedRow = try #require(try await copy.sql.raw("SELECT sealed_document FROM users WHERE id = \(bind: worker.id)").first())
                let sealedRecord = try #require(Data(base64Encoded: try copiedRow.decode(column: "sealed_document", as: String.self)))
                try await copy.close()
                let cipher = PersonalDataCipher(vault: kr.dataKeys)
                // While the key exists, the copies open: the checks below can fail.
                let before = try await cipher.open(sealedRecord, subject: worker.id, context: SQLUserStore.documentContext)
                #expect(String(decoding: before, as: UTF8.self).contains("jisoo@example.kr"))
                #expect(try await cipher.open(documentCopy, subject: worker.id, context: objectKey.description) == DocumentTests.resume)

                let erased = try await client.execute(uri: "/api/v1/users/me", method: .delete, headers: auth)
                #expect(erased.status == .ok, "\(erased.text)")
                #expect(erased.headers[.servedBy] == "kr-seoul")
                let records = try #require(erased.json["records"] as? [String: Int])
                #expect(records["user"] == 1 && records["documents"] == 1 && records["applications"] == 1 && records["consents"] == 1)
                #expect(erased.json["recipients_notified"] as? [String] == ["jp-tokyo"])

                await #expect(throws: KeyManagementError.dataKeyDestroyed(subject: worker.id), "the backup's record is unreadable") {
                    try await cipher.open(sealedRecord, subject: worker.id, context: SQLUserStore.documentContext)
                }
                await #expect(throws: KeyManagementError.dataKeyDestroyed(subject: worker.id), "the backup's document is unreadable") {
                    try await cipher.open(documentCopy, subject: worker.id, context: objectKey.description)
                }
                let me = try await client.execute(uri: "/api/v1/users/me", method: .get, headers: auth)
                #expect(me.status == .unauthorized, "the erased person's token is refused")
                #expect(try await TransferTests.applicationRows(in: kr) == 0)
                let received = try await client.execute(uri: "/api/v1/jobs/\(job)/applications", method: .get,
                                                        headers: JSONRequest.headers(token: employer.token))
                #expect((received.json["applications"] as? [Any])?.isEmpty == true, "the employer's cell deleted what it received")
                #expect(try await TransferTests.applicationRows(in: jp) == 0)
                await #expect(throws: KeyManagementError.dataKeyDestroyed(subject: worker.id), "and destroyed its key for the worker") {
                    try await jp.dataKeys.key(for: worker.id)
                }
                #expect(try await kr.audit.entries().last?.event == "person-erased")
                #expect(try await jp.audit.entries().last?.event == "applications-retracted")
                for cell in [kr, jp] {
                    #expect(try await cell.audit.verify().isIntact)
                    #expect(try await cell.audit.entries().allSatisfy { !$0.body.contains("jisoo@example.kr") && !$0.body.contains("Park") })
                }
                let again = try await client.execute(uri: "/api/v1/users/me", method: .delete, headers: auth)
                #expect(again.status == .unauthorized)
                let reregistered = try await Scenario.register(client, email: "jisoo@example.kr", country: "KR")
                #expect(reregistered.id != worker.id, "the email is free again")
            }
        }
    }

    /// Before: the erased person's still-valid token could upload a document (making a new data key),
    /// give consents and keep a match stream open, and a second erasure answered 404.
    @Test(.timeLimit(.minutes(3)))
    func erasureIsFinalForEveryTokenStreamAndStoreAndAcrossARestart() async throws {
        let directory = PlatformHarness.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let platform = try await PlatformHarness.start(dataDirectory: directory)
        let worker: Scenario.Account
        do {
            worker = try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                try await Scenario.register(client, email: "gone@example.kr", country: "KR", profile: Scenario.weldingWorkerProfile)
            }
            try await LiveServer.run(platform) { port in
                let stream = try await RawConnection.connect(port: port)
                try await stream.send("GET /api/v1/matching/stream HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(worker.token)\r\n\r\n")
                try await MatchStreamTests.wait { stream.text.contains(": connected") }
                let erase = try await RawConnection.connect(port: port)
                try await erase.send("DELETE /api/v1/users/me HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(worker.token)\r\nContent-Length: 0\r\n\r\n")
                try await MatchStreamTests.wait { erase.text.contains("\r\n\r\n") }
                #expect(erase.text.hasPrefix("HTTP/1.1 200"), "\(erase.text.prefix(200))")
                try await MatchStreamTests.wait { platform.cell("kr-seoul")?.matchNotifier.subscriberCount == 0 }
                #expect(platform.cell("kr-seoul")?.matchNotifier.subscriberCount == 0, "the person's stream ended")
            }
            try await Self.expectRefused(platform, token: worker.token)
            let kr = try #require(platform.cell("kr-seoul"))
            await #expect(throws: KeyManagementError.dataKeyDestroyed(subject: worker.id), "no new data key for an erased person") {
                try await kr.dataKeys.key(creatingFor: worker.id)
            }
            await platform.close()
        } catch {
            await platform.close()
            throw error
        }
        let restarted = try await PlatformHarness.start(dataDirectory: directory)
        do {
            try await Self.expectRefused(restarted, token: worker.token)
            await restarted.close()
        } catch {
            await restarted.close()
            throw error
        }
    }

    static func expectRefused(_ platform: Platform, token: String) async throws {
        try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
            let auth = JSONRequest.headers(token: token)
            let attempts: [(String, HTTPRequest.Method, ByteBuffer?)] = [
                ("/api/v1/users/me", .get, nil),
                ("/api/v1/users/me", .delete, nil),
                ("/api/v1/users/me", .patch, JSONRequest.body(["display_name": "Back"])),
                ("/api/v1/users/me/consents", .post, JSONRequest.body(["destination": "JP", "purpose": "job-application", "notice_version": "2026-11-01"])),
                ("/api/v1/matching/stream", .get, nil),
                ("/api/v1/users/me/export", .get, nil),
            ]
            for (path, method, body) in attempts {
                let response = try await client.execute(uri: path, method: method, headers: auth, body: body)
                #expect(response.status == .unauthorized, "\(method) \(path): \(response.status)")
                #expect(response.headers[.wwwAuthenticate]?.contains("invalid_token") == true)
            }
            let document = try await DocumentTests.upload(client, token: token, DocumentTests.resume)
            #expect(document.status == .unauthorized)
        }
    }

    /// Before: `PATCH /api/v1/users/me` with another person's email answered 409, so anyone could test
    /// which addresses are registered. Now the answer is the same, and the address changes only once
    /// the token sent to it comes back.
    @Test func aPersonCorrectsTheirEmailThroughAConfirmationAndNobodyLearnsWhoIsRegistered() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let registered = try await client.execute(uri: "/api/v1/users", method: .post, headers: JSONRequest.headers(), body: JSONRequest.body([
                    "role": "worker", "email": "old@example.kr", "display_name": "Kim", "country_of_residence": "KR", "password": "correct horse battery"]))
                let worker = Scenario.Account(id: try #require((registered.json["user"] as? [String: Any])?["id"] as? String),
                                              token: try #require(registered.json["access_token"] as? String), servedBy: nil)
                _ = try await Scenario.register(client, email: "taken@example.kr", country: "KR")
                let auth = JSONRequest.headers(token: worker.token)
                let kr = try #require(platform.cell("kr-seoul"))
                let taken = try await client.execute(uri: "/api/v1/users/me", method: .patch, headers: auth,
                                                     body: JSONRequest.body(["email": "Taken@example.kr"]))
                let free = try await client.execute(uri: "/api/v1/users/me", method: .patch, headers: auth,
                                                    body: JSONRequest.body(["email": "new@example.kr", "display_name": "Kim Min-jun"]))
                #expect(taken.status == .accepted && free.status == .accepted, "\(taken.status) \(free.status)")
                #expect(Set(taken.json.keys) == Set(free.json.keys))
                #expect(free.json["email"] as? String == "old@example.kr", "nothing changes before the confirmation")
                #expect(free.json["display_name"] as? String == "Kim Min-jun")
                let bad = try await client.execute(uri: "/api/v1/users/me", method: .patch, headers: auth, body: JSONRequest.body(["email": "nope"]))
                #expect(bad.status == .unprocessableContent)

                let messages = try await kr.outbox.pending()
                #expect(Set(messages.map(\.to)) == ["Taken@example.kr", "new@example.kr"])
                #expect(messages.allSatisfy { $0.subject == worker.id })
                let toTaken = try #require(messages.first { $0.to == "Taken@example.kr" })
                let toNew = try #require(messages.first { $0.to == "new@example.kr" })
                #expect(!toTaken.text.contains("ec_"), "the taken address gets no token")
                let token = try #require(toNew.text.split(separator: "\"").first { $0.hasPrefix("ec_") }.map(String.init))

                let wrong = try await client.execute(uri: "/api/v1/users/me/email-confirmation", method: .post, headers: auth,
                                                     body: JSONRequest.body(["token": "ec_guess"]))
                #expect(wrong.status == .unprocessableContent)
                let confirmed = try await client.execute(uri: "/api/v1/users/me/email-confirmation", method: .post, headers: auth,
                                                         body: JSONRequest.body(["token": token]))
                #expect(confirmed.status == .ok, "\(confirmed.text)")
                #expect(confirmed.json["email"] as? String == "new@example.kr")
                let reused = try await client.execute(uri: "/api/v1/users/me/email-confirmation", method: .post, headers: auth,
                                                      body: JSONRequest.body(["token": token]))
                #expect(reused.status == .unprocessableContent, "a token works once")
                #expect(try await kr.users.credentials(email: "old@example.kr") == nil)
                #expect(try await kr.users.credentials(email: "new@example.kr") != nil, "sign-in follows the new address")
                let export = try await client.execute(uri: "/api/v1/users/me/export", method: .get, headers: auth)
                #expect((export.json["user"] as? [String: Any])?["display_name"] as? String == "Kim Min-jun")
                let erased = try await client.execute(uri: "/api/v1/users/me", method: .delete, headers: auth)
                #expect((erased.json["records"] as? [String: Int])?["messages"] == 2, "erasure empties the person's outbox")
                #expect(try await kr.outbox.pending().isEmpty)
            }
        }
    }

    @Test func recordsStoredBeforeSealingAreSealedAtStart() async throws {
        let directory = PlatformHarness.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("cells/kr-seoul.sqlite").path
        let old = try await SQLiteCellDatabase.open(path: path, migrations: Array(SQLUserStore.migrations.prefix(2)), logger: Logger(label: "old"))
        let id = "usr_kr1_0193a6b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b"
        let document = #"{"id":"\#(id)","role":"worker","email":"legacy@example.kr","display_name":"Legacy Lee","country_of_residence":"KR","home_region":"kr-seoul","created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}"#
        try await old.sql.raw("""
            INSERT INTO users (id, email, role, home_region, document, created_at, updated_at, password_hash)
            VALUES (\(bind: id), 'legacy@example.kr', 'worker', 'kr-seoul', \(bind: document), '2026-01-01', '2026-01-01', '$2b$04$abc')
            """).run()
        try await old.close()

        let platform = try await PlatformHarness.start(dataDirectory: directory)
        let kr = try #require(platform.cell("kr-seoul"))
        #expect(try await kr.users.find(try #require(RegionalID(id)))?.displayName == "Legacy Lee")
        #expect(try await kr.users.credentials(email: "legacy@example.kr")?.passwordHash == "$2b$04$abc")
        let row = try #require(try await kr.database.sql.raw("SELECT * FROM users").first())
        #expect(try row.decode(column: "sealed_document", as: String.self).contains("Legacy") == false)
        #expect(try row.decode(column: "email_index", as: String.self).contains("@") == false)
        await platform.close()
    }

    /// The bytes of a cell's database file and its write-ahead log.
    static func databaseBytes(_ folder: URL, _ region: String) throws -> Data {
        let path = folder.appendingPathComponent("cells/\(region).sqlite").path
        return (FileManager.default.contents(atPath: path) ?? Data()) + (FileManager.default.contents(atPath: path + "-wal") ?? Data())
    }
}
