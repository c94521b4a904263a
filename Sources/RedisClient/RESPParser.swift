internal import NIOCore

/// Parses RESP2 and RESP3 values from a buffer, consuming a value only when it is complete.
struct RESPParser {
    /// Nesting deeper than this is refused, so a hostile or broken server cannot exhaust the stack.
    static let maximumDepth = 64
    /// Bulk strings longer than this are refused (Redis's own limit is 512 MB).
    static let maximumBulkLength = 512 * 1024 * 1024

    enum Failure: Error, Equatable {
        case invalidType(UInt8)
        case invalidLength
        case invalidNumber
        case tooDeep
    }

    /// The next complete value, or nil when more bytes are needed (the buffer is left untouched).
    static func parse(_ buffer: inout ByteBuffer) throws -> RESPValue? {
        var copy = buffer
        guard let value = try parseValue(&copy, depth: 0) else { return nil }
        buffer = copy
        return value
    }

    private static func parseValue(_ buffer: inout ByteBuffer, depth: Int) throws -> RESPValue? {
        guard depth < maximumDepth else { throw Failure.tooDeep }
        guard let type = buffer.readInteger(as: UInt8.self) else { return nil }
        switch type {
        case UInt8(ascii: "+"):
            return try line(&buffer).map(RESPValue.simpleString)
        case UInt8(ascii: "-"), UInt8(ascii: "!"):
            if type == UInt8(ascii: "!") {
                guard let body = try bulk(&buffer) else { return nil }
                return body.map { .error(String(buffer: $0)) } ?? .null
            }
            return try line(&buffer).map(RESPValue.error)
        case UInt8(ascii: ":"):
            guard let text = try line(&buffer) else { return nil }
            guard let value = Int64(text) else { throw Failure.invalidNumber }
            return .integer(value)
        case UInt8(ascii: "$"), UInt8(ascii: "="):
            guard let body = try bulk(&buffer) else { return nil }
            if type == UInt8(ascii: "="), var text = body {
                // Verbatim string: a three-letter format and a colon precede the text.
                text.moveReaderIndex(forwardBy: min(4, text.readableBytes))
                return .bulkString(text)
            }
            return .bulkString(body)
        case UInt8(ascii: "*"), UInt8(ascii: "~"), UInt8(ascii: ">"):
            guard let count = try length(&buffer) else { return nil }
            guard count >= 0 else { return type == UInt8(ascii: "*") ? .array(nil) : .null }
            var values: [RESPValue] = []
            values.reserveCapacity(min(count, 1024))
            for _ in 0..<count {
                guard let value = try parseValue(&buffer, depth: depth + 1) else { return nil }
                values.append(value)
            }
            switch type {
            case UInt8(ascii: "~"): return .set(values)
            case UInt8(ascii: ">"): return .push(values)
            default: return .array(values)
            }
        case UInt8(ascii: "%"), UInt8(ascii: "|"):
            guard let count = try length(&buffer), count >= 0 else { return nil }
            var map: [RESPValue: RESPValue] = [:]
            for _ in 0..<count {
                guard let key = try parseValue(&buffer, depth: depth + 1),
                      let value = try parseValue(&buffer, depth: depth + 1) else { return nil }
                map[key] = value
            }
            if type == UInt8(ascii: "|") {
                // An attribute describes the value that follows; the client keeps only the value.
                return try parseValue(&buffer, depth: depth + 1)
            }
            return .map(map)
        case UInt8(ascii: "_"):
            guard try line(&buffer) != nil else { return nil }
            return .null
        case UInt8(ascii: "#"):
            guard let text = try line(&buffer) else { return nil }
            return .boolean(text == "t")
        case UInt8(ascii: ","):
            guard let text = try line(&buffer) else { return nil }
            switch text {
            case "inf": return .double(.infinity)
            case "-inf": return .double(-.infinity)
            case "nan": return .double(.nan)
            default:
                guard let value = Double(text) else { throw Failure.invalidNumber }
                return .double(value)
            }
        case UInt8(ascii: "("):
            return try line(&buffer).map(RESPValue.bigNumber)
        default:
            throw Failure.invalidType(type)
        }
    }

    /// A CRLF-terminated line without its terminator.
    private static func line(_ buffer: inout ByteBuffer) throws -> String? {
        let view = buffer.readableBytesView
        guard let cr = view.firstIndex(of: UInt8(ascii: "\r")), view.index(after: cr) < view.endIndex else { return nil }
        guard view[view.index(after: cr)] == UInt8(ascii: "\n") else { throw Failure.invalidLength }
        let text = buffer.readString(length: cr - view.startIndex)
        buffer.moveReaderIndex(forwardBy: 2)
        return text
    }

    private static func length(_ buffer: inout ByteBuffer) throws -> Int? {
        guard let text = try line(&buffer) else { return nil }
        guard let value = Int(text), value >= -1 else { throw Failure.invalidLength }
        return value
    }

    /// A length-prefixed body; `.some(nil)` for a null bulk string.
    private static func bulk(_ buffer: inout ByteBuffer) throws -> ByteBuffer?? {
        guard let count = try length(&buffer) else { return nil }
        guard count >= 0 else { return .some(nil) }
        guard count <= maximumBulkLength else { throw Failure.invalidLength }
        guard buffer.readableBytes >= count + 2 else { return nil }
        let body = buffer.readSlice(length: count)!
        guard buffer.readInteger(as: UInt16.self) == 0x0D0A else { throw Failure.invalidLength }
        return .some(body)
    }
}
