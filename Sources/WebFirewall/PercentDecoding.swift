/// Percent-decoding as the firewall needs it: strict once (what the services will see), then lenient
/// again while escapes remain, so a double-encoded `%252e%252e` is screened as `..`.
enum PercentDecoding {
    struct Malformed: Error {}

    /// Decodes `%XX` escapes (and `+` as a space when `plusIsSpace`); a `%` not followed by two hex
    /// digits, or bytes that are not UTF-8, are malformed.
    static func strict(_ text: Substring, plusIsSpace: Bool) throws(Malformed) -> String {
        try strict(Array(text.utf8)[...], plusIsSpace: plusIsSpace)
    }

    /// ``strict(_:plusIsSpace:)`` over the UTF-8 bytes of a string.
    static func strict(_ bytes: ArraySlice<UInt8>, plusIsSpace: Bool) throws(Malformed) -> String {
        guard bytes.contains(UInt8(ascii: "%")) || plusIsSpace && bytes.contains(UInt8(ascii: "+")) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) else { throw Malformed() }
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        guard let string = String(validating: decoded, as: UTF8.self) else { throw Malformed() }
        return string
    }

    /// Undoes escapes left after the first decoding, up to `passes` more times; invalid escapes stay.
    static func residual(_ text: String, passes: Int = 2) -> String {
        var current = text
        for _ in 0..<passes {
            guard current.containsUTF8(UInt8(ascii: "%")) else { return current }
            let bytes = Array(current.utf8)
            guard let first = bytes.firstIndex(of: UInt8(ascii: "%")) else { return current }
            var decoded = Array(bytes[..<first])
            var index = first
            var changed = false
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                   let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                    decoded.append(high << 4 | low)
                    index += 3
                    changed = true
                } else {
                    decoded.append(bytes[index])
                    index += 1
                }
            }
            guard changed else { return current }
            current = String(decoding: decoded, as: UTF8.self)
        }
        return current
    }

    /// `a=1&b=2` as the lines `a=1` and `b=2`, each decoded on its own so that an encoded `&` stays
    /// inside its value (decoding never makes a `=`, so a field decoded whole reads as its name and
    /// value decoded apart). One pass over the bytes: this runs on every query.
    static func formFields(_ text: String) throws(Malformed) -> [String] {
        let bytes = Array(text.utf8)
        var lines: [String] = []
        var start = 0
        for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: "&") {
            defer { start = index + 1 }
            guard index > start else { continue }
            let field = bytes[start..<index]
            guard field.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else {
                // Bytes of a string, cut at ASCII '&': still valid UTF-8, and nothing to decode.
                lines.append(String(decoding: field, as: UTF8.self))
                continue
            }
            lines.append(residual(try strict(field, plusIsSpace: true)))
        }
        return lines
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
