public import NIOCore

/// Redis Cluster's key → slot function: CRC16 (XMODEM) of the key, or of its hash tag (the text
/// between the first `{` and the next `}` when not empty), modulo 16384. Keys sharing a hash tag
/// share a slot, which is what lets one script or multi-key command touch them together.
public enum RedisSlot {
    public static let count = 16_384

    public static func of(_ key: String) -> Int {
        of(bytes: Array(key.utf8))
    }

    public static func of(_ key: ByteBuffer) -> Int {
        of(bytes: Array(key.readableBytesView))
    }

    static func of(bytes: [UInt8]) -> Int {
        var hashed = bytes[...]
        if let open = bytes.firstIndex(of: UInt8(ascii: "{")),
           let close = bytes[(open + 1)...].firstIndex(of: UInt8(ascii: "}")), close > open + 1 {
            hashed = bytes[(open + 1)..<close]
        }
        return Int(crc16(hashed) % UInt16(count))
    }

    /// CRC-16/XMODEM: polynomial 0x1021, initial value 0, as the cluster specification gives it.
    static func crc16(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 {
                crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
            }
        }
        return crc
    }

    /// A hash tag that puts keys in the same slot: `{text}`. Braces inside `text` are replaced,
    /// since the tag would end at the first `}`.
    public static func hashTag(_ text: String) -> String {
        "{" + text.replacingBraces() + "}"
    }

    /// The key a command acts on, which decides its slot; nil for commands without one (PING,
    /// PUBLISH, SCRIPT …), which any master may answer. For EVAL and EVALSHA it is the first of
    /// KEYS.
    static func routingKey(of command: [ByteBuffer]) -> ByteBuffer? {
        guard let name = command.first.map({ String(buffer: $0).uppercased() }) else { return nil }
        switch name {
        case "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO":
            guard command.count > 3, let keys = Int(String(buffer: command[2])), keys > 0 else { return nil }
            return command[3]
        case "PING", "PUBLISH", "SUBSCRIBE", "UNSUBSCRIBE", "PSUBSCRIBE", "PUNSUBSCRIBE", "SCRIPT", "INFO", "CLUSTER",
             "TIME", "DBSIZE", "FLUSHALL", "FLUSHDB", "CONFIG", "DEBUG", "ACL", "AUTH", "HELLO", "SELECT", "ECHO",
             "COMMAND", "MULTI", "EXEC", "DISCARD", "ASKING", "READONLY", "READWRITE", "KEYS", "SCAN", "RANDOMKEY", "WAIT":
            return nil
        default:
            return command.count > 1 ? command[1] : nil
        }
    }
}

extension String {
    fileprivate func replacingBraces() -> String {
        String(unicodeScalars.map { $0 == "{" || $0 == "}" ? "_" : Character($0) })
    }
}
