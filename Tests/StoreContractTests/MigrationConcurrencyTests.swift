import Identity
import JobService
import Logging
import Storage
import TestSupport
import Testing
import UserService

/// Several processes starting at once against a new database: each migration must be applied once,
/// whoever gets there first, and every start must succeed.
@Suite(.freshDatabases)
struct MigrationConcurrencyTests {
    static let migrations = SQLUserStore.migrations + SQLJobStore.migrations + SQLGrantStore.migrations

    @Test(arguments: TestDatabases.engines.filter { $0 != .sqlite })
    func concurrentStartsApplyEachMigrationOnce(engine: TestDatabases.Engine) async throws {
        guard let databases = FreshDatabases.current, let template = try databases.urlTemplate(engine) else {
            Issue.record("the suite needs the .freshDatabases trait")
            return
        }
        let location = try PostgresLocation(url: template)
        let logger = Logger(label: "migrations") { _ in SwiftLogNoOpLogHandler() }
        try await PostgresCellDatabase.createIfMissing(location, logger: logger)
        // Each start opens its own pool, as a process would, and migrates at once.
        let applied = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let database = try await PostgresCellDatabase.open(location: location, migrations: [], logger: logger)
                    do {
                        let applied = try await database.migrate(Self.migrations)
                        try await database.close()
                        return applied
                    } catch {
                        try? await database.close()
                        throw error
                    }
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        let expected = Self.migrations.map(\.id)
        #expect(applied.sorted() == expected.sorted(), "every migration applied exactly once across the four starts")
        let database = try await PostgresCellDatabase.open(location: location, migrations: [], logger: logger)
        let recorded = try await database.sql.raw("SELECT id FROM schema_migrations ORDER BY id").all()
            .map { try $0.decode(column: "id", as: String.self) }
        try await database.close()
        #expect(recorded == expected.sorted())
    }
}
