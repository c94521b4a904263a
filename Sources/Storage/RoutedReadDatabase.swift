internal import Logging
internal import NIOCore
internal import PostgresKit
internal import SQLKit

/// The reads of a database with replicas: each statement goes to a replica under the lag bound,
/// or to the primary when none is, or when the caller wrote within the read-your-writes window.
struct RoutedReadDatabase: SQLDatabase {
    let primary: any SQLDatabase
    let replicas: ReplicaSet
    let recentWriters: RecentWriters

    var logger: Logger { primary.logger }
    var eventLoop: any EventLoop { primary.eventLoop }
    var dialect: any SQLDialect { primary.dialect }
    var version: (any SQLDatabaseReportedVersion)? { nil }
    var queryLogLevel: Logger.Level? { nil }

    /// Where the next read goes.
    func target() -> any SQLDatabase {
        if let caller = DatabaseCaller.current, recentWriters.wroteRecently(caller) { return primary }
        return replicas.readable() ?? primary
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        target().execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await target().execute(sql: query, onRow)
    }
}
