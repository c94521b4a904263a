/// JSON text with its string escapes undone, so that `\u003c`, `\"` or `\/` cannot hide a signature.
enum JSONText {
    /// Every backslash escape of RFC 8259 replaced by the character it stands for (surrogate pairs
    /// joined); anything malformed is left as written, since the service will refuse it anyway.
    static func unescaped(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "\\")) else { return text }
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        func hex4(at position: Int) -> UInt32? {
            guard position + 4 <= scalars.count else { return nil }
            var value: UInt32 = 0
            for scalar in scalars[position..<position + 4] {
                guard scalar.isASCII, let digit = UInt32(String(scalar), radix: 16) else { return nil }
                value = value << 4 | digit
            }
            return value
        }
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "\\", index + 1 < scalars.count else {
                result.append(scalar)
                index += 1
                continue
            }
            let next = scalars[index + 1]
            switch next {
            case "\"", "\\", "/": result.append(next); index += 2
            case "b": result.append("\u{08}"); index += 2
            case "f": result.append("\u{0C}"); index += 2
            case "n": result.append("\n"); index += 2
            case "r": result.append("\r"); index += 2
            case "t": result.append("\t"); index += 2
            case "u":
                guard let unit = hex4(at: index + 2) else {
                    result.append(scalar)
                    index += 1
                    continue
                }
                if (0xD800..<0xDC00).contains(unit), index + 12 <= scalars.count, scalars[index + 6] == "\\", scalars[index + 7] == "u",
                   let low = hex4(at: index + 8), (0xDC00..<0xE000).contains(low),
                   let joined = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)) {
                    result.append(joined)
                    index += 12
                } else {
                    result.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
                    index += 6
                }
            default:
                result.append(scalar)
                index += 1
            }
        }
        return String(result)
    }
}
