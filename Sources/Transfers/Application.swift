public import Foundation
internal import SQLKit
public import Sovereignty
public import Storage
public import Workforce
public import KeyManagement
public import ServerKit

/// The part of a worker's record that travels with an application: the purpose's minimum data set.
public struct Applicant: Codable, Sendable, Hashable {
    public var displayName: String?
    public var skills: [String]?
    public var languages: [LanguageProficiency]?
    public var residenceStatus: String?
    public var desiredSalary: Pay?
    public var location: Place?
    /// Country and prefecture of the worker's location, without the city.
    public var desiredArea: Place?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case skills, languages, location
        case desiredArea = "desired_area"
        case displayName = "display_name"
        case residenceStatus = "residence_status"
        case desiredSalary = "desired_salary"
    }
}

/// The transfer decision an application went out on, as recorded in both cells' audit logs.
public struct TransferRecord: Codable, Sendable, Hashable {
    public let source: String
    public let destination: String
    public let outcome: String
    public let rule: String
    public let article: String
    public let basis: String?
    public let reason: String
    /// The consent relied on, when the basis is consent.
    public let consentID: String?
    public let fields: [String]
    /// The ongoing duty the rule carries (APPI Art. 28(3)), if any.
    public var duty: String?

    enum CodingKeys: String, CodingKey {
        case source, destination, outcome, rule, article, basis, reason, fields, duty
        case consentID = "consent_id"
    }
}

/// An application, as the worker's cell (sent) or the employer's cell (received) holds it.
public struct Application: Codable, Sendable, Hashable {
    public enum Direction: String, Codable, Sendable {
        case sent, received
    }

    public let id: RegionalID
    public let direction: Direction
    public let jobID: RegionalID
    public let workerID: RegionalID
    public let employerID: RegionalID
    /// The other side's cell.
    public let counterpartRegion: RegionID
    /// The data the employer received (received side only).
    public let applicant: Applicant?
    public let transfer: TransferRecord
    public let createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, direction, applicant, transfer
        case jobID = "job_id"
        case workerID = "worker_id"
        case employerID = "employer_id"
        case counterpartRegion = "counterpart_region"
        case createdAt = "created_at"
    }
}

/// Applications in one cell: those its workers sent and those its employers received. Each is sealed
/// with a data key this cell holds for the worker, so erasing the worker here (or, for received
/// applications, a retraction from the worker's home cell) leaves only unreadable copies in backups.
public struct ApplicationStore: PersonalRecords {
    let database: any TransactionalDatabase
    let cipher: PersonalDataCipher

    public init(database: any TransactionalDatabase, cipher: PersonalDataCipher) {
        self.database = database
        self.cipher = cipher
    }

    static let sealingContext = "applications.document"

    public static let migrations: [Migration] = [
        Migration(id: "applications-001", statements: [
            """
            CREATE TABLE applications (
                id TEXT NOT NULL, direction TEXT NOT NULL, job_id TEXT NOT NULL, worker_id TEXT NOT NULL,
                employer_id TEXT NOT NULL, document TEXT NOT NULL, created_at TEXT NOT NULL,
                PRIMARY KEY (id, direction))
            """,
            "CREATE INDEX applications_job ON applications (job_id, direction)",
            "CREATE INDEX applications_worker ON applications (worker_id, direction)",
        ]),
        Migration(id: "applications-002", statements: [
            "CREATE INDEX applications_employer ON applications (employer_id, direction, created_at)",
        ]),
    ]

    public func insert(_ application: Application) async throws {
        let document = try await cipher.seal(try JSONEncoder().encode(application), subject: application.workerID.description,
                                             context: Self.sealingContext).base64EncodedString()
        try await database.write { sql in
            try await sql.raw("""
                INSERT INTO applications (id, direction, job_id, worker_id, employer_id, document, created_at)
                VALUES (\(bind: application.id.description), \(bind: application.direction.rawValue), \(bind: application.jobID.description),
                        \(bind: application.workerID.description), \(bind: application.employerID.description), \(bind: document),
                        \(bind: application.createdAt))
                """).run()
        }
    }

    /// Whether an application with this id and direction is stored.
    public func contains(_ id: RegionalID, direction: Application.Direction) async throws -> Bool {
        try await database.sql.raw("""
            SELECT 1 AS found FROM applications WHERE id = \(bind: id.description) AND direction = \(bind: direction.rawValue)
            """).first() != nil
    }

    public func received(for job: RegionalID) async throws -> [Application] {
        try await select(.jobID, job, direction: .received)
    }

    public func sent(by worker: RegionalID) async throws -> [Application] {
        try await select(.workerID, worker, direction: .sent)
    }

    /// How many workers of this cell sent applications to `employer` from `since` (a timestamp) on: the
    /// persons whose data it received, which bulk thresholds count (28 CFR 202.205).
    public func workersSent(to employer: RegionalID, since: String) async throws -> Int {
        let row = try await database.sql.raw("""
            SELECT COUNT(DISTINCT worker_id) AS workers FROM applications
            WHERE employer_id = \(bind: employer.description) AND direction = \(bind: Application.Direction.sent.rawValue)
              AND created_at >= \(bind: since)
            """).first()
        return try row?.decode(column: "workers", as: Int.self) ?? 0
    }

    public var recordKind: String { "applications" }

    /// Deletes the worker's applications in this cell and destroys the key they were sealed with.
    public func erase(person: RegionalID) async throws -> Int {
        try await cipher.vault.destroy(subject: person.description)
        return try await database.write { sql in try await sql.deleteRows(from: "applications", where: "worker_id", equals: person.description) }
    }

    private enum Column: String {
        case jobID = "job_id", workerID = "worker_id"
    }

    private func select(_ column: Column, _ id: RegionalID, direction: Application.Direction) async throws -> [Application] {
        var found: [Application] = []
        for row in try await database.sql.raw("""
            SELECT worker_id, document FROM applications WHERE \(unsafeRaw: column.rawValue) = \(bind: id.description)
              AND direction = \(bind: direction.rawValue) ORDER BY created_at, id
            """).all() {
            let worker = try row.decode(column: "worker_id", as: String.self)
            guard let sealed = Data(base64Encoded: try row.decode(column: "document", as: String.self)) else {
                throw KeyManagementError.unreadable("a stored application is not sealed")
            }
            do {
                let plain = try await cipher.open(sealed, subject: worker, context: Self.sealingContext)
                found.append(try JSONDecoder().decode(Application.self, from: plain))
            } catch KeyManagementError.dataKeyDestroyed {
                // Retracted by the worker's erasure while being read: no longer an application.
                continue
            }
        }
        return found
    }
}

/// Hands an application, with the data that may travel, to the job's home cell.
public protocol ApplicationDelivery: Sendable {
    func deliver(_ application: Application, to region: RegionID) async throws
}

/// Tells the other regions that a person was erased in their home cell: each deletes what it
/// received from them and refuses their tokens from then on.
public protocol ErasureNotices: Sendable {
    /// Called once the home cell has erased the person. `recipients` are the regions their
    /// applications went to; the answer names the regions told (or, where delivery waits for a
    /// region to come back, committed to be told).
    func erased(_ person: RegionalID, recipients: [RegionID]) async throws -> [RegionID]
}
