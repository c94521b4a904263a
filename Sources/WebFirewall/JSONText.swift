internal import Foundation

/// JSON text with its string escapes undone, so that `\u003c`, `\"` or `\/` cannot hide a signature.
enum JSONText {
    /// Every backslash escape of RFC 8259 replaced by the character it stands for (surrogate pairs
    /// joined); anything malformed is left as written, since the service will refuse it anyway.
    static func unescaped(_ text: String) -> String {
        guard text.containsUTF8(UInt8(ascii: "\\")) else { return text }
        return unescaped(bytes: Array(text.utf8))
    }

    /// The same for a body as it arrived, read as UTF-8 once: invalid sequences are replaced after
    /// the escapes are undone, which gives the same text as before, since an escape never stands for
    /// a lone continuation byte that could complete a broken sequence.
    static func unescaped(_ body: Data) -> String {
        guard body.containsByte(UInt8(ascii: "\\")) else { return String(decoding: body, as: UTF8.self) }
        return unescaped(bytes: body.withUnsafeBytes { Array($0) })
    }

    private static func unescaped(bytes: [UInt8]) -> String {
        // Over the UTF-8 bytes: every escape is ASCII, and other bytes pass through as they are.
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        func hex4(at position: Int) -> UInt32? {
            guard position + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for byte in bytes[position..<position + 4] {
                guard let digit = PercentDecoding.hexValue(byte) else { return nil }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < bytes.count else {
                result.append(byte)
                index += 1
                continue
            }
            let next = bytes[index + 1]
            switch next {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): result.append(next); index += 2
            case UInt8(ascii: "b"): result.append(0x08); index += 2
            case UInt8(ascii: "f"): result.append(0x0C); index += 2
            case UInt8(ascii: "n"): result.append(0x0A); index += 2
            case UInt8(ascii: "r"): result.append(0x0D); index += 2
            case UInt8(ascii: "t"): result.append(0x09); index += 2
            case UInt8(ascii: "u"):
                guard let unit = hex4(at: index + 2) else {
                    result.append(byte)
                    index += 1
                    continue
                }
                if (0xD800..<0xDC00).contains(unit), index + 12 <= bytes.count, bytes[index + 6] == UInt8(ascii: "\\"),
                   bytes[index + 7] == UInt8(ascii: "u"), let low = hex4(at: index + 8), (0xDC00..<0xE000).contains(low),
                   let joined = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)) {
                    result.appendUTF8(joined)
                    index += 12
                } else {
                    result.appendUTF8(Unicode.Scalar(unit) ?? "\u{FFFD}")
                    index += 6
                }
            default:
                result.append(byte)
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
