public import Foundation
internal import SQLKit
public import Sovereignty
public import Storage
public import Workforce

/// The part of a worker's record that travels with an application: the purpose's minimum data set.
public struct Applicant: Codable, Sendable, Hashable {
    public var displayName: String?
    public var skills: [String]?
    public var languages: [LanguageProficiency]?
    public var residenceStatus: String?
    public var desiredSalary: Pay?
    public var location: Place?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case skills, languages, location
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

    enum CodingKeys: String, CodingKey {
        case source, destination, outcome, rule, article, basis, reason, fields
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

/// Applications in one cell: those its workers sent and those its employers received.
public struct ApplicationStore: Sendable {
    let database: any TransactionalDatabase

    public init(database: any TransactionalDatabase) {
        self.database = database
    }

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
    ]

    public func insert(_ application: Application) async throws {
        let document = String(decoding: try JSONEncoder().encode(application), as: UTF8.self)
        try await database.write { sql in
            try await sql.raw("""
                INSERT INTO applications (id, direction, job_id, worker_id, employer_id, document, created_at)
                VALUES (\(bind: application.id.description), \(bind: application.direction.rawValue), \(bind: application.jobID.description),
                        \(bind: application.workerID.description), \(bind: application.employerID.description), \(bind: document),
                        \(bind: application.createdAt))
                """).run()
        }
    }

    public func received(for job: RegionalID) async throws -> [Application] {
        try await select(.jobID, job, direction: .received)
    }

    public func sent(by worker: RegionalID) async throws -> [Application] {
        try await select(.workerID, worker, direction: .sent)
    }

    private enum Column: String {
        case jobID = "job_id", workerID = "worker_id"
    }

    private func select(_ column: Column, _ id: RegionalID, direction: Application.Direction) async throws -> [Application] {
        try await database.sql.raw("""
            SELECT document FROM applications WHERE \(unsafeRaw: column.rawValue) = \(bind: id.description)
              AND direction = \(bind: direction.rawValue) ORDER BY created_at, id
            """).all().map { row in
            try JSONDecoder().decode(Application.self, from: Data(try row.decode(column: "document", as: String.self).utf8))
        }
    }
}

/// Hands an application, with the data that may travel, to the job's home cell.
public protocol ApplicationDelivery: Sendable {
    func deliver(_ application: Application, to region: RegionID) async throws
}
