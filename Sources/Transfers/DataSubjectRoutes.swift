public import Foundation
public import Hummingbird
public import ServerKit
public import UserService
internal import Sovereignty

/// Data-subject rights served in the person's home cell. Export: everything the cell holds about the
/// person, as one JSON document (the right of access and to portability).
public struct DataSubjectRoutes: Sendable {
    let cell: CellIdentity
    let users: any UserStore
    let consents: ConsentStore
    let applications: ApplicationStore
    let audit: AuditLog
    let now: @Sendable () -> Date

    public init(cell: CellIdentity, users: any UserStore, consents: ConsentStore, applications: ApplicationStore, audit: AuditLog,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.cell = cell
        self.users = users
        self.consents = consents
        self.applications = applications
        self.audit = audit
        self.now = now
    }

    public static let paths: [(method: HTTPRequest.Method, path: String)] = [(.get, "/api/v1/users/me/export")]

    public func add(to router: Router<AppRequestContext>) {
        router.get("/api/v1/users/me/export") { _, context in try await export(context) }
    }

    struct Export: Encodable {
        let exportedAt: String
        let region: String
        let user: User
        let consents: [Consent]
        let applicationsSent: [Application]
        /// Audit entries that name the person (consents, withdrawals, transfer decisions).
        let auditEntries: [AuditLog.Entry]

        enum CodingKeys: String, CodingKey {
            case region, user, consents
            case exportedAt = "exported_at"
            case applicationsSent = "applications_sent"
            case auditEntries = "audit_entries"
        }
    }

    func export(_ context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try cell.requireHome(principal.userID)
        guard let user = try await users.find(principal.userID) else { throw Problem.notFound("no record for the token's user") }
        let id = principal.userID.description
        let entries = try await audit.entries().filter { $0.body.contains("\"\(id)\"") }
        let document = Export(
            exportedAt: Timestamps.format(now()), region: cell.region.id.rawValue, user: user,
            consents: try await consents.list(for: principal.userID), applicationsSent: try await applications.sent(by: principal.userID),
            auditEntries: entries)
        return try .json(document, headers: [
            .cacheControl: "private, no-store",
            .contentDisposition: "attachment; filename=\"iworkz-export-\(id).json\"",
        ])
    }
}
