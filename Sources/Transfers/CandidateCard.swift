public import Foundation
public import MatchingEngine
internal import SQLKit
public import ServerKit
public import Sovereignty
public import Storage

/// A pseudonymous candidate shown to an employer in another jurisdiction: what the worker opted to
/// show (no name, contact, birth date or document), scored against the job in the worker's home cell.
/// The card id is stable per worker and destination but is not the person's id; only the home cell
/// can map it back.
public struct CandidateCard: Codable, Sendable {
    public let cardID: String
    public let homeRegion: String
    public let score: Double
    public let explanation: [Contribution]
    public let eligibility: EligibilityDecision
    public let profile: Applicant

    enum CodingKeys: String, CodingKey {
        case score, explanation, eligibility, profile
        case cardID = "card_id"
        case homeRegion = "home_region"
    }
}

/// The home cell's map from card ids to its workers, per destination jurisdiction.
public struct CandidateCardStore: PersonalRecords {
    let database: any TransactionalDatabase

    public init(database: any TransactionalDatabase) {
        self.database = database
    }

    public static let migrations: [Migration] = [
        Migration(id: "candidate-cards-001", statements: [
            """
            CREATE TABLE candidate_cards (
                card_id TEXT PRIMARY KEY, worker_id TEXT NOT NULL, destination TEXT NOT NULL, created_at TEXT NOT NULL,
                UNIQUE (worker_id, destination))
            """,
        ]),
    ]

    /// The worker's card id for a destination, created on first use.
    public func cardID(for worker: RegionalID, destination: String, regionCode: String, now: Date) async throws -> String {
        let fresh = RegionalID.generate(kind: .card, regionCode: regionCode, millisecondsSince1970: Timestamps.milliseconds(now)).description
        let created = Timestamps.format(now)
        return try await database.write { sql in
            try await sql.raw("""
                INSERT INTO candidate_cards (card_id, worker_id, destination, created_at)
                VALUES (\(bind: fresh), \(bind: worker.description), \(bind: destination), \(bind: created))
                ON CONFLICT (worker_id, destination) DO NOTHING
                """).run()
            let row = try await sql.raw("""
                SELECT card_id FROM candidate_cards WHERE worker_id = \(bind: worker.description) AND destination = \(bind: destination)
                """).first()
            return try row?.decode(column: "card_id", as: String.self) ?? fresh
        }
    }

    /// A card the worker holds, for their export.
    public struct Issued: Codable, Sendable, Hashable {
        public let cardID: String
        public let destination: String
        public let createdAt: String

        enum CodingKeys: String, CodingKey {
            case destination
            case cardID = "card_id"
            case createdAt = "created_at"
        }
    }

    /// The worker's cards, oldest first.
    public func cards(of worker: RegionalID) async throws -> [Issued] {
        let rows = try await database.sql.raw(
            "SELECT card_id, destination, created_at FROM candidate_cards WHERE worker_id = \(bind: worker.description) ORDER BY created_at"
        ).all()
        return try rows.map {
            Issued(cardID: try $0.decode(column: "card_id", as: String.self), destination: try $0.decode(column: "destination", as: String.self),
                   createdAt: try $0.decode(column: "created_at", as: String.self))
        }
    }

    /// The worker behind a card, for contact through the home cell.
    public func worker(of card: String) async throws -> RegionalID? {
        try await database.sql.raw("SELECT worker_id FROM candidate_cards WHERE card_id = \(bind: card)").first()
            .flatMap { RegionalID(try $0.decode(column: "worker_id", as: String.self)) }
    }

    public var recordKind: String { "candidate_cards" }

    public func erase(person: RegionalID) async throws -> Int {
        try await database.write { sql in try await sql.deleteRows(from: "candidate_cards", where: "worker_id", equals: person.description) }
    }
}
