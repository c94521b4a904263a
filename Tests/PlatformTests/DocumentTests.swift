import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Platform
import Testing
import TestSupport

@Suite("Documents")
struct DocumentTests {
    static let resume = Data("%PDF-1.7\n% Résumé of Park Ji-soo: welding, 8 years; union select is just words here\n".utf8)

    static func upload(_ client: some TestClientProtocol, token: String, kind: String = "resume", type: String = "application/pdf",
                       _ data: Data, method: HTTPRequest.Method = .post, path: String = "/api/v1/users/me/documents") async throws -> TestResponse {
        try await client.execute(uri: method == .post ? "\(path)?kind=\(kind)" : path, method: method,
                                 headers: [.authorization: "Bearer \(token)", .contentType: type], body: ByteBuffer(bytes: data))
    }

    @Test func aWorkerKeepsVersionedEncryptedDocumentsInTheirHomeCell() async throws {
        try await PlatformHarness.withPlatform { platform, folder in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let worker = try await Scenario.register(client, email: "jisoo@example.kr", name: "Park Ji-soo", country: "KR",
                                                         profile: Scenario.weldingWorkerProfile)
                let created = try await Self.upload(client, token: worker.token, Self.resume)
                #expect(created.status == .created, "\(created.text)")
                #expect(created.headers[.servedBy] == "kr-seoul")
                let id = try #require(created.json["id"] as? String)
                #expect(id.hasPrefix("doc_kr1_"))
                #expect(created.json["version"] as? String == "00000001")
                #expect(created.json["size"] as? Int == Self.resume.count)
                #expect(created.json["storage_class"] as? String == "STANDARD")

                let stored = folder.appendingPathComponent("objects/kr-seoul/people/\(worker.id)/\(id)/@00000001.bin")
                let onDisk = try #require(FileManager.default.contents(atPath: stored.path), "the object is in the home cell's store")
                #expect(onDisk.range(of: Data("Park Ji-soo".utf8)) == nil, "the stored bytes are sealed")
                #expect(onDisk.count == Self.resume.count + 29)

                let auth: HTTPFields = [.authorization: "Bearer \(worker.token)"]
                let fetched = try await client.execute(uri: "/api/v1/users/me/documents/\(id)", method: .get, headers: auth)
                #expect(fetched.status == .ok)
                #expect(Data(fetched.body.readableBytesView) == Self.resume)
                #expect(fetched.headers[.contentType] == "application/pdf")
                #expect(fetched.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                #expect(fetched.headers[.cacheControl] == "private, no-store")

                let second = Data("%PDF-1.7\n% second edition\n".utf8)
                let replaced = try await Self.upload(client, token: worker.token, second, method: .put, path: "/api/v1/users/me/documents/\(id)")
                #expect(replaced.status == .ok, "\(replaced.text)")
                #expect(replaced.json["version"] as? String == "00000002")
                let latest = try await client.execute(uri: "/api/v1/users/me/documents/\(id)", method: .get, headers: auth)
                #expect(Data(latest.body.readableBytesView) == second)
                let first = try await client.execute(uri: "/api/v1/users/me/documents/\(id)?version=00000001", method: .get, headers: auth)
                #expect(Data(first.body.readableBytesView) == Self.resume, "old versions stay readable")
                let versions = try await client.execute(uri: "/api/v1/users/me/documents/\(id)/versions", method: .get, headers: auth)
                #expect((versions.json["versions"] as? [[String: Any]])?.compactMap { $0["version"] as? String } == ["00000002", "00000001"])
                let listing = try await client.execute(uri: "/api/v1/users/me/documents", method: .get, headers: auth)
                #expect((listing.json["documents"] as? [[String: Any]])?.count == 1)

                let employer = try await Scenario.register(client, role: "employer", email: "hr@fuji.example", country: "JP", company: "Fuji")
                let foreign = try await client.execute(uri: "/api/v1/users/me/documents/\(id)", method: .get,
                                                       headers: [.authorization: "Bearer \(employer.token)"])
                #expect(foreign.status != .ok, "another person cannot fetch it")
                #expect(Data(foreign.body.readableBytesView).range(of: Data("Park".utf8)) == nil)

                let deleted = try await client.execute(uri: "/api/v1/users/me/documents/\(id)", method: .delete, headers: auth)
                #expect(deleted.status == .noContent)
                let gone = try await client.execute(uri: "/api/v1/users/me/documents/\(id)?version=00000001", method: .get, headers: auth)
                #expect(gone.status == .notFound)
                #expect(!FileManager.default.fileExists(atPath: stored.path), "deletion removes every version")
            }
        }
    }

    @Test func uploadsAreCheckedForKindTypeContentAndSize() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let worker = try await Scenario.register(client, email: "a@example.kr", country: "KR")
                let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3])

                let unknownKind = try await Self.upload(client, token: worker.token, kind: "passport", Self.resume)
                #expect(unknownKind.status == .unprocessableContent)
                #expect(unknownKind.json["type"] as? String == "urn:iworkz:problem:validation-failed")
                let wrongType = try await Self.upload(client, token: worker.token, kind: "residence_card", type: "text/plain", Data("hi".utf8))
                #expect(wrongType.status == .unsupportedMediaType, "a residence card is an image or a PDF")
                let disguised = try await Self.upload(client, token: worker.token, type: "application/pdf", png)
                #expect(disguised.status == .unsupportedMediaType, "bytes must be what the type says: \(disguised.text)")
                let script = try await Self.upload(client, token: worker.token, type: "image/png", Data("{\"role\":\"admin\"}".utf8))
                #expect(script.status == .unsupportedMediaType)
                let empty = try await Self.upload(client, token: worker.token, Data())
                #expect(empty.status == .badRequest)
                let card = try await Self.upload(client, token: worker.token, kind: "residence_card", type: "image/png", png)
                #expect(card.status == .created, "\(card.text)")

                let tooLarge = try await Self.upload(client, token: worker.token, Data("%PDF-".utf8) + Data(count: 10 * 1024 * 1024))
                #expect(tooLarge.status == .contentTooLarge)
                #expect(tooLarge.json["type"] as? String == "urn:iworkz:problem:body-too-large")
                let anonymous = try await client.execute(uri: "/api/v1/users/me/documents?kind=resume", method: .post,
                                                         headers: [.contentType: "application/pdf"], body: ByteBuffer(bytes: Self.resume))
                #expect(anonymous.status == .unauthorized)
                let json = try await client.execute(uri: "/api/v1/users/me/documents?kind=resume", method: .post,
                                                    headers: JSONRequest.headers(token: worker.token),
                                                    body: JSONRequest.body(["q": "' OR 1=1 --"]))
                #expect(json.status == .forbidden, "a non-binary body is still screened by the firewall: \(json.text)")
            }
        }
    }

    @Test func theLifecycleServiceArchivesDocumentsAfterNinetyDays() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let worker = try await Scenario.register(client, email: "a@example.kr", country: "KR")
                let created = try await Self.upload(client, token: worker.token, Self.resume)
                let id = try #require(created.json["id"] as? String)
                let service = DocumentLifecycleService(cells: platform.cells, logger: Logger(label: "test"))
                await service.sweep(now: Date().addingTimeInterval(89 * 86_400))
                let auth: HTTPFields = [.authorization: "Bearer \(worker.token)"]
                let early = try await client.execute(uri: "/api/v1/users/me/documents/\(id)/versions", method: .get, headers: auth)
                #expect((early.json["versions"] as? [[String: Any]])?.first?["storage_class"] as? String == "STANDARD")
                await service.sweep(now: Date().addingTimeInterval(91 * 86_400))
                let late = try await client.execute(uri: "/api/v1/users/me/documents/\(id)/versions", method: .get, headers: auth)
                #expect((late.json["versions"] as? [[String: Any]])?.first?["storage_class"] as? String == "GLACIER_IR")
                let fetched = try await client.execute(uri: "/api/v1/users/me/documents/\(id)", method: .get, headers: auth)
                #expect(Data(fetched.body.readableBytesView) == Self.resume)
            }
        }
    }
}
