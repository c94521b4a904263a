public import Foundation
public import Hummingbird
public import ServerKit
public import UserService
internal import Sovereignty
internal import Logging

/// Data-subject rights served in the person's home cell. Export: everything the cell holds about the
/// person, as one JSON document (the right of access and to portability). Erasure: the person's data
/// key is destroyed and their records deleted, and cells that received their applications are told
/// to delete them (correction is `PATCH /api/v1/users/me`).
public struct DataSubjectRoutes: Sendable {
    let cell: CellIdentity
    let users: any UserStore
    let consents: ConsentStore
    let applications: ApplicationStore
    let documents: DocumentStore
    let cards: CandidateCardStore
    /// Every other store holding records about people (sessions, candidate cards…), erased too.
    let otherRecords: [any PersonalRecords]
    let notices: any ErasureNotices
    let audit: AuditLog
    /// Where an erased person's tokens are revoked, in every cell at once.
    let revoked: RevokedSubjects
    /// Opted-in workers, who must leave it at once.
    let pool: CandidatePool
    let now: @Sendable () -> Date

    public init(cell: CellIdentity, users: any UserStore, consents: ConsentStore, applications: ApplicationStore,
                documents: DocumentStore, cards: CandidateCardStore, otherRecords: [any PersonalRecords], notices: any ErasureNotices,
                audit: AuditLog, revoked: RevokedSubjects, pool: CandidatePool,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.revoked = revoked
        self.pool = pool
        self.cell = cell
        self.users = users
        self.consents = consents
        self.applications = applications
        self.documents = documents
        self.cards = cards
        self.otherRecords = otherRecords
        self.notices = notices
        self.audit = audit
        self.now = now
    }

    public static let paths: [(method: HTTPRequest.Method, path: String)] = [
        (.get, "/api/v1/users/me/export"), (.delete, "/api/v1/users/me"),
    ]

    public func add(to router: Router<AppRequestContext>) {
        router.get("/api/v1/users/me/export") { _, context in try await export(context) }
        router.delete("/api/v1/users/me") { _, context in try await erase(context) }
    }

    /// What an erasure removed, as recorded in the audit log (counts and ids only).
    struct Erasure: Codable, Sendable {
        let person: String
        let records: [String: Int]
        /// Cells told to delete the applications they received from the person.
        let recipientsNotified: [String]

        enum CodingKeys: String, CodingKey {
            case person, records
            case recipientsNotified = "recipients_notified"
        }
    }

    func erase(_ context: AppRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try cell.requireHome(principal.userID)
        let person = principal.userID
        guard try await users.find(person) != nil else { throw Problem.notFound("no record for the token's user") }
        let recipients = Set(try await applications.sent(by: person).map(\.counterpartRegion)).sorted { $0.rawValue < $1.rawValue }
        // The data key goes first: from then on every copy of the person's sealed data is unreadable,
        // whatever happens to the deletions after it.
        try await users.erase(person)
        // From here on none of the person's tokens works, in any cell, and their streams end.
        revoked.revoke(person.description)
        pool.remove(person)
        var records = ["user": 1]
        for store in [documents as any PersonalRecords, applications, consents, cards] + otherRecords {
            records[store.recordKind] = try await store.erase(person: person)
        }
        var notified: [String] = []
        do {
            notified = try await notices.erased(person, recipients: recipients.filter { $0 != cell.region.id }).map(\.rawValue)
        } catch {
            context.logger.error("could not tell other regions of an erasure", metadata: ["error_type": "\(type(of: error))"])
        }
        let erasure = Erasure(person: person.description, records: records, recipientsNotified: notified)
        try await audit.append(event: "person-erased", details: erasure, at: now())
        context.logger.info("person erased", metadata: ["user_id": "\(person)"])
        return try .json(erasure)
    }

    struct Export: Encodable {
        let exportedAt: String
        let region: String
        let user: User
        let consents: [Consent]
        let applicationsSent: [Application]
        /// The person's documents; each is downloadable at `/api/v1/users/me/documents/{id}`.
        let documents: [DocumentInfo]
        /// Pseudonymous candidate cards shown abroad under the person's consent.
        let candidateCards: [CandidateCardStore.Issued]
        /// Audit entries that name the person (consents, withdrawals, transfer decisions).
        let auditEntries: [AuditLog.Entry]

        enum CodingKeys: String, CodingKey {
            case region, user, consents, documents
            case candidateCards = "candidate_cards"
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
            documents: try await documents.list(owner: principal.userID), candidateCards: try await cards.cards(of: principal.userID),
            auditEntries: entries)
        return try .json(document, headers: [
            .cacheControl: "private, no-store",
            .contentDisposition: "attachment; filename=\"iworkz-export-\(id).json\"",
        ])
    }
}
