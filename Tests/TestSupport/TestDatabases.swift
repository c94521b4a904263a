public import Foundation
public import Logging
public import Storage
import Synchronization

/// Fresh, empty databases for tests, on every engine the environment offers: SQLite always;
/// PostgreSQL when `IWORKZ_TEST_POSTGRES_URL` names a server (its `postgres` database, as a user
/// who may create databases); PgBouncer in transaction mode when `IWORKZ_TEST_PGBOUNCER_URL`
/// names one in front of that server (`scripts/test.sh` starts both).
///
/// Each database a test asks for is created for it alone and dropped by ``closeAll()``.
public final class TestDatabases: Sendable {
    /// Where a test database lives.
    public enum Engine: String, Sendable, CaseIterable, CustomStringConvertible {
        case sqlite, postgres, pgbouncer
        public var description: String { rawValue }
    }

    /// The engines this run can test on, SQLite first.
    public static var engines: [Engine] {
        [.sqlite] + (postgresURL == nil ? [] : [.postgres]) + (pgbouncerURL == nil ? [] : [.pgbouncer])
    }

    public static var postgresURL: String? { nonEmpty("IWORKZ_TEST_POSTGRES_URL") }
    public static var pgbouncerURL: String? { nonEmpty("IWORKZ_TEST_PGBOUNCER_URL") }
    /// A streaming replica of the `IWORKZ_TEST_POSTGRES_URL` server.
    public static var replicaURL: String? { nonEmpty("IWORKZ_TEST_POSTGRES_REPLICA_URL") }

    private static func nonEmpty(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    /// What to remove after the test: PostgreSQL databases named `prefix` or `prefix_…`, or a folder.
    private enum Cleanup: Sendable {
        case drop(admin: PostgresLocation, prefix: String)
        case remove(URL)
    }

    private let opened = Mutex<[any RegionalDatabase]>([])
    private let cleanups = Mutex<[Cleanup]>([])
    private let logger = Logger(label: "test-databases") { _ in SwiftLogNoOpLogHandler() }

    public init() {}

    /// A new empty database on `engine` with `migrations` applied.
    public func fresh(_ engine: Engine, migrations: [Migration]) async throws -> any RegionalDatabase {
        let database: any RegionalDatabase
        if let template = try urlTemplate(engine) {
            let location = try PostgresLocation(url: template)
            try await PostgresCellDatabase.createIfMissing(location, logger: logger)
            database = try await PostgresCellDatabase.open(location: location, migrations: migrations, logger: logger)
        } else {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("iworkz-db-\(UUID().uuidString)")
            cleanups.withLock { $0.append(.remove(folder)) }
            database = try await SQLiteCellDatabase.open(path: folder.appendingPathComponent("cell.sqlite").path, migrations: migrations, logger: logger)
        }
        opened.withLock { $0.append(database) }
        return database
    }

    /// A database URL on `engine` no other test uses, for ``DatabaseChoice/postgres(template:createDatabase:)``
    /// (`{region}` in it when `perRegion`); every database made from it is dropped by ``closeAll()``.
    /// Nil for SQLite, which needs no URL.
    public func urlTemplate(_ engine: Engine, perRegion: Bool = false) throws -> String? {
        guard engine != .sqlite else { return nil }
        guard let adminURL = Self.postgresURL else { throw TestDatabaseError("IWORKZ_TEST_POSTGRES_URL is not set") }
        let admin = try PostgresLocation(url: adminURL)
        let prefix = "iworkz_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        cleanups.withLock { $0.append(.drop(admin: admin, prefix: prefix)) }
        let base: String
        if engine == .pgbouncer {
            guard let bouncerURL = Self.pgbouncerURL else { throw TestDatabaseError("IWORKZ_TEST_PGBOUNCER_URL is not set") }
            base = bouncerURL
        } else {
            base = adminURL
        }
        guard var components = URLComponents(string: base) else { throw TestDatabaseError("\(engine) URL is not a URL") }
        components.path = "/" + prefix + (perRegion ? "_{region}" : "")
        // Small pools: dozens of test cases run at once, each with databases of its own, and every
        // pooled connection is a server process. Five still lets concurrent writes contend.
        components.queryItems = (components.queryItems ?? []).filter { $0.name != "pool_size" } + [URLQueryItem(name: "pool_size", value: "5")]
        guard let url = components.string?.replacingOccurrences(of: "%7Bregion%7D", with: "{region}") else {
            throw TestDatabaseError("cannot make a database URL")
        }
        return url
    }

    /// Closes every database handed out and drops (or deletes) it.
    public func closeAll() async {
        for database in opened.withLock({ all in defer { all = [] }; return all }) {
            try? await database.close()
        }
        for cleanup in cleanups.withLock({ all in defer { all = [] }; return all }) {
            switch cleanup {
            case .remove(let folder):
                try? FileManager.default.removeItem(at: folder)
            case .drop(let admin, let prefix):
                guard let maintenance = try? await PostgresCellDatabase.open(location: admin, migrations: [], logger: logger) else { continue }
                let names = (try? await maintenance.sql.raw("""
                    SELECT datname FROM pg_database WHERE datname = \(bind: prefix) OR starts_with(datname, \(bind: prefix + "_"))
                    """).all().map { try $0.decode(column: "datname", as: String.self) }) ?? []
                for name in names {
                    // FORCE ends PgBouncer's server connections to it, which it keeps after the test closed its own.
                    try? await maintenance.sql.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run()
                }
                try? await maintenance.close()
            }
        }
    }
}

/// A test database that cannot be had.
public struct TestDatabaseError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
