public import NIOCore

/// A value of the Redis serialisation protocol, RESP2 and RESP3.
public enum RESPValue: Sendable, Hashable {
    case simpleString(String)
    /// A server error reply (`-ERR …`); commands turn it into ``RedisError/server(_:)``.
    case error(String)
    case integer(Int64)
    /// A bulk string; nil is RESP2's null bulk string.
    case bulkString(ByteBuffer?)
    /// An array; nil is RESP2's null array.
    case array([RESPValue]?)
    /// RESP3 types.
    case null
    case double(Double)
    case boolean(Bool)
    case bigNumber(String)
    case map([RESPValue: RESPValue])
    case set([RESPValue])
    /// Out-of-band data such as pub/sub messages in RESP3.
    case push([RESPValue])

    /// The value as text, for simple, bulk and verbatim strings and numbers.
    public var string: String? {
        switch self {
        case .simpleString(let text), .bigNumber(let text): text
        case .bulkString(let buffer?): String(buffer: buffer)
        case .integer(let value): String(value)
        case .double(let value): String(value)
        default: nil
        }
    }

    public var integer: Int64? {
        switch self {
        case .integer(let value): value
        case .bulkString(let buffer?): Int64(String(buffer: buffer))
        case .simpleString(let text): Int64(text)
        default: nil
        }
    }

    /// The elements of an array, set or push.
    public var array: [RESPValue]? {
        switch self {
        case .array(let values?), .set(let values), .push(let values): values
        default: nil
        }
    }

    public var isNull: Bool {
        switch self {
        case .null, .bulkString(nil), .array(nil): true
        default: false
        }
    }
}
