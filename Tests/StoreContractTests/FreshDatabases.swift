import SQLKit
import Storage
import TestSupport
import Testing

/// Gives every test case its own empty databases, on the engine the case names, and drops them
/// when the case ends — whether it passed, failed or threw (compare SwiftPackageIndex-Server's
/// database setup trait). A test asks for one with ``freshDatabase(_:migrations:)``.
struct FreshDatabasesTrait: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        // The suite and each test function pass through here too; only a test case gets databases.
        guard testCase != nil else { return try await function() }
        let databases = TestDatabases()
        do {
            try await FreshDatabases.$current.withValue(databases) { try await function() }
        } catch {
            await databases.closeAll()
            // postgres-nio's errors print a generic line; the server's message says what went wrong.
            throw TestDatabaseError(PostgresCellDatabase.describe(error))
        }
        await databases.closeAll()
    }
}

extension Trait where Self == FreshDatabasesTrait {
    /// Each test case gets empty databases of its own, dropped afterwards.
    static var freshDatabases: Self { FreshDatabasesTrait() }
}

enum FreshDatabases {
    @TaskLocal static var current: TestDatabases?
}

/// An empty database on `engine` with `migrations` applied, for the current test case alone.
func freshDatabase(_ engine: TestDatabases.Engine, migrations: [Migration]) async throws -> any RegionalDatabase {
    guard let databases = FreshDatabases.current else {
        throw TestDatabaseError("the suite needs the .freshDatabases trait")
    }
    return try await databases.fresh(engine, migrations: migrations)
}

/// Says visibly, once per run, which engines the contract suites run on, and that each one named answers.
@Suite(.freshDatabases) struct DatabaseEngines {
    @Test(.enabled(if: TestDatabases.postgresURL != nil, "IWORKZ_TEST_POSTGRES_URL is unset: store contracts run on SQLite only"))
    func postgresAnswers() async throws {
        try await expectAnswer(.postgres)
    }

    @Test(.enabled(if: TestDatabases.pgbouncerURL != nil, "IWORKZ_TEST_PGBOUNCER_URL is unset: store contracts are not run through PgBouncer"))
    func pgbouncerAnswers() async throws {
        try await expectAnswer(.pgbouncer)
    }

    private func expectAnswer(_ engine: TestDatabases.Engine) async throws {
        let database = try await freshDatabase(engine, migrations: [])
        #expect(database.engine == .postgres)
        let row = try await database.sql.raw("SELECT 41 + 1 AS answer").first()
        #expect(try row?.decode(column: "answer", as: Int.self) == 42)
    }
}
