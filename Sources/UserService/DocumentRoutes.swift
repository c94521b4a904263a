public import Foundation
public import Hummingbird
public import ServerKit
internal import NIOCore
internal import HTTPTypes
internal import Sovereignty
internal import Logging

/// Documents of the signed-in person, kept in their home cell: upload, new versions, list, download,
/// delete. Bodies are the document's bytes with their Content-Type; every version is sealed with the
/// person's data key before it reaches the object store.
public struct DocumentRoutes: Sendable {
    let cell: CellIdentity
    let documents: DocumentStore
    let now: @Sendable () -> Date

    public init(cell: CellIdentity, documents: DocumentStore, now: @escaping @Sendable () -> Date = Date.init) {
        self.cell = cell
        self.documents = documents
        self.now = now
    }

    public static let paths: [(method: HTTPRequest.Method, path: String)] = [
        (.get, "/api/v1/users/me/documents"), (.post, "/api/v1/users/me/documents"),
        (.get, "/api/v1/users/me/documents/{id}"), (.put, "/api/v1/users/me/documents/{id}"),
        (.delete, "/api/v1/users/me/documents/{id}"), (.get, "/api/v1/users/me/documents/{id}/versions"),
    ]

    public func add(to router: Router<AppRequestContext>) {
        router.get("/api/v1/users/me/documents") { _, context in try await list(context) }
        router.post("/api/v1/users/me/documents") { request, context in try await upload(request, context) }
        router.get("/api/v1/users/me/documents/{id}") { request, context in try await download(request, context) }
        router.put("/api/v1/users/me/documents/{id}") { request, context in try await replace(request, context) }
        router.delete("/api/v1/users/me/documents/{id}") { _, context in try await delete(context) }
        router.get("/api/v1/users/me/documents/{id}/versions") { _, context in try await versions(context) }
    }

    struct Listing: Encodable {
        let documents: [DocumentInfo]
    }

    func list(_ context: AppRequestContext) async throws -> Response {
        let owner = try owner(context)
        return try .json(Listing(documents: try await documents.list(owner: owner)), headers: [.cacheControl: "private, no-store"])
    }

    func upload(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let owner = try owner(context)
        guard let kind = request.formQuery["kind"], let types = documents.policy.kinds[kind] else {
            throw Problem.validationFailed([.init(pointer: "kind", detail: "query parameter kind must be one of \(documents.policy.kinds.keys.sorted().joined(separator: ", "))")])
        }
        let (contentType, data) = try await body(of: request, accepting: types, kind: kind)
        let id = RegionalID.generate(kind: .document, regionCode: cell.region.idCode, millisecondsSince1970: Timestamps.milliseconds(now()))
        let info = try await documents.store(data, contentType: contentType, kind: kind, owner: owner, document: id)
        context.logger.info("document stored", metadata: ["document_id": "\(id)", "document_kind": "\(kind)", "bytes": "\(data.count)"])
        return try .json(info, status: .created, headers: [.location: "/api/v1/users/me/documents/\(id)"])
    }

    func replace(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let owner = try owner(context)
        let id = try documentID(context)
        guard let current = try await documents.versions(owner: owner, document: id).first else {
            throw Problem.notFound("no document \(id)")
        }
        let (contentType, data) = try await body(of: request, accepting: documents.policy.kinds[current.kind] ?? [], kind: current.kind)
        return try .json(try await documents.store(data, contentType: contentType, kind: current.kind, owner: owner, document: id))
    }

    func download(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let owner = try owner(context)
        let id = try documentID(context)
        let version = request.formQuery["version"]
        guard let (info, data) = try await documents.read(owner: owner, document: id, version: version) else {
            throw Problem.notFound(version.map { "no version \($0.prefix(16)) of document \(id)" } ?? "no document \(id)")
        }
        return Response(status: .ok, headers: [
            .contentType: info.contentType, .cacheControl: "private, no-store",
            .contentDisposition: "attachment; filename=\"\(info.kind)-\(info.version)\(Self.fileExtension(info.contentType))\"",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff", HTTPField.Name("X-Document-Version")!: info.version,
        ], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    struct VersionListing: Encodable {
        let versions: [DocumentInfo]
    }

    func versions(_ context: AppRequestContext) async throws -> Response {
        let owner = try owner(context)
        let id = try documentID(context)
        let all = try await documents.versions(owner: owner, document: id)
        guard !all.isEmpty else { throw Problem.notFound("no document \(id)") }
        return try .json(VersionListing(versions: all), headers: [.cacheControl: "private, no-store"])
    }

    func delete(_ context: AppRequestContext) async throws -> Response {
        let owner = try owner(context)
        let id = try documentID(context)
        guard try await documents.delete(owner: owner, document: id) else { throw Problem.notFound("no document \(id)") }
        return Response(status: .noContent)
    }

    /// Reads and checks an upload: a supported type for the kind, within the size limit, and bytes
    /// that are what the type says.
    private func body(of request: Request, accepting types: [String], kind: String) async throws -> (String, Data) {
        guard let type = DocumentContent.mediaType(request.headers[.contentType]), types.contains(type) else {
            throw Problem("unsupported-media-type", status: .unsupportedMediaType, title: "Document type is not accepted",
                          detail: "a \(kind) must be one of \(types.joined(separator: ", ")); got \(request.headers[.contentType]?.prefix(64) ?? "none")")
        }
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: documents.policy.maxBytes) } catch is NIOTooManyBytesError {
            throw Problem.bodyTooLarge(limit: documents.policy.maxBytes)
        }
        let data = Data(buffer.readableBytesView)
        guard !data.isEmpty else { throw Problem.invalidBody("the document is empty") }
        guard DocumentContent.signature(of: type)?(data) == true else {
            // The bytes are of a format the endpoint does not take, whatever the header says (RFC 9110 §15.5.16).
            throw Problem("unsupported-media-type", status: .unsupportedMediaType, title: "Document type is not accepted",
                          detail: "the bytes are not a \(type) document")
        }
        return (type, data)
    }

    private func owner(_ context: AppRequestContext) throws -> RegionalID {
        let principal = try context.requirePrincipal()
        try cell.requireHome(principal.userID)
        return principal.userID
    }

    private func documentID(_ context: AppRequestContext) throws -> RegionalID {
        do { return try RegionalID.parse(try context.parameters.require("id"), kind: .document) } catch let error as SovereigntyError {
            throw Problem.malformedID(error.message)
        }
    }

    private static func fileExtension(_ type: String) -> String {
        switch type {
        case "application/pdf": ".pdf"
        case "image/jpeg": ".jpg"
        case "image/png": ".png"
        case "text/plain": ".txt"
        default: ""
        }
    }
}
