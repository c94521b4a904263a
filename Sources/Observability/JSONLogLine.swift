#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
internal import Logging

/// One log record as one line of JSON, written byte by byte: the fixed keys first (`time`, `level`,
/// `message`, `logger`), then the metadata in byte order of its keys, nested dictionaries likewise.
///
/// A line per request is written on the hot path; `JSONSerialization` with sorted keys spent most of
/// its time collating `AnyHashable` keys through ICU, so this writes the same JSON without building
/// an object graph and without locale-aware comparison.
struct JSONLogLine {
    static func isFixed(_ key: String) -> Bool {
        key == "time" || key == "level" || key == "message" || key == "logger"
    }

    private(set) var bytes: [UInt8] = []

    init(time: String, level: Logger.Level, message: String, logger: String, metadata: Logger.Metadata,
         redacting isPersonal: (String) -> Bool) {
        bytes.reserveCapacity(256 + message.utf8.count)
        bytes.append(UInt8(ascii: "{"))
        member("time", first: true) { $0.string(time) }
        member("level") { $0.string(level.rawValue) }
        member("message") { $0.string(message) }
        member("logger") { $0.string(logger) }
        for (key, value) in metadata.sorted(by: { Self.byteOrder($0.key, $1.key) }) {
            // A metadata key may not replace a fixed one: it is kept beside it.
            let name = Self.isFixed(key) ? "metadata." + key : key
            if isPersonal(key) {
                member(name) { $0.string("[redacted]") }
            } else {
                member(name) { $0.value(value) }
            }
        }
        bytes.append(contentsOf: "}\n".utf8)
    }

    /// Orders keys by their UTF-8 bytes: stable, locale-free and cheap.
    static func byteOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    private mutating func member(_ key: String, first: Bool = false, _ write: (inout JSONLogLine) -> Void) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        string(key)
        bytes.append(UInt8(ascii: ":"))
        write(&self)
    }

    private mutating func value(_ value: Logger.MetadataValue) {
        switch value {
        case .string(let text):
            string(text)
        case .stringConvertible(let convertible):
            string(convertible.description)
        case .array(let values):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                self.value(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .dictionary(let values):
            bytes.append(UInt8(ascii: "{"))
            for (index, entry) in values.sorted(by: { Self.byteOrder($0.key, $1.key) }).enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                string(entry.key)
                bytes.append(UInt8(ascii: ":"))
                self.value(entry.value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string (RFC 8259): quotes, backslashes and control characters escaped; other characters,
    /// `/` and non-ASCII text among them, written as their UTF-8 bytes.
    private mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings need no escape: copy them whole.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            bytes.append(contentsOf: text.utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20:
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                          Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0x0F)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// The current time as `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC, milliseconds), without a formatter.
enum LogTimestamp {
    static func now() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return format(seconds: Int(spec.tv_sec), milliseconds: Int(spec.tv_nsec) / 1_000_000)
    }

    static func format(seconds: Int, milliseconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        var out: [UInt8] = []
        out.reserveCapacity(24)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(Int(parts.tm_year) + 1900, 4); out.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2); out.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2); out.append(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), 2); out.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2); out.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2); out.append(UInt8(ascii: "."))
        digits(milliseconds, 3); out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }
}
