/// The literal texts one of which begins every match of a pattern, read from its source.
///
/// When each of them begins with one of a rule's keywords, every match starts where a keyword
/// starts, and the rule needs trying only there (an anchored search at each keyword) instead of over
/// a window of its longest match around each keyword. Reading stops at the first part that is not a
/// literal, a small class, a group of such or a zero-width assertion: a shorter text is still a true
/// beginning, so stopping early is always safe; what cannot be read at all gives nil.
enum LeadingText {
    /// The beginnings, ASCII letters lowercased; nil when the pattern's start cannot be read or a
    /// match may begin with anything.
    static func of(_ pattern: String, limit: Int = 256) -> Set<String>? {
        var reader = Reader(scalars: Array(pattern.unicodeScalars), limit: limit)
        let whole = reader.alternation()
        guard !reader.failed, reader.index == reader.scalars.count else { return nil }
        let texts = Set(whole.texts)
        return texts.isEmpty || texts.contains("") ? nil : texts
    }

    /// Whether every beginning starts with one of `keywords`, compared as ``KeywordAutomaton`` does
    /// (ASCII case and whitespace folded; a single control character only as itself).
    static func everyMatchBegins(_ pattern: String, withOneOf keywords: [String]) -> Bool {
        guard let texts = of(pattern) else { return false }
        let folded = keywords.map(KeywordAutomaton.folded)
        return texts.allSatisfy { text in
            let raw = Array(text.utf8), foldedText = raw.map(KeywordAutomaton.fold)
            return folded.contains { keyword in
                keyword.exact ? raw.first == keyword.bytes[0] : foldedText.starts(with: keyword.bytes)
            }
        }
    }

    /// What a part contributes: the texts its matches begin with, and whether they are its whole
    /// matches (so that what follows may extend them).
    struct Part {
        var texts: [String]
        var complete: Bool
    }

    enum Atom {
        case zeroWidth
        case texts(Part)
        /// Anything else: reading stops before it.
        case other
    }

    struct Reader {
        let scalars: [Unicode.Scalar]
        let limit: Int
        var index = 0
        var failed = false

        init(scalars: [Unicode.Scalar], limit: Int) {
            self.scalars = scalars
            self.limit = limit
        }

        var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        mutating func alternation() -> Part {
            var texts: Set<String> = [], complete = true
            while true {
                let branch = sequence()
                texts.formUnion(branch.texts)
                complete = complete && branch.complete
                guard current == "|" else { break }
                index += 1
            }
            if texts.count > limit { return Part(texts: [""], complete: false) }
            return Part(texts: Array(texts), complete: complete)
        }

        mutating func sequence() -> Part {
            var texts = [""], open = true
            while !failed, let scalar = current, scalar != "|", scalar != ")" {
                let atom = self.atom()
                let (minimum, maximum) = quantifier()
                guard open else { continue }
                switch atom {
                case .zeroWidth:
                    continue
                case .other:
                    open = false
                case .texts(let part):
                    guard minimum > 0, texts.count * part.texts.count <= limit else {
                        open = false
                        continue
                    }
                    texts = texts.flatMap { prefix in part.texts.map { prefix + $0 } }
                    if !part.complete || maximum != 1 || minimum != 1 { open = false }
                }
            }
            return Part(texts: texts, complete: open)
        }

        /// `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}` (lazy or possessive alike): the fewest and most
        /// repetitions, nil for no upper bound; once when there is none.
        mutating func quantifier() -> (Int, Int?) {
            guard let scalar = current else { return (1, 1) }
            var bounds: (Int, Int?)
            switch scalar {
            case "?": bounds = (0, 1); index += 1
            case "*": bounds = (0, nil); index += 1
            case "+": bounds = (1, nil); index += 1
            case "{":
                index += 1
                let low = number() ?? 0
                var high: Int? = low
                if current == "," {
                    index += 1
                    high = number()
                }
                guard current == "}" else {
                    failed = true
                    return (1, 1)
                }
                index += 1
                bounds = (low, high)
            default:
                return (1, 1)
            }
            if current == "?" || current == "+" { index += 1 }
            return bounds
        }

        mutating func number() -> Int? {
            var value: Int?
            while let scalar = current, let digit = Int(String(scalar)), scalar.isASCII {
                value = (value ?? 0) * 10 + digit
                index += 1
            }
            return value
        }

        mutating func atom() -> Atom {
            guard let scalar = current else { return .other }
            index += 1
            switch scalar {
            case "^", "$": return .zeroWidth
            case ".": return .other
            case "(": return group()
            case "[": return characterClass()
            case "\\": return escape().map { .texts(Part(texts: [$0], complete: true)) } ?? escapedAssertion()
            case "{", "*", "+", "?":
                failed = true
                return .other
            default: return literal(scalar)
            }
        }

        /// An escape's character, or nil when it is not one character (the caller decides).
        mutating func escape() -> String? {
            guard let next = current else {
                failed = true
                return nil
            }
            switch next {
            case "n": index += 1; return "\n"
            case "r": index += 1; return "\r"
            case "t": index += 1; return "\t"
            default:
                if next.isASCII && (next.properties.isAlphabetic || ("0"..."9").contains(next)) { return nil }
                index += 1
                return String(next).lowercased()
            }
        }

        /// After `\`, a letter or digit that is no single character: an assertion, a class, or
        /// something this reader does not follow.
        mutating func escapedAssertion() -> Atom {
            guard let next = current else { return .other }
            index += 1
            switch next {
            case "b", "B", "A", "z", "Z", "G": return .zeroWidth
            case "d", "D", "w", "W", "s", "S", "h", "H", "v", "V", "R", "X": return .other
            default:
                // \p{…}, \x{…}, \Q…\E, \k<…>, back references: not read; nothing is assumed.
                failed = true
                return .other
            }
        }

        mutating func literal(_ scalar: Unicode.Scalar) -> Atom {
            // Beyond ASCII, case-insensitive matching has more forms than the automaton folds.
            guard scalar.isASCII else { return .other }
            return .texts(Part(texts: [String(scalar).lowercased()], complete: true))
        }

        mutating func group() -> Atom {
            var zeroWidth = false
            if current == "?" {
                index += 1
                switch current {
                case ":", ">": index += 1
                case "=", "!": index += 1; zeroWidth = true
                case "<" where index + 1 < scalars.count && (scalars[index + 1] == "=" || scalars[index + 1] == "!"):
                    index += 2
                    zeroWidth = true
                default:
                    // Flags (`(?i)`, `(?x:`) or named groups change what follows: not read.
                    failed = true
                    return .other
                }
            }
            let inner = alternation()
            guard current == ")" else {
                failed = true
                return .other
            }
            index += 1
            return zeroWidth ? .zeroWidth : .texts(inner)
        }

        /// A bracket expression of a few plain characters (ranges of up to 16) as alternatives; any
        /// other class (negated, nested, with a class escape) is read past and stops the reading.
        mutating func characterClass() -> Atom {
            var members: Set<String> = [], readable = current != "^"
            var previous: String?
            var depth = 1
            while let scalar = current, depth > 0 {
                index += 1
                switch scalar {
                case "]":
                    depth -= 1
                case "[":
                    depth += 1
                    readable = false
                case "\\":
                    if let character = escape() {
                        members.insert(character)
                        previous = character
                    } else {
                        index += 1
                        readable = false
                    }
                case "-" where previous != nil && current != "]":
                    guard let low = previous?.unicodeScalars.first, let high = current, high.isASCII, low.isASCII,
                          high.value >= low.value, high.value - low.value <= 16 else {
                        readable = false
                        continue
                    }
                    index += 1
                    for value in low.value...high.value { members.insert(String(Unicode.Scalar(UInt8(value))).lowercased()) }
                    previous = nil
                default:
                    guard scalar.isASCII else {
                        readable = false
                        continue
                    }
                    let character = String(scalar).lowercased()
                    members.insert(character)
                    previous = character
                }
            }
            if depth > 0 { failed = true }
            guard readable, !members.isEmpty else { return .other }
            return .texts(Part(texts: Array(members), complete: true))
        }
    }
}
