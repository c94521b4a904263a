public import Foundation
public import S3Client
public import Sovereignty
internal import AsyncHTTPClient
internal import ObjectStorage

/// Where the cells keep documents: a folder in the data folder (the embedded default), or one bucket
/// per region on an S3-compatible service (`--object-store s3://iworkz-{region}`).
public enum ObjectStorageChoice: Sendable {
    case folder
    case s3(S3Location)
}

/// The buckets of an S3-compatible service, one per region, and how to reach it.
public struct S3Location: Sendable {
    /// The bucket name, `{region}` standing for the region's id: `iworkz-{region}` is `iworkz-jp-tokyo`.
    public let bucketTemplate: String
    public let configuration: S3Client.Configuration
    /// The region or location of regions.yaml the service keeps its data in: the S3 region on
    /// AWS, what the operator declares for an endpoint of their own, nil when undeclared.
    public let storageLocation: RegionID?

    /// - Parameters:
    ///   - url: `s3://BUCKET`, where `{region}` in the bucket stands for each region's id.
    ///   - endpoint: the service's base URL; nil for AWS's (`https://s3.<region>.amazonaws.com`).
    ///   - location: where the service keeps data, as regions.yaml names places; by default the
    ///     S3 region on AWS, and undeclared for another endpoint.
    public init(url: String, endpoint: URL?, region: String, location: String? = nil, credentials: AWSCredentials) throws(PlatformError) {
        guard url.hasPrefix("s3://"), !url.dropFirst(5).isEmpty, !url.dropFirst(5).contains("/") else {
            throw PlatformError("the object store \(url.prefix(80)) is not s3://BUCKET (a bucket name, `{region}` for each region's id)")
        }
        bucketTemplate = String(url.dropFirst(5))
        guard let base = endpoint ?? URL(string: "https://s3.\(region).amazonaws.com"), base.host != nil,
              base.scheme == "https" || base.scheme == "http" else {
            throw PlatformError("the S3 endpoint is not an http(s):// URL")
        }
        configuration = S3Client.Configuration(endpoint: base, region: region, credentials: credentials)
        storageLocation = (location ?? (endpoint == nil ? region : nil)).map { RegionID($0) }
        // Checked once with a region id of the usual shape; every real one is checked again when opened.
        _ = try bucket(for: RegionID("jp-tokyo"))
    }

    /// The bucket of `region`.
    public func bucket(for region: RegionID) throws(PlatformError) -> String {
        let name = bucketTemplate.replacingOccurrences(of: "{region}", with: region.rawValue)
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-.".utf8)
        guard (3...63).contains(name.utf8.count), name.utf8.allSatisfy({ allowed.contains($0) }),
              let first = name.utf8.first, let last = name.utf8.last, first != UInt8(ascii: "-"), last != UInt8(ascii: "-") else {
            throw PlatformError("\(name.prefix(80)) is not an S3 bucket name (3 to 63 lower-case letters, digits, '-' and '.')")
        }
        return name
    }

    /// Whether each region gets a bucket of its own.
    public var isPerRegion: Bool { bucketTemplate.contains("{region}") }
}

/// Opens each cell's object store as the choice says, and owns the S3 client while the process runs.
final class ObjectStores: Sendable {
    let choice: ObjectStorageChoice
    let client: HTTPClient?

    init(_ choice: ObjectStorageChoice) {
        self.choice = choice
        if case .s3 = choice { client = HTTPClient(eventLoopGroupProvider: .singleton) } else { client = nil }
    }

    /// The store of `region`: its folder, or its bucket (created and versioned when missing).
    func store(for region: RegionID, folder: DataFolder) async throws -> any ObjectStore {
        switch choice {
        case .folder:
            return try FileSystemObjectStore(root: folder.objectStoreDirectory(for: region))
        case .s3(let location):
            guard let client else { throw PlatformError("no S3 client") }
            let store = S3ObjectStore(client: S3Client(configuration: location.configuration, client: client), bucket: try location.bucket(for: region))
            do {
                try await store.prepare()
            } catch {
                throw PlatformError("cannot prepare the bucket \(store.bucket) at \(location.configuration.endpoint.absoluteString): \(error)")
            }
            return store
        }
    }

    func close() async {
        try? await client?.shutdown()
    }
}
