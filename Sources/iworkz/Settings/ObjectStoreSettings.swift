import Foundation
import Platform
import S3Client

/// Where documents are kept. Keys:
/// - `objectStore`: `folder` (default: under the data folder) or `s3://BUCKET`, `{region}` in the
///   bucket standing for each region's id (`s3://iworkz-{region}`; required when one process runs
///   several regions);
/// - `s3Endpoint`: the S3 service's base URL (else the standard `AWS_ENDPOINT_URL_S3` or
///   `AWS_ENDPOINT_URL`, else AWS's for the region);
/// - `s3Region`: its region (else `AWS_REGION` or `AWS_DEFAULT_REGION`, else `us-east-1`);
/// - `s3Location`: the region or location of regions.yaml the service keeps data in, checked
///   against each region's data residency (by default the S3 region on AWS; undeclared, and only
///   warned about, for an endpoint of the operator's own).
/// The credentials are the standard `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
/// `AWS_SESSION_TOKEN`, never a flag.
struct ObjectStoreSettings {
    let choice: ObjectStorageChoice

    init(_ settings: Settings, environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let url = settings.string("objectStore"), url != "folder" else {
            choice = .folder
            return
        }
        guard let credentials = AWSCredentials(environment: environment) else {
            settings.problem("objectStore", "is \(url.prefix(80)), which needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
            choice = .folder
            return
        }
        let endpointText = settings.string("s3Endpoint") ?? environment["AWS_ENDPOINT_URL_S3"] ?? environment["AWS_ENDPOINT_URL"]
        var endpoint: URL?
        if let endpointText {
            endpoint = URL(string: endpointText)
            if endpoint == nil { settings.problem("s3Endpoint", "is not a URL: \(endpointText.prefix(80))") }
        }
        let region = settings.string("s3Region") ?? environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? "us-east-1"
        do throws(PlatformError) {
            choice = .s3(try S3Location(url: url, endpoint: endpoint, region: region, location: settings.string("s3Location"), credentials: credentials))
        } catch {
            settings.problem("objectStore", error.message)
            choice = .folder
        }
    }
}
