public import Hummingbird
public import JobService
public import MatchingEngine
public import ServerKit
public import Sovereignty
internal import Foundation
internal import HTTPTypes
internal import MutualTLS

/// A backend-api's side of the port to its own region's matching engine, under `/internal/v1/`:
/// the catalog's change feed (every posting the region holds, in the order it changed) and the
/// matching profile of one of the region's workers. Only the matching engine of the same region may
/// call them, by the identity ``PeerIdentityGate`` read from its certificate; a profile never leaves
/// its region this way.
public struct MatchingFeedRoutes: Sendable {
    let region: RegionID
    let postings: SQLJobStore
    let profiles: any WorkerProfiles

    public init(region: RegionID, postings: SQLJobStore, profiles: any WorkerProfiles) {
        self.region = region
        self.postings = postings
        self.profiles = profiles
    }

    /// Every method and path template answered, for metric and span names.
    public static let endpoints: [(method: String, path: String)] = [
        ("GET", "/internal/v1/catalog/changes"), ("GET", "/internal/v1/worker-profiles/{id}"),
    ]
    static let changesPath = "/internal/v1/catalog/changes"
    static func profilePath(_ id: RegionalID) -> String { "/internal/v1/worker-profiles/\(id)" }
    /// The most changes one answer carries.
    static let pageLimit = 500

    /// One page of the feed; `next` is where the following page starts.
    struct ChangePage: Codable, Sendable {
        let changes: [SQLJobStore.Change]
        let next: Int64
    }

    public func add(to router: Router<AppRequestContext>) {
        router.get("/internal/v1/catalog/changes") { request, context in try await changes(request) }
        router.get("/internal/v1/worker-profiles/{id}") { request, context in try await profile(request, context) }
    }

    /// Only this region's matching engine; 403 otherwise.
    func requireEngine(_ request: Request) throws {
        guard let claimed = request.headers[PeerIdentityGate.callerHeader], let identity = ServiceIdentity(description: claimed),
              identity.role == .matchingEngine, identity.region == region.rawValue else {
            throw Problem.forbidden("only \(region)'s matching engine may call \(request.uri.path)")
        }
    }

    func changes(_ request: Request) async throws -> Response {
        try requireEngine(request)
        var after: Int64 = 0
        if let text = request.formQuery["after"] {
            guard let value = Int64(text), value >= 0 else {
                throw Problem.validationFailed([.init(pointer: "?after", detail: "must be a whole number from 0")])
            }
            after = value
        }
        var limit = Self.pageLimit
        if let text = request.formQuery["limit"] {
            guard let value = Int(text), (1...Self.pageLimit).contains(value) else {
                throw Problem.validationFailed([.init(pointer: "?limit", detail: "must be an integer from 1 to \(Self.pageLimit)")])
            }
            limit = value
        }
        let page = try await postings.changes(after: after, limit: limit)
        return try .json(ChangePage(changes: page, next: page.last?.sequence ?? after), headers: [.cacheControl: "no-store"])
    }

    func profile(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try requireEngine(request)
        guard let text = context.parameters.get("id"), let id = try? RegionalID.parse(text), id.kind == .user else {
            throw Problem.malformedID("id is not a user id")
        }
        guard let query = try await profiles.query(for: id) else { throw Problem.notFound("no worker profile \(id) in \(region)") }
        return try .json(query, headers: [.cacheControl: "no-store"])
    }
}
