public import Foundation
public import HTTPTypes
public import HummingbirdTesting
public import Logging
public import NIOCore
public import Observability
public import Platform
import Synchronization

/// Starts an all-in-one platform over a fresh temporary data folder with the repository's config.
public enum PlatformHarness {
    /// The repository's `config/` folder.
    public static let configDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("config")

    public static let openAPIPath = configDirectory.deletingLastPathComponent().appendingPathComponent("openapi.yaml")

    /// A new empty data folder.
    public static func temporaryDataDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("iworkz-test-\(UUID().uuidString)")
    }

    /// Starts a platform; the caller closes it and removes the folder (see ``withPlatform(sink:_:)``).
    public static func start(
        dataDirectory: URL, sink: LogSink? = nil, configure: (inout LoadedConfiguration) -> Void = { _ in }, redisURL: String? = nil,
        clock: @escaping @Sendable () -> Date = Date.init, redisNamespace: String = "iworkz-test-\(UUID().uuidString)",
        objectStorage: ObjectStorageChoice = .folder, databases: DatabaseChoice = .sqlite
    ) async throws -> Platform {
        var logger = Logger(label: "iworkz-test") { label in
            JSONLogHandler(label: label, sink: sink ?? LogSink { _ in })
        }
        logger.logLevel = .info
        var config = try LoadedConfiguration.load(from: configDirectory)
        configure(&config)
        let openAPI = try String(contentsOf: openAPIPath, encoding: .utf8)
        return try await Platform.start(
            config: config, dataDirectory: dataDirectory.path, openAPI: openAPI, redisURL: redisURL, bcryptCost: 4, logger: logger, clock: clock,
            redisNamespace: redisNamespace, objectStorage: objectStorage, databases: databases)
    }

    /// Runs a test against a fresh platform, then closes it and deletes its data.
    public static func withPlatform<T>(
        sink: LogSink? = nil, configure: (inout LoadedConfiguration) -> Void = { _ in }, redisURL: String? = nil,
        clock: @escaping @Sendable () -> Date = Date.init, objectStorage: ObjectStorageChoice = .folder, _ body: (Platform, URL) async throws -> T
    ) async throws -> T {
        let directory = temporaryDataDirectory()
        let platform = try await start(dataDirectory: directory, sink: sink, configure: configure, redisURL: redisURL, clock: clock,
                                       objectStorage: objectStorage)
        do {
            let result = try await body(platform, directory)
            await platform.close()
            try? FileManager.default.removeItem(at: directory)
            return result
        } catch {
            await platform.close()
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }
}

/// A wall clock that moves only when a test says so.
public final class ManualClock: Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date = Date()) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    public func advance(seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// Collects log lines in memory.
public final class LogCapture: Sendable {
    private let storage = Mutex<[Data]>([])
    public init() {}

    public var sink: LogSink {
        LogSink { [self] data in storage.withLock { $0.append(data) } }
    }

    public var text: String {
        storage.withLock { String(decoding: $0.joined(), as: UTF8.self) }
    }

    /// Every line parsed as a JSON object.
    public var lines: [[String: Any]] {
        text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
}

extension TestResponse {
    /// The body parsed as a JSON object (empty when it is not one).
    public var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    }

    public var text: String { String(buffer: body) }
}

/// Builds JSON request bodies and headers for tests.
public enum JSONRequest {
    public static func body(_ object: Any) -> ByteBuffer {
        ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
    }

    public static func headers(token: String? = nil, region: String? = nil, extra: HTTPFields = [:]) -> HTTPFields {
        var fields = extra
        fields[.contentType] = fields[.contentType] ?? "application/json"
        if let token { fields[.authorization] = "Bearer \(token)" }
        if let region { fields[HTTPField.Name("X-Region")!] = region }
        return fields
    }
}
