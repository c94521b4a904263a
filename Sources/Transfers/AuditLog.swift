public import Foundation
internal import Crypto
internal import SQLKit
public import Storage

/// A cell's tamper-evident audit log: each entry carries the SHA-256 of the previous entry's hash and
/// its own content, so editing or deleting any entry breaks the chain from there on. The newest
/// sequence number and hash are also written to a head file outside the database, so cutting entries
/// off the end is detected too.
public struct AuditLog: Sendable {
    public struct Entry: Sendable, Codable, Hashable {
        public let seq: Int
        public let at: String
        public let event: String
        /// Canonical JSON (sorted keys) of the event's details; identifiers only, never names or contact data.
        public let body: String
        public let previousHash: String
        public let hash: String
    }

    /// The outcome of checking a log.
    public struct Verification: Sendable, Equatable {
        public let entries: Int
        /// Nil when the chain and the head agree; otherwise what is wrong, first problem only.
        public let problem: String?
        public var isIntact: Bool { problem == nil }
    }

    static let genesis = String(repeating: "0", count: 64)

    public static let migrations: [Migration] = [
        Migration(id: "audit-001", sqlite: [
            """
            CREATE TABLE audit_log (
                seq INTEGER PRIMARY KEY, at TEXT NOT NULL, event TEXT NOT NULL, body TEXT NOT NULL,
                previous_hash TEXT NOT NULL, hash TEXT NOT NULL)
            """,
        ], postgres: [
            """
            CREATE TABLE audit_log (
                seq BIGINT PRIMARY KEY, at TEXT NOT NULL, event TEXT NOT NULL, body TEXT NOT NULL,
                previous_hash TEXT NOT NULL, hash TEXT NOT NULL)
            """,
        ]),
    ]

    let database: any TransactionalDatabase
    /// `<data>/audit/<region>.head`; nil keeps no head (tests of the chain alone).
    let headFile: URL?

    public init(database: any TransactionalDatabase, headFile: URL?) {
        self.database = database
        self.headFile = headFile
    }

    static func hash(previous: String, seq: Int, at: String, event: String, body: String) -> String {
        let digest = SHA256.hash(data: Data([previous, String(seq), at, event, body].joined(separator: "\n").utf8))
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    /// Appends an event; the chain position is taken under the cell's write lock.
    @discardableResult
    public func append(event: String, details: some Encodable & Sendable, at date: Date = Date()) async throws -> Entry {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = String(decoding: try encoder.encode(details), as: UTF8.self)
        let at = date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        let headFile = headFile
        return try await database.write { sql in
            let last = try await sql.raw("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").first()
            let seq = try (last?.decode(column: "seq", as: Int.self) ?? 0) + 1
            let previous = try last?.decode(column: "hash", as: String.self) ?? Self.genesis
            let hash = Self.hash(previous: previous, seq: seq, at: at, event: event, body: body)
            try await sql.raw("""
                INSERT INTO audit_log (seq, at, event, body, previous_hash, hash)
                VALUES (\(bind: seq), \(bind: at), \(bind: event), \(bind: body), \(bind: previous), \(bind: hash))
                """).run()
            if let headFile {
                try FileManager.default.createDirectory(at: headFile.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data("\(seq) \(hash)\n".utf8).write(to: headFile, options: .atomic)
            }
            return Entry(seq: seq, at: at, event: event, body: body, previousHash: previous, hash: hash)
        }
    }

    /// Every entry, oldest first.
    public func entries() async throws -> [Entry] {
        try await database.sql.raw("SELECT seq, at, event, body, previous_hash, hash FROM audit_log ORDER BY seq").all().map { row in
            Entry(seq: try row.decode(column: "seq", as: Int.self), at: try row.decode(column: "at", as: String.self),
                  event: try row.decode(column: "event", as: String.self), body: try row.decode(column: "body", as: String.self),
                  previousHash: try row.decode(column: "previous_hash", as: String.self), hash: try row.decode(column: "hash", as: String.self))
        }
    }

    /// Recomputes the chain and compares its end with the head file.
    public func verify() async throws -> Verification {
        let entries = try await entries()
        var previous = Self.genesis
        for (index, entry) in entries.enumerated() {
            guard entry.seq == index + 1 else {
                return Verification(entries: entries.count, problem: "entry \(index + 1) is missing (found \(entry.seq) next)")
            }
            guard entry.previousHash == previous else {
                return Verification(entries: entries.count, problem: "entry \(entry.seq) does not follow entry \(entry.seq - 1)")
            }
            guard Self.hash(previous: previous, seq: entry.seq, at: entry.at, event: entry.event, body: entry.body) == entry.hash else {
                return Verification(entries: entries.count, problem: "entry \(entry.seq) was altered")
            }
            previous = entry.hash
        }
        guard let headFile else { return Verification(entries: entries.count, problem: nil) }
        let head = (try? String(contentsOf: headFile, encoding: .utf8))?.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        switch (head, entries.last) {
        case (nil, nil):
            return Verification(entries: 0, problem: nil)
        case (nil, .some):
            return Verification(entries: entries.count, problem: "the head file \(headFile.lastPathComponent) is missing")
        case let (.some(head), last):
            guard head.count == 2, head[0] == String(last?.seq ?? 0), head[1] == (last?.hash ?? "") else {
                return Verification(entries: entries.count,
                                    problem: "the log ends at entry \(last?.seq ?? 0) but the head records entry \(head.first ?? "?"): entries were removed")
            }
            return Verification(entries: entries.count, problem: nil)
        }
    }
}
