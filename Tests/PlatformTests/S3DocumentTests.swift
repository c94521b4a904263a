import AsyncHTTPClient
import Foundation
import HTTPTypes
import HummingbirdTesting
import Platform
import S3Client
import Testing
import TestSupport

/// With `--object-store s3://…-{region}`, each region's documents go to its own bucket, sealed, and
/// behave as on the folder: versions, download, deletion of every version.
@Suite("Documents on S3", .enabled(if: ProcessInfo.processInfo.environment["IWORKZ_TEST_S3_URL"] != nil,
                                   "IWORKZ_TEST_S3_URL is not set: start SeaweedFS's S3 gateway (scripts/test.sh does)"))
struct S3DocumentTests {
    static func location(_ template: String) throws -> S3Location {
        let environment = ProcessInfo.processInfo.environment
        return try S3Location(url: "s3://\(template)", endpoint: URL(string: try #require(environment["IWORKZ_TEST_S3_URL"])), region: "us-east-1",
                              credentials: AWSCredentials(accessKeyID: environment["IWORKZ_TEST_S3_ACCESS_KEY"] ?? "",
                                                          secretAccessKey: environment["IWORKZ_TEST_S3_SECRET_KEY"] ?? ""))
    }

    @Test func aWorkersDocumentsLiveSealedInTheirRegionsBucket() async throws {
        let template = "iworkz-t\(UUID().uuidString.lowercased().prefix(8))-{region}"
        let location = try Self.location(template)
        try await PlatformHarness.withPlatform(objectStorage: .s3(location)) { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let worker = try await Scenario.register(client, email: "jisoo@example.kr", name: "Park Ji-soo", country: "KR",
                                                         profile: Scenario.weldingWorkerProfile)
                let created = try await DocumentTests.upload(client, token: worker.token, DocumentTests.resume)
                #expect(created.status == .created, "\(created.text)")
                let id = try #require(created.json["id"] as? String)
                let firstVersion = try #require(created.json["version"] as? String)

                let http = HTTPClient(eventLoopGroupProvider: .singleton)
                let s3 = S3Client(configuration: location.configuration, client: http)
                let korea = try location.bucket(for: "kr-seoul"), japan = try location.bucket(for: "jp-tokyo")
                let stored = try await s3.listVersions(korea, prefix: "people/\(worker.id)/")
                #expect(stored.count == 1 && stored.first?.key.hasSuffix(id) == true, "the object is in kr-seoul's bucket")
                let objectKey = try #require(stored.first?.key)
                let bytes = try #require(try await s3.getObject(korea, key: objectKey)).data
                #expect(bytes.range(of: Data("Park Ji-soo".utf8)) == nil, "the stored bytes are sealed")
                #expect(try await s3.listVersions(japan, prefix: "people/").isEmpty, "and not in jp-tokyo's")

                let auth: HTTPFields = [.authorization: "Bearer \(worker.token)"]
                let second = Data("%PDF-1.7\n% second edition\n".utf8)
                let replaced = try await DocumentTests.upload(client, token: worker.token, second, method: .put, path: "/api/v1/users/me/documents/\(id)")
                #expect(replaced.status == .ok)
                let latest = try await client.execute(uri: "/api/v1/users/me/documents/\(id)", method: .get, headers: auth)
                #expect(Data(latest.body.readableBytesView) == second)
                let first = try await client.execute(uri: "/api/v1/users/me/documents/\(id)?version=\(firstVersion)", method: .get, headers: auth)
                #expect(Data(first.body.readableBytesView) == DocumentTests.resume, "old versions stay readable")
                let bogus = try await client.execute(uri: "/api/v1/users/me/documents/\(id)?version=not-a-version", method: .get, headers: auth)
                #expect(bogus.status == .notFound)

                let deleted = try await client.execute(uri: "/api/v1/users/me/documents/\(id)", method: .delete, headers: auth)
                #expect(deleted.status == .noContent)
                #expect(try await s3.listVersions(korea, prefix: "people/\(worker.id)/").isEmpty, "deletion removes every version")
                try await http.shutdown()
            }
        }
    }

    @Test func oneBucketForEveryRegionIsRefused() async throws {
        let error = await #expect(throws: PlatformError.self) {
            try await PlatformHarness.withPlatform(objectStorage: .s3(try Self.location("iworkz-shared"))) { _, _ in }
        }
        #expect(error?.message.contains("{region}") == true)
        #expect(throws: PlatformError.self) { try Self.location("Not_A_Bucket-{region}") }
    }
}
