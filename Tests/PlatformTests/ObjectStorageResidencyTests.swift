import Foundation
import Platform
import S3Client
import Sovereignty
import Testing
import TestSupport

/// A region's bucket rests where its S3 service is: on AWS, the S3 region; for an endpoint of the
/// operator's own, the location they declare. Either must lie inside the region's data residency.
@Suite("Object storage residency")
struct ObjectStorageResidencyTests {
    let catalog = try! LoadedConfiguration.load(from: PlatformHarness.configDirectory).catalog
    let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret")

    func residency(of region: RegionID, endpoint: URL?, s3Region: String, location: String? = nil) throws -> ObjectStorageResidency {
        let s3 = try S3Location(url: "s3://iworkz-{region}", endpoint: endpoint, region: s3Region, location: location, credentials: credentials)
        return s3.residency(of: try #require(catalog.region(region)), in: catalog)
    }

    @Test func onAWSTheS3RegionIsThePlace() throws {
        let seoul = try residency(of: "kr-seoul", endpoint: nil, s3Region: "ap-northeast-2")
        #expect(seoul.isVerified)
        #expect(seoul.jurisdiction == "KR")
        let tokyo = try residency(of: "jp-tokyo", endpoint: nil, s3Region: "ap-northeast-2")
        #expect(tokyo.jurisdiction == "KR")
        #expect(tokyo.problem?.contains("outside its data residency (Japan only)") == true, "\(tokyo.problem ?? "")")
        let unknown = try residency(of: "jp-tokyo", endpoint: nil, s3Region: "sa-east-1")
        #expect(unknown.problem?.contains("regions.yaml does not list") == true)
    }

    @Test func anOwnEndpointIsCheckedWhereItsLocationIsDeclared() throws {
        let endpoint = URL(string: "http://127.0.0.1:8333")
        let undeclared = try residency(of: "kr-seoul", endpoint: endpoint, s3Region: "us-east-1")
        #expect(undeclared.location == nil && undeclared.problem == nil && !undeclared.isVerified,
                "a self-hosted service's S3 region is a signing label, not a place")
        #expect(try residency(of: "jp-tokyo", endpoint: endpoint, s3Region: "us-east-1", location: "local-jp-cloud").isVerified)
        let korean = try residency(of: "kr-seoul", endpoint: endpoint, s3Region: "us-east-1", location: "local-jp-cloud")
        #expect(korean.problem?.contains("kr-seoul's documents would rest in JP") == true, "\(korean.problem ?? "")")
        // Singapore's residency admits Japan as well.
        #expect(try residency(of: "ap-southeast-1", endpoint: endpoint, s3Region: "us-east-1", location: "ap-northeast-1").isVerified)
    }

    @Test func aStartThatWouldPutDocumentsOutsideTheirResidencyIsRefused() async throws {
        let folder = PlatformHarness.temporaryDataDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let loaded = try LoadedConfiguration.load(from: PlatformHarness.configDirectory)
        let s3 = try S3Location(url: "s3://iworkz-{region}", endpoint: nil, region: "ap-northeast-1", credentials: credentials)
        let error = await #expect(throws: PlatformError.self) {
            try await Platform.start(config: loaded, dataDirectory: folder.appendingPathComponent("data").path, openAPI: "",
                                     logger: .init(label: "t"), objectStorage: .s3(s3))
        }
        #expect(error?.message.contains("kr-seoul's documents would rest in JP") == true, "\(error?.message ?? "")")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("data").path), "nothing is created")
    }
}
