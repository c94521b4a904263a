/// HTML character references undone, so that `&#x3C;script&#x3E;` or `jav&#x61;script:` reach the
/// signatures as the browser would read them.
enum HTMLEntities {
    /// Named references that attacks use to hide markup and punctuation.
    static let named: [String: Unicode.Scalar] = [
        "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "amp": "&", "colon": ":", "lpar": "(", "rpar": ")",
        "sol": "/", "bsol": "\\", "tab": "\t", "newline": "\n", "nbsp": " ", "grave": "`", "lsqb": "[", "rsqb": "]",
        "lbrack": "[", "rbrack": "]", "lcub": "{", "rcub": "}", "lbrace": "{", "rbrace": "}", "semi": ";", "equals": "=",
        "excl": "!", "num": "#", "dollar": "$", "percnt": "%", "period": ".", "comma": ",", "plus": "+", "vert": "|",
    ]

    /// `text` with every numeric reference (`&#97;`, `&#x61`, semicolon optional) and the named ones
    /// above replaced; anything else stays as written. A reference that decoding revealed is decoded
    /// too, up to `passes` times: `&amp;tab;` is how an XML or JSON layer carries `&tab;`.
    static func decoded(_ text: String, passes: Int = 2) -> String {
        var text = text
        for _ in 0..<passes {
            let next = decodedOnce(text)
            if next.utf8.count == text.utf8.count { break }
            text = next
        }
        return text
    }

    private static func decodedOnce(_ text: String) -> String {
        guard text.containsUTF8(UInt8(ascii: "&")) else { return text }
        // Over the UTF-8 bytes: a reference is ASCII, and other bytes pass through as they are.
        let bytes = Array(text.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "&"), let (scalar, length) = reference(in: bytes, at: index) else {
                result.append(bytes[index])
                index += 1
                continue
            }
            result.appendUTF8(scalar)
            index += length
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// The character a reference at `start` stands for, and how many bytes it spans.
    private static func reference(in bytes: [UInt8], at start: Int) -> (Unicode.Scalar, Int)? {
        var cursor = start + 1
        guard cursor < bytes.count else { return nil }
        if bytes[cursor] == UInt8(ascii: "#") {
            cursor += 1
            var radix: UInt32 = 10
            if cursor < bytes.count, bytes[cursor] | 0x20 == UInt8(ascii: "x") {
                radix = 16
                cursor += 1
            }
            var value: UInt32 = 0, digits = 0
            while cursor < bytes.count, digits < 8, let digit = PercentDecoding.hexValue(bytes[cursor]), UInt32(digit) < radix {
                value = value &* radix &+ UInt32(digit)
                digits += 1
                cursor += 1
            }
            guard digits > 0, let scalar = Unicode.Scalar(value) else { return nil }
            if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ";") { cursor += 1 }
            return (scalar, cursor - start)
        }
        var name = ""
        while cursor < bytes.count, name.utf8.count < 8, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(bytes[cursor] | 0x20) {
            name.unicodeScalars.append(Unicode.Scalar(bytes[cursor]))
            cursor += 1
        }
        guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: ";"), let scalar = named[name.lowercased()] else { return nil }
        return (scalar, cursor + 1 - start)
    }
}
