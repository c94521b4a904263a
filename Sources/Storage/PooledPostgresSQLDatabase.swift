internal import Logging
internal import NIOCore
internal import PostgresKit
internal import SQLKit

/// SQLKit's interface over postgres-nio's connection pool: each statement leases a connection for
/// its own duration, so reads from many requests run side by side.
///
/// Statements go through postgres-nio's `query`, which uses the unnamed prepared statement: safe
/// behind PgBouncer in transaction mode, which cannot keep a named statement for a client.
struct PooledPostgresSQLDatabase: SQLDatabase {
    let client: PostgresClient
    let logger: Logger
    let eventLoop: any EventLoop

    var dialect: any SQLDialect { PostgresDialect() }
    var version: (any SQLDatabaseReportedVersion)? { nil }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        promise.completeWithTask { try await self.execute(sql: query, onRow) }
        return promise.futureResult
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await client.withConnection { connection in
            try await connection.sql(queryLogLevel: nil).execute(sql: query, onRow)
        }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await client.withConnection { connection in try await closure(connection.sql(queryLogLevel: nil)) }
    }
}
