import Foundation
import JobService
import Logging
import Sovereignty
import SQLKit
import Storage
import TestSupport
import Testing

/// Reads of a database with a streaming replica, against a real one whose replay is paused and resumed
/// (one test at a time: pausing replay pauses it for every database on the replica).
@Suite(.serialized, .freshDatabases, .enabled(if: TestDatabases.replicaURL != nil, "IWORKZ_TEST_POSTGRES_REPLICA_URL is unset: replica routing is not tested"))
struct ReplicaRoutingTests {
    let logger = Logger(label: "replica-test") { _ in SwiftLogNoOpLogHandler() }

    @Test func readsLeaveAReplicaThatFallsBehindAndComeBackWhenItCatchesUp() async throws {
        let template = try #require(try FreshDatabases.current?.urlTemplate(.postgres))
        let primaryLocation = try PostgresLocation(url: template)
        try await PostgresCellDatabase.createIfMissing(primaryLocation, logger: logger)
        let replicaLocation = try PostgresLocation(url: try #require(TestDatabases.replicaURL)).with(database: primaryLocation.database)
        let database = try await PostgresCellDatabase.open(
            location: primaryLocation, replicas: [replicaLocation], maxReplicaLag: .seconds(3), lagInterval: .milliseconds(100),
            migrations: SQLJobStore.migrations, logger: logger)
        // The replica seen directly, to pause its replay and to see what it has (once it has replayed the database's creation).
        var opened: PostgresCellDatabase?
        try await waitUntil("the replica has the new database") {
            opened = try? await PostgresCellDatabase.open(location: replicaLocation, migrations: [], logger: logger)
            return opened != nil
        }
        let replica = try #require(opened)
        let jobs = SQLJobStore(database: database)
        do {
            try await jobs.upsert(Fixtures.job(1, title: "before the pause"))
            try await waitUntil("the replica has replayed the first posting") {
                // Until it has replayed the migrations, the replica has no jobs table at all.
                (try? await replica.sql.raw("SELECT 1 AS one FROM jobs WHERE id = \(bind: Fixtures.id(.job, 1).description)").first()) != nil
            }
            try await waitUntil("the replica serves reads") { await database.measureReplicas(); return database.replicaStatuses().first?.serving == true }

            try await replica.sql.raw("SELECT pg_wal_replay_pause()").run()
            try await jobs.upsert(Fixtures.job(2, title: "written while replay is paused"))
            await database.measureReplicas()
            #expect(database.replicaStatuses().first?.serving == true, "within the bound, the replica still serves")
            #expect(try await jobs.find(Fixtures.id(.job, 2)) == nil, "a read from the paused replica does not see the new posting")

            // Read-your-writes: the writer reads from the primary; anyone else still from the replica.
            try await DatabaseCaller.$current.withValue("usr_writer") {
                try await jobs.upsert(Fixtures.job(3, title: "the writer's own"))
                let found = try await jobs.find(Fixtures.id(.job, 3))
                #expect(found != nil, "the writer sees their write at once")
            }
            try await DatabaseCaller.$current.withValue("usr_other") {
                let found = try await jobs.find(Fixtures.id(.job, 3))
                #expect(found == nil, "another caller reads the lagging replica")
            }

            try await waitUntil("the lag passes the bound") { await database.measureReplicas(); return database.replicaStatuses().first?.serving == false }
            let lag = try #require(database.replicaStatuses().first?.lagSeconds)
            #expect(lag >= 3)
            #expect(try await jobs.find(Fixtures.id(.job, 2)) != nil, "past the bound, reads go to the primary")

            try await replica.sql.raw("SELECT pg_wal_replay_resume()").run()
            try await waitUntil("the replica catches up and serves again") {
                await database.measureReplicas()
                return database.replicaStatuses().first?.lagSeconds == 0
            }
            #expect(database.replicaStatuses().first?.serving == true)
            #expect(try await jobs.find(Fixtures.id(.job, 2)) != nil, "the replica has caught up")
            let count = try await replica.sql.raw("SELECT count(*) AS n FROM jobs").first()?.decode(column: "n", as: Int.self)
            #expect(count == 3)
        } catch {
            try? await replica.sql.raw("SELECT pg_wal_replay_resume()").run()
            try? await replica.close()
            try? await database.close()
            throw error
        }
        try await replica.close()
        try await database.close()
    }

    /// A process that creates and migrates its database reads at once (search indexes are rebuilt
    /// from the tables): the replica has replayed the database's creation a moment ago, so its lag
    /// looks small, yet it has no tables. It must get no reads until it has replayed them.
    @Test func aReplicaGetsNoReadsUntilItHasReplayedTheMigrationsOfTheOpen() async throws {
        let template = try #require(try FreshDatabases.current?.urlTemplate(.postgres))
        let primaryLocation = try PostgresLocation(url: template)
        try await PostgresCellDatabase.createIfMissing(primaryLocation, logger: logger)
        let replicaLocation = try PostgresLocation(url: try #require(TestDatabases.replicaURL)).with(database: primaryLocation.database)
        var opened: PostgresCellDatabase?
        try await waitUntil("the replica has the new database") {
            opened = try? await PostgresCellDatabase.open(location: replicaLocation, migrations: [], logger: logger)
            return opened != nil
        }
        let replica = try #require(opened)
        try await replica.sql.raw("SELECT pg_wal_replay_pause()").run()
        var database: PostgresCellDatabase?
        do {
            // A bound far above anything this test takes: only the replayed position keeps reads away.
            let primary = try await PostgresCellDatabase.open(
                location: primaryLocation, replicas: [replicaLocation], maxReplicaLag: .seconds(600), lagInterval: .milliseconds(50),
                migrations: SQLJobStore.migrations, logger: logger)
            database = primary
            let jobs = SQLJobStore(database: primary)
            try await Task.sleep(for: .milliseconds(200))
            await primary.measureReplicas()
            let status = try #require(primary.replicaStatuses().first)
            #expect(!status.serving, "a replica without the migrated tables serves no reads")
            #expect(try await jobs.find(Fixtures.id(.job, 1)) == nil, "the read went to the primary, which has the table")
            #expect(try await replica.sql.raw("SELECT to_regclass('jobs') IS NULL AS missing").first()?.decode(column: "missing", as: Bool.self) == true,
                    "the paused replica really lacks the table")

            try await replica.sql.raw("SELECT pg_wal_replay_resume()").run()
            try await waitUntil("the replica has replayed the migrations and serves") {
                await primary.measureReplicas()
                return primary.replicaStatuses().first?.serving == true
            }
            #expect(try await jobs.find(Fixtures.id(.job, 1)) == nil)
        } catch {
            try? await replica.sql.raw("SELECT pg_wal_replay_resume()").run()
            try? await replica.close()
            try? await database?.close()
            throw error
        }
        try await replica.close()
        try await database?.close()
    }

    @Test func aReplicaThatDoesNotAnswerGetsNoReads() async throws {
        let template = try #require(try FreshDatabases.current?.urlTemplate(.postgres))
        let primaryLocation = try PostgresLocation(url: template)
        try await PostgresCellDatabase.createIfMissing(primaryLocation, logger: logger)
        // Nothing listens on port 1.
        let nowhere = try PostgresLocation(url: "postgres://postgres@127.0.0.1:1/\(primaryLocation.database)?sslmode=disable")
        let database = try await PostgresCellDatabase.open(location: primaryLocation, replicas: [nowhere], lagInterval: .milliseconds(100),
                                                           migrations: SQLJobStore.migrations, logger: logger)
        let jobs = SQLJobStore(database: database)
        try await jobs.upsert(Fixtures.job(1, title: "on the primary"))
        await database.measureReplicas()
        let status = try #require(database.replicaStatuses().first)
        #expect(status.location == nowhere.description)
        #expect(status.lagSeconds == nil)
        #expect(!status.serving)
        #expect(try await jobs.find(Fixtures.id(.job, 1)) != nil)
        try await database.close()
    }

    private func waitUntil(_ what: String, within limit: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting until \(what)")
        throw CancellationError()
    }
}
