public import Logging
internal import NIOCore
internal import PostgresKit
public import SQLKit

/// A region's database on a PostgreSQL server (directly or through PgBouncer in transaction mode),
/// migrated at open. Reads lease a pooled connection per statement; a write is one transaction on
/// one connection.
///
/// Writes of a region are serialised by a transaction-scoped advisory lock, taken first in every
/// write transaction: the stores were written for SQLite's single writer (the audit chain reads its
/// head and appends, the catalog's change sequence takes `MAX + 1`), and the lock keeps that
/// guarantee across every process of the region. It is released at commit or rollback, so it
/// holds behind PgBouncer's transaction pooling, where session locks would not.
public final class PostgresCellDatabase: RegionalDatabase {
    public var engine: SQLEngine { .postgres }
    public let sql: any SQLDatabase
    /// Where the database is (its description carries no password).
    public let location: PostgresLocation
    /// Reads that may go to a replica (see ``RoutedReadDatabase``); the primary without replicas.
    public let reads: any SQLDatabase
    private let client: PostgresClient
    private let replicas: ReplicaSet
    private let recentWriters: RecentWriters
    /// The pools' and the lag monitor's tasks: they live exactly as long as this database is open.
    private let running: Task<Void, Never>
    private let migrationIDs: [String]
    private let logger: Logger

    /// The advisory lock every write transaction takes: one per database, hence one per region.
    static let writeLockKey: Int64 = 0x6977_6f72_6b7a

    private init(location: PostgresLocation, client: PostgresClient, replicas: ReplicaSet, readYourWritesWindow: Duration,
                 running: Task<Void, Never>, migrationIDs: [String], logger: Logger) {
        self.location = location
        self.client = client
        self.replicas = replicas
        self.running = running
        self.migrationIDs = migrationIDs
        self.logger = logger
        let recentWriters = RecentWriters(window: readYourWritesWindow)
        self.recentWriters = recentWriters
        let primary = TracedSQLDatabase(
            PooledPostgresSQLDatabase(client: client, logger: logger, eventLoop: PostgresClient.defaultEventLoopGroup.any()),
            system: "postgresql")
        self.sql = primary
        if replicas.isEmpty {
            self.reads = primary
        } else {
            self.reads = RoutedReadDatabase(primary: primary, replicas: replicas, recentWriters: recentWriters)
        }
    }

    /// Connects (waiting at most `connectTimeout` for the server to answer) and applies the
    /// migrations not yet applied — or, with `applyMigrations` false, refuses a database that lacks
    /// any of them (``MigrationsPending``), for deployments that migrate in a step of their own.
    ///
    /// With `replicas`, reads through ``reads`` go to a replica whose replay lag is under
    /// `maxReplicaLag` (measured every `lagInterval`) once it has replayed everything the primary
    /// held when this open finished, and a caller's reads go to the primary for `maxReplicaLag`
    /// plus `lagInterval` after their own write.
    public static func open(location: PostgresLocation, replicas replicaLocations: [PostgresLocation] = [], maxReplicaLag: Duration = .seconds(5),
                            lagInterval: Duration = .seconds(1), migrations: [Migration], logger: Logger, applyMigrations: Bool = true,
                            connectTimeout: Duration = .seconds(15)) async throws -> PostgresCellDatabase {
        // One connection first: it fails with the server's reason (no such database, password,
        // TLS refused) where the pool would retry without saying why.
        try await withDeadline(connectTimeout, "\(location) did not answer within \(connectTimeout)") {
            let connection = try await PostgresConnection.connect(configuration: try location.connectionConfiguration(), id: 0, logger: logger)
            try await connection.close()
        }
        let client = PostgresClient(configuration: location.clientConfiguration(), backgroundLogger: logger)
        let primary = PooledPostgresSQLDatabase(client: client, logger: logger, eventLoop: PostgresClient.defaultEventLoopGroup.any())
        let replicas = ReplicaSet(replicas: replicaLocations.enumerated().map { index, replica in
            let pool = PostgresClient(configuration: replica.clientConfiguration(), backgroundLogger: logger)
            return ReplicaSet.Replica(
                location: replica, client: pool,
                database: TracedSQLDatabase(PooledPostgresSQLDatabase(client: pool, logger: logger, eventLoop: PostgresClient.defaultEventLoopGroup.any()),
                                            system: "postgresql"),
                metricDimensions: [("database", location.database), ("replica", "\(index + 1)")])
        }, primary: primary, bound: maxReplicaLag, interval: lagInterval)
        // A pool works only while its `run()` does.
        let running = Task {
            await withDiscardingTaskGroup { group in
                group.addTask { await client.run() }
                for pool in replicas.pools { group.addTask { await pool.run() } }
                if !replicas.isEmpty { group.addTask { await replicas.monitor() } }
            }
        }
        let database = PostgresCellDatabase(location: location, client: client, replicas: replicas,
                                            readYourWritesWindow: maxReplicaLag + lagInterval, running: running,
                                            migrationIDs: migrations.map(\.id), logger: logger)
        do {
            try await withDeadline(connectTimeout, "\(location) did not answer within \(connectTimeout)") {
                try await database.sql.raw("SELECT 1 AS one").run()
            }
            if applyMigrations {
                try await Migrator(database: database).apply(migrations)
            } else {
                let applied = try await Migrator(database: database).appliedIDs()
                let pending = migrations.map(\.id).filter { !applied.contains($0) }
                guard pending.isEmpty else { throw MigrationsPending(database: location.database, ids: pending) }
            }
            if !replicas.isEmpty {
                // Reads right after start (search indexes rebuilt from the tables) must not reach a
                // replica that has not replayed the tables' creation yet.
                let position = try await withDeadline(connectTimeout, "\(location) did not answer within \(connectTimeout)") {
                    try await ReplicaSet.position(of: primary)
                }
                replicas.requireReplay(through: position)
            }
        } catch {
            try? await database.close()
            throw error
        }
        return database
    }

    public func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        if let caller = DatabaseCaller.current { recentWriters.noteWrite(by: caller) }
        return try await client.withConnection { connection in
            let sql = TracedSQLDatabase(connection.sql(queryLogLevel: nil), system: "postgresql")
            try await sql.raw("BEGIN").run()
            do {
                try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: Self.writeLockKey))").run()
                let result = try await body(sql)
                try await sql.raw("COMMIT").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Each replica's last measured lag, and whether it serves reads now.
    public func replicaStatuses() -> [ReplicaStatus] {
        replicas.statuses()
    }

    /// Measures the replicas' lag now rather than at the next poll.
    public func measureReplicas() async {
        await replicas.measure()
    }

    public func isReady() async -> Bool {
        let ids = migrationIDs
        return (try? await withDeadline(.seconds(2), "not ready") { await Migrator(database: self).hasApplied(ids) }) ?? false
    }

    /// Ends the pool's connections.
    public func close() async throws {
        running.cancel()
        await running.value
    }
}

extension PostgresCellDatabase {
    /// One line about a failure: the server's own message and SQLSTATE where there is one
    /// (postgres-nio's errors print a generic text on purpose, to keep query values out of logs).
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] {
            return "\(message) (SQLSTATE \(error.serverInfo?[.sqlState] ?? "?"))"
        }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }
}
