public import AsyncHTTPClient
public import Foundation
internal import NIOCore
internal import NIOHTTP1
internal import Crypto

/// A small S3 client over async-http-client: buckets, versioning, objects and their versions, signed
/// with ``SignatureV4`` (the body's SHA-256 is signed too). Path-style addressing
/// (`endpoint/bucket/key`), which S3-compatible servers all accept.
public final class S3Client: Sendable {
    /// Where the service is and who calls it.
    public struct Configuration: Sendable {
        /// Base URL, such as `https://s3.ap-northeast-1.amazonaws.com` or `http://127.0.0.1:8333`.
        public var endpoint: URL
        public var region: String
        public var credentials: AWSCredentials
        public var timeout: Duration = .seconds(30)

        public init(endpoint: URL, region: String, credentials: AWSCredentials) {
            self.endpoint = endpoint
            self.region = region
            self.credentials = credentials
        }
    }

    /// One object as stored: its bytes and what S3 says of them.
    public struct Object: Sendable {
        /// The bytes (empty for ``S3Client/headObject(_:key:versionID:)``).
        public let data: Data
        /// The stored size in bytes.
        public let size: Int
        public let contentType: String
        /// `STANDARD` unless the object was stored or moved to another class.
        public let storageClass: String
        public let versionID: String?
        /// User metadata (`x-amz-meta-*`), names in lower case.
        public let metadata: [String: String]
        public let lastModified: Date?
        /// The SHA-256 the service keeps with the object (base64; `…-N` for one uploaded in N parts),
        /// nil when it keeps none.
        public let checksumSHA256: String?
    }

    /// One entry of a bucket's version listing: a version or a delete marker.
    public struct VersionEntry: Sendable, Hashable {
        public let key: String
        public let versionID: String
        public let isLatest: Bool
        public let isDeleteMarker: Bool
        public let lastModified: Date?
        public let size: Int
    }

    let configuration: Configuration
    let signer: SignatureV4
    let client: HTTPClient

    public init(configuration: Configuration, client: HTTPClient) {
        self.configuration = configuration
        self.signer = SignatureV4(credentials: configuration.credentials, region: configuration.region)
        self.client = client
    }

    /// Creates the bucket; one that exists and is the caller's already is fine.
    public func createBucket(_ bucket: String) async throws {
        let answer = try await send("PUT", bucket: bucket)
        guard answer.status == 200 || (answer.status == 409 && S3Error.from(status: 409, body: answer.body).code == "BucketAlreadyOwnedByYou")
        else { throw S3Error.from(status: answer.status, body: answer.body) }
    }

    /// Turns versioning on: every put keeps the versions before it.
    public func enableVersioning(_ bucket: String) async throws {
        let body = Data("<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>Enabled</Status></VersioningConfiguration>".utf8)
        try await expect(200, send("PUT", bucket: bucket, query: [("versioning", "")], body: body))
    }

    /// Whether versioning is on.
    public func isVersioningEnabled(_ bucket: String) async throws -> Bool {
        let answer = try await expect(200, send("GET", bucket: bucket, query: [("versioning", "")]))
        return S3XML.parse(answer.body)?.value("Status") == "Enabled"
    }

    /// Stores an object; the new version's id when the bucket is versioned. The body's SHA-256 goes
    /// with it (`x-amz-checksum-sha256`): the service refuses a body that does not match
    /// (`BadDigest`) and keeps the checksum, which ``getObject(_:key:versionID:)`` checks again.
    /// `checksumSHA256` (base64) is one computed where the bytes came from; by default the client's
    /// own over `data`.
    @discardableResult
    public func putObject(_ bucket: String, key: String, data: Data, contentType: String, metadata: [String: String] = [:],
                          checksumSHA256: String? = nil) async throws -> String? {
        var headers = [("Content-Type", contentType), ("x-amz-checksum-sha256", checksumSHA256 ?? Self.checksum(data))]
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) { headers.append(("x-amz-meta-\(name.lowercased())", value)) }
        let answer = try await expect(200, send("PUT", bucket: bucket, key: key, headers: headers, body: data))
        return answer.headers.first(name: "x-amz-version-id").flatMap { $0 == "null" ? nil : $0 }
    }

    /// Stores an object in parts of `partSize` bytes (S3's minimum is 5 MiB, the last part aside):
    /// for bodies above what one request should carry. The upload is aborted when a part fails, so no
    /// half-written object or orphaned parts stay behind. The new version's id, as for a put.
    @discardableResult
    public func putObjectInParts(_ bucket: String, key: String, data: Data, contentType: String, metadata: [String: String] = [:],
                                 partSize: Int) async throws -> String? {
        var headers = [("Content-Type", contentType), ("x-amz-checksum-algorithm", "SHA256")]
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) { headers.append(("x-amz-meta-\(name.lowercased())", value)) }
        let started = try await expect(200, send("POST", bucket: bucket, key: key, query: [("uploads", "")], headers: headers))
        guard let upload = S3XML.parse(started.body)?.value("UploadId"), !upload.isEmpty else {
            throw S3Error(status: 200, code: "", message: "the multipart upload was not started")
        }
        do {
            var parts: [(number: Int, etag: String, checksum: String)] = []
            var offset = data.startIndex
            while offset < data.endIndex {
                let end = min(offset + max(1, partSize), data.endIndex)
                let number = parts.count + 1
                let part = data.subdata(in: offset..<end)
                let checksum = Self.checksum(part)
                let answer = try await expect(200, send("PUT", bucket: bucket, key: key, query: [("partNumber", "\(number)"), ("uploadId", upload)],
                                                        headers: [("x-amz-checksum-sha256", checksum)], body: part))
                guard let etag = answer.headers.first(name: "ETag") else { throw S3Error(status: 200, code: "", message: "part \(number) has no ETag") }
                parts.append((number, etag, checksum))
                offset = end
            }
            let list = parts.map {
                "<Part><PartNumber>\($0.number)</PartNumber><ETag>\(Self.escaped($0.etag))</ETag><ChecksumSHA256>\($0.checksum)</ChecksumSHA256></Part>"
            }.joined()
            let body = Data("<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\(list)</CompleteMultipartUpload>".utf8)
            let finished = try await expect(200, send("POST", bucket: bucket, key: key, query: [("uploadId", upload)], body: body))
            // Completion can fail after the 200 has been sent: the body then is an error, not a result.
            if let root = S3XML.parse(finished.body), root.name == "Error" { throw S3Error.from(status: 200, body: finished.body) }
            return finished.headers.first(name: "x-amz-version-id").flatMap { $0 == "null" ? nil : $0 }
        } catch {
            _ = try? await send("DELETE", bucket: bucket, key: key, query: [("uploadId", upload)])
            throw error
        }
    }

    /// Text for an XML element's content.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// The object (its latest version, or the one named); nil when there is none.
    public func getObject(_ bucket: String, key: String, versionID: String? = nil) async throws -> Object? {
        try await read("GET", bucket, key: key, versionID: versionID)
    }

    /// What ``getObject(_:key:versionID:)`` says of the object, without its bytes.
    public func headObject(_ bucket: String, key: String, versionID: String? = nil) async throws -> Object? {
        try await read("HEAD", bucket, key: key, versionID: versionID)
    }

    private func read(_ method: String, _ bucket: String, key: String, versionID: String?) async throws -> Object? {
        let answer = try await send(method, bucket: bucket, key: key, query: versionID.map { [("versionId", $0)] } ?? [],
                                    headers: [("x-amz-checksum-mode", "ENABLED")])
        // A version that is a delete marker answers 405; the object is gone either way.
        if answer.status == 404 || (answer.status == 405 && versionID != nil) { return nil }
        guard answer.status == 200 else { throw S3Error.from(status: answer.status, body: answer.body) }
        let checksum = answer.headers.first(name: "x-amz-checksum-sha256")
        // A whole-object checksum is checked here; a multipart one (`…-N`, a checksum of the parts'
        // checksums) was checked part by part when uploaded.
        if method == "GET", let checksum, !checksum.contains("-"), checksum != Self.checksum(answer.body) {
            throw S3Error(status: answer.status, code: "ChecksumMismatch", message: "the bytes read do not match the SHA-256 the service stored with them")
        }
        var metadata: [String: String] = [:]
        for (name, value) in answer.headers where name.lowercased().hasPrefix("x-amz-meta-") {
            metadata[String(name.lowercased().dropFirst("x-amz-meta-".count))] = value
        }
        return Object(data: answer.body, size: answer.headers.first(name: "Content-Length").flatMap(Int.init) ?? answer.body.count,
                      contentType: answer.headers.first(name: "Content-Type") ?? "application/octet-stream",
                      storageClass: answer.headers.first(name: "x-amz-storage-class") ?? "STANDARD",
                      versionID: answer.headers.first(name: "x-amz-version-id"), metadata: metadata,
                      lastModified: answer.headers.first(name: "Last-Modified").flatMap(Self.httpDate), checksumSHA256: checksum)
    }

    /// Copies a version of an object onto its own key in another storage class, keeping its content
    /// type and metadata; the copy is the new latest version.
    @discardableResult
    public func changeStorageClass(_ bucket: String, key: String, versionID: String, to storageClass: String) async throws -> String? {
        let source = SignatureV4.encodePath("/\(bucket)/\(key)") + "?versionId=" + SignatureV4.encode(versionID)
        let answer = try await expect(200, send("PUT", bucket: bucket, key: key, headers: [
            ("x-amz-copy-source", source), ("x-amz-metadata-directive", "COPY"), ("x-amz-storage-class", storageClass),
        ]))
        // A copy can fail after the 200 has been sent: the body then is an error, not a result.
        if let root = S3XML.parse(answer.body), root.name == "Error" { throw S3Error.from(status: 200, body: answer.body) }
        return answer.headers.first(name: "x-amz-version-id")
    }

    /// Deletes the object's version named, for good; without one, adds a delete marker (versioned
    /// bucket) or deletes the object.
    public func deleteObject(_ bucket: String, key: String, versionID: String? = nil) async throws {
        let answer = try await send("DELETE", bucket: bucket, key: key, query: versionID.map { [("versionId", $0)] } ?? [])
        guard answer.status == 204 || answer.status == 200 else { throw S3Error.from(status: answer.status, body: answer.body) }
    }

    /// Every version and delete marker of the objects under `prefix`, as the service orders them
    /// (by key, newest first within a key), across pages.
    public func listVersions(_ bucket: String, prefix: String) async throws -> [VersionEntry] {
        var entries: [VersionEntry] = []
        var markers: [(String, String)] = []
        while true {
            let answer = try await expect(200, send("GET", bucket: bucket, query: [("versions", ""), ("prefix", prefix)] + markers))
            guard let root = S3XML.parse(answer.body) else { throw S3Error(status: 200, code: "", message: "the version listing is not XML") }
            for element in root.children where element.name == "Version" || element.name == "DeleteMarker" {
                guard let key = element.value("Key"), let version = element.value("VersionId") else { continue }
                entries.append(VersionEntry(key: key, versionID: version, isLatest: element.value("IsLatest") == "true",
                                            isDeleteMarker: element.name == "DeleteMarker",
                                            lastModified: element.value("LastModified").flatMap(Self.isoDate),
                                            size: element.value("Size").flatMap(Int.init) ?? 0))
            }
            guard root.value("IsTruncated") == "true", let nextKey = root.value("NextKeyMarker") else { return entries }
            markers = [("key-marker", nextKey)] + (root.value("NextVersionIdMarker").map { [("version-id-marker", $0)] } ?? [])
        }
    }

    struct Answer {
        let status: Int
        let headers: HTTPHeaders
        let body: Data
    }

    @discardableResult
    func expect(_ status: Int, _ answer: Answer) throws -> Answer {
        guard answer.status == status else { throw S3Error.from(status: answer.status, body: answer.body) }
        return answer
    }

    /// One signed request.
    func send(_ method: String, bucket: String, key: String? = nil, query: [(String, String)] = [],
                      headers: [(String, String)] = [], body: Data = Data()) async throws -> Answer {
        let base = configuration.endpoint.absoluteString.hasSuffix("/") ? String(configuration.endpoint.absoluteString.dropLast())
            : configuration.endpoint.absoluteString
        let path = SignatureV4.encodePath("/\(bucket)" + (key.map { "/\($0)" } ?? ""))
        let encodedQuery = SignatureV4.canonicalQuery(query.map { (name: $0.0, value: $0.1) })
        var request = HTTPClientRequest(url: base + path + (encodedQuery.isEmpty ? "" : "?" + encodedQuery))
        request.method = HTTPMethod(rawValue: method)
        let payloadHash = SignatureV4.payloadHash(body)
        var host = configuration.endpoint.host ?? ""
        if let port = configuration.endpoint.port { host += ":\(port)" }
        let signedHeaders = [("host", host), ("x-amz-content-sha256", payloadHash)] + headers
        let signature = signer.sign(SignatureV4.Request(method: method, encodedPath: path, query: query.map { (name: $0.0, value: $0.1) },
                                                        headers: signedHeaders.map { (name: $0.0, value: $0.1) }, payloadHash: payloadHash),
                                    date: Date())
        for (name, value) in signedHeaders.dropFirst() + signature.map({ ($0.name, $0.value) }) { request.headers.add(name: name, value: value) }
        if !body.isEmpty || method == "PUT" || method == "POST" { request.body = .bytes(ByteBuffer(bytes: [UInt8](body))) }
        let response = try await client.execute(request, timeout: .init(configuration.timeout))
        let bytes = try await response.body.collect(upTo: 256 << 20)
        return Answer(status: Int(response.status.code), headers: response.headers, body: Data(bytes.readableBytesView))
    }

    /// A body's SHA-256 as S3's checksum headers carry it: base64.
    public static func checksum(_ body: Data) -> String {
        Data(SHA256.hash(data: body)).base64EncodedString()
    }

    static func isoDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }

    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
