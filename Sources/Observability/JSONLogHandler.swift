public import Foundation
public import Logging

/// Writes one JSON object per line: time, level, message, label, then the metadata in byte order of
/// its keys (``JSONLogLine``).
///
/// Metadata keys that name personal data are replaced by `[redacted]` whatever their value, so a
/// careless `logger.info(..., metadata: ["email": ...])` cannot leak; see ``PersonalDataKeys``.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String
    private let sink: LogSink

    public init(label: String, sink: LogSink = .standardOutput) {
        self.label = label
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let line = JSONLogLine(time: LogTimestamp.now(), level: event.level, message: event.message.description, logger: label,
                               metadata: merged, redacting: PersonalDataKeys.isPersonal)
        sink.write(Data(line.bytes))
    }
}

/// Where log lines go: standard output in production, a buffer in tests.
public final class LogSink: Sendable {
    private let writer: @Sendable (Data) -> Void

    public init(_ writer: @escaping @Sendable (Data) -> Void) {
        self.writer = writer
    }

    public func write(_ data: Data) { writer(data) }

    public static let standardOutput = LogSink { data in FileHandle.standardOutput.write(data) }
}

/// Metadata keys whose values are personal data and must never be written.
public enum PersonalDataKeys {
    public static let names: Set<String> = [
        "email", "name", "display_name", "phone", "address", "password", "token", "access_token",
        "authorization", "birth_date", "residence_card", "passport",
    ]

    public static func isPersonal(_ key: String) -> Bool { names.contains(key.lowercased()) }
}
