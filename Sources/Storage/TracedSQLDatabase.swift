public import SQLKit
public import Logging
public import NIOCore
internal import Tracing

/// A database whose every statement is a client span (`db.system.name`, `db.operation.name`): the
/// statement's first keyword, never its text or its values, so no personal data reaches a trace.
/// Without a tracer bootstrapped the span is a no-op and the statement is not inspected.
public struct TracedSQLDatabase: SQLDatabase {
    let base: any SQLDatabase
    let system: String

    /// - Parameter system: `sqlite` or `postgresql`, as OpenTelemetry names them.
    public init(_ base: any SQLDatabase, system: String) {
        self.base = base
        self.system = system
    }

    public var logger: Logger { base.logger }
    public var eventLoop: any EventLoop { base.eventLoop }
    public var version: (any SQLDatabaseReportedVersion)? { base.version }
    public var dialect: any SQLDialect { base.dialect }
    public var queryLogLevel: Logger.Level? { base.queryLogLevel }

    public func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        base.execute(sql: query, onRow)
    }

    public func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        try await withSpan("db", ofKind: .client) { span in
            if span.isRecording {
                let operation = Self.operation(of: serialize(query).sql)
                span.operationName = operation
                span.attributes["db.system.name"] = system
                span.attributes["db.operation.name"] = operation
            }
            try await base.execute(sql: query, onRow)
        }
    }

    public func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await base.withSession { [system] session in try await closure(TracedSQLDatabase(session, system: system)) }
    }

    /// The statement's first word, upper-cased (`SELECT`, `INSERT`, `BEGIN` …).
    static func operation(of sql: String) -> String {
        let word = sql.drop { $0 == " " || $0 == "\n" || $0 == "(" }.prefix { $0.isLetter }
        return word.isEmpty ? "statement" : word.uppercased()
    }
}
