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
    /// above replaced; anything else stays as written.
    static func decoded(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "&", let (scalar, length) = reference(in: scalars, at: index) else {
                result.append(scalars[index])
                index += 1
                continue
            }
            result.append(scalar)
            index += length
        }
        return String(result)
    }

    /// The character a reference at `start` stands for, and how many scalars it spans.
    private static func reference(in scalars: [Unicode.Scalar], at start: Int) -> (Unicode.Scalar, Int)? {
        var cursor = start + 1
        guard cursor < scalars.count else { return nil }
        if scalars[cursor] == "#" {
            cursor += 1
            var radix: UInt32 = 10
            if cursor < scalars.count, scalars[cursor] == "x" || scalars[cursor] == "X" {
                radix = 16
                cursor += 1
            }
            var value: UInt32 = 0, digits = 0
            while cursor < scalars.count, digits < 8, scalars[cursor].isASCII, let digit = UInt32(String(scalars[cursor]), radix: Int(radix)) {
                value = value &* radix &+ digit
                digits += 1
                cursor += 1
            }
            guard digits > 0, let scalar = Unicode.Scalar(value) else { return nil }
            if cursor < scalars.count, scalars[cursor] == ";" { cursor += 1 }
            return (scalar, cursor - start)
        }
        var name = ""
        while cursor < scalars.count, name.count < 8, scalars[cursor].properties.isAlphabetic, scalars[cursor].isASCII {
            name.unicodeScalars.append(scalars[cursor])
            cursor += 1
        }
        guard cursor < scalars.count, scalars[cursor] == ";", let scalar = named[name.lowercased()] else { return nil }
        return (scalar, cursor + 1 - start)
    }
}
