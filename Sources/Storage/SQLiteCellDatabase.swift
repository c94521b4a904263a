public import Foundation
public import Logging
public import SQLKit
internal import SQLiteKit
internal import Synchronization

/// The embedded database of one regional cell: a SQLite file in WAL mode, migrated at open.
///
/// SQLite allows one writer at a time, so the cell keeps one connection; every service of the cell
/// shares it through ``sql``.
public final class SQLiteCellDatabase: RegionalDatabase {
    public var engine: SQLEngine { .sqlite }
    /// The query interface shared by the cell's stores.
    public let sql: any SQLDatabase
    /// The file holding the cell's data.
    public let path: String
    private let connection: SQLiteConnection
    private let migrationIDs: [String]
    private let writeLock = WriteLock()
    private let closed = Atomic<Bool>(false)

    private init(connection: SQLiteConnection, path: String, migrationIDs: [String]) {
        self.connection = connection
        self.sql = TracedSQLDatabase(connection.sql(queryLogLevel: nil), system: "sqlite")
        self.path = path
        self.migrationIDs = migrationIDs
    }

    /// Opens (creating if needed) the database file and applies the migrations not yet applied.
    public static func open(path: String, migrations: [Migration], logger: Logger) async throws -> SQLiteCellDatabase {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        let database = SQLiteCellDatabase(connection: connection, path: path, migrationIDs: migrations.map(\.id))
        do {
            try await database.configure()
            try await Migrator(database: database).apply(migrations)
        } catch {
            try? await database.close()
            throw error
        }
        return database
    }

    private func configure() async throws {
        try await sql.raw("PRAGMA journal_mode = WAL").run()
        try await sql.raw("PRAGMA synchronous = NORMAL").run()
        try await sql.raw("PRAGMA foreign_keys = ON").run()
        try await sql.raw("PRAGMA busy_timeout = 5000").run()
    }

    /// The journal mode in effect (`wal` once open).
    public func journalMode() async throws -> String {
        let row = try await sql.raw("PRAGMA journal_mode").first()
        return try row?.decode(column: "journal_mode", as: String.self) ?? ""
    }

    public func isReady() async -> Bool {
        await Migrator(database: self).hasApplied(migrationIDs)
    }

    public func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        await writeLock.lock()
        defer { writeLock.unlock() }
        try await sql.raw("BEGIN IMMEDIATE").run()
        do {
            let result = try await body(sql)
            try await sql.raw("COMMIT").run()
            return result
        } catch {
            try? await sql.raw("ROLLBACK").run()
            throw error
        }
    }

    /// Closes the connection; the file stays.
    public func close() async throws {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        try await Self.closeEvenIfCancelled(connection)
    }

    deinit {
        // Dropped without close() (its owner was cancelled before it could close it): the connection
        // is closed anyway, so no file handle leaks and SQLiteNIO's open-connection check holds.
        guard !closed.load(ordering: .acquiring) else { return }
        let connection = connection
        Task { try? await Self.closeEvenIfCancelled(connection) }
    }

    /// SQLiteNIO's async `close()` does nothing in a cancelled task (its thread pool refuses the
    /// work), and a connection dropped open traps in debug builds; the future-based close runs
    /// regardless. A start cancelled halfway (a test's time limit, a stop signal) closes cleanly.
    private static func closeEvenIfCancelled(_ connection: SQLiteConnection) async throws {
        let closing: EventLoopFuture<Void> = connection.close()
        try await closing.get()
    }
}
