/// What a regular expression can cost, read from its text before it is compiled.
///
/// A backtracking engine (ICU) runs in time linear in its input only
/// when the work from each start position is bounded by a constant. That holds when every quantifier
/// has an upper bound, no variable quantifier (beyond an optional `?`) repeats something that is itself
/// variable, and no two
/// variable quantifiers follow each other unless the first is possessive (`{0,8}+`) or atomic. This
/// reader refuses the other shapes, with what to write instead, and computes the longest match.
struct PatternShape {
    /// Fewest and most characters (Unicode scalars) a match spans; most is nil when unbounded.
    var minimumLength = 0
    var maximumLength: Int? = 0
    var problems: [String] = []
    /// ASCII characters other than letters that every match contains (outside lookarounds): a place
    /// where one of them is missing from a match's reach needs no search.
    var requiredCharacters: Set<Unicode.Scalar> = []

    init(_ pattern: String, maximumRepeat: Int) {
        var reader = Reader(scalars: Array(pattern.unicodeScalars), maximumRepeat: maximumRepeat)
        let whole = reader.alternation()
        if reader.index < reader.scalars.count {
            reader.problems.append("unbalanced ')' at offset \(reader.index)")
        }
        minimumLength = whole.minimum
        maximumLength = whole.maximum
        problems = reader.problems
        requiredCharacters = whole.required
    }

    /// A parsed piece: its length range, whether a variable quantifier occurs inside it, whether it is
    /// zero-width (an anchor or lookaround), and whether backtracking into it is impossible (atomic).
    struct Piece {
        var minimum: Int
        var maximum: Int?
        var repeatsVariably = false
        var zeroWidth = false
        var atomic = false
        /// Characters every match of the piece contains (ASCII, not letters, so case does not matter).
        var required: Set<Unicode.Scalar> = []

        static let character = Piece(minimum: 1, maximum: 1)

        /// One literal character, required when case cannot change it.
        static func literal(_ scalar: Unicode.Scalar) -> Piece {
            let plain = scalar.isASCII && !scalar.properties.isAlphabetic && scalar.value >= 0x20
            return Piece(minimum: 1, maximum: 1, required: plain ? [scalar] : [])
        }
        static let assertion = Piece(minimum: 0, maximum: 0, zeroWidth: true)
        var isVariable: Bool { maximum != minimum }
    }

    struct Reader {
        let scalars: [Unicode.Scalar]
        let maximumRepeat: Int
        var index = 0
        var problems: [String] = []

        init(scalars: [Unicode.Scalar], maximumRepeat: Int) {
            self.scalars = scalars
            self.maximumRepeat = maximumRepeat
        }

        var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        func peek(_ offset: Int) -> Unicode.Scalar? {
            index + offset < scalars.count ? scalars[index + offset] : nil
        }

        /// Branches separated by `|`, up to a `)` or the end.
        mutating func alternation() -> Piece {
            var result = sequence()
            while current == "|" {
                index += 1
                let branch = sequence()
                result.minimum = min(result.minimum, branch.minimum)
                result.maximum = result.maximum.flatMap { first in branch.maximum.map { max(first, $0) } }
                result.repeatsVariably = result.repeatsVariably || branch.repeatsVariably
                result.zeroWidth = result.zeroWidth && branch.zeroWidth
                // A character is required of an alternation only when every branch requires it.
                result.required.formIntersection(branch.required)
            }
            return result
        }

        /// Pieces one after another, each with its quantifier.
        mutating func sequence() -> Piece {
            var result = Piece(minimum: 0, maximum: 0, zeroWidth: true)
            // The last piece that could give characters back to the next one.
            var yielding: (offset: Int, text: String)?
            while let scalar = current, scalar != "|", scalar != ")" {
                let start = index
                guard var piece = atom() else { continue }
                if let quantifier = quantifier(after: piece, at: start) {
                    piece = quantifier.piece
                    if piece.isVariable {
                        if let earlier = yielding {
                            problems.append("quantifier '\(quantifier.text)' at offset \(quantifier.offset) follows '\(earlier.text)' at offset \(earlier.offset), which can give characters back: make the first one possessive (add '+', e.g. {0,8}+)")
                        }
                        yielding = quantifier.possessive ? nil : (quantifier.offset, quantifier.text)
                    } else {
                        yielding = nil
                    }
                } else if !piece.zeroWidth {
                    yielding = nil
                }
                result.minimum += piece.minimum
                result.maximum = result.maximum.flatMap { total in piece.maximum.map { total + $0 } }
                result.repeatsVariably = result.repeatsVariably || piece.repeatsVariably
                result.zeroWidth = result.zeroWidth && piece.zeroWidth
                if piece.minimum > 0, !piece.zeroWidth { result.required.formUnion(piece.required) }
            }
            return result
        }

        struct Quantified {
            var piece: Piece
            var text: String
            var offset: Int
            var possessive: Bool
        }

        /// The quantifier after an atom, if any, applied to it.
        mutating func quantifier(after atom: Piece, at atomStart: Int) -> Quantified? {
            let start = index
            var low = 0, high: Int?
            switch current {
            case "*": low = 0; high = nil; index += 1
            case "+": low = 1; high = nil; index += 1
            case "?": low = 0; high = 1; index += 1
            case "{":
                guard let bounds = braceBounds() else { return nil }
                (low, high) = bounds
            default: return nil
            }
            var possessive = false
            if current == "+" { possessive = true; index += 1 } else if current == "?" { index += 1 }
            let text = String(String.UnicodeScalarView(scalars[start..<index]))
            if atom.zeroWidth {
                problems.append("quantifier '\(text)' at offset \(start) repeats something that matches no characters")
            }
            guard let high else {
                problems.append("unbounded quantifier '\(text)' at offset \(start): give it an upper bound, e.g. {0,64}")
                return Quantified(piece: Piece(minimum: atom.minimum * low, maximum: nil, repeatsVariably: true), text: text, offset: start, possessive: possessive)
            }
            if high > maximumRepeat {
                problems.append("quantifier '\(text)' at offset \(start) allows \(high) repetitions; at most \(maximumRepeat) are allowed")
            }
            let variable = low != high
            if variable, high > 1, !atom.atomic, atom.repeatsVariably || atom.isVariable {
                problems.append("quantifier '\(text)' at offset \(start) repeats a part of variable length (from offset \(atomStart)): nested quantifiers backtrack; make the part fixed-length or atomic '(?>…)'")
            }
            return Quantified(
                piece: Piece(minimum: atom.minimum * low, maximum: atom.maximum.map { $0 * high },
                             repeatsVariably: atom.repeatsVariably || variable, required: low > 0 ? atom.required : []),
                text: text, offset: start, possessive: possessive || atom.atomic && !variable)
        }

        /// `{n}`, `{n,}` or `{n,m}`; nil (and the brace left unread) when the text is not a quantifier.
        mutating func braceBounds() -> (Int, Int?)? {
            var cursor = index + 1
            func number() -> Int? {
                var digits = ""
                while cursor < scalars.count, ("0"..."9").contains(scalars[cursor]) { digits.unicodeScalars.append(scalars[cursor]); cursor += 1 }
                return digits.isEmpty ? nil : Int(digits.prefix(9))
            }
            guard let low = number() else { return nil }
            var high: Int? = low
            if cursor < scalars.count, scalars[cursor] == "," {
                cursor += 1
                high = number()
            }
            guard cursor < scalars.count, scalars[cursor] == "}" else { return nil }
            index = cursor + 1
            return (low, high)
        }

        /// One atom: a group, a class, an escape, an anchor or a character.
        mutating func atom() -> Piece? {
            guard let scalar = current else { return nil }
            switch scalar {
            case "(": return group()
            case "[":
                skipClass()
                return .character
            case "\\": return escape()
            case "^", "$":
                index += 1
                return .assertion
            case ".":
                index += 1
                return .character
            default:
                index += 1
                return .literal(scalar)
            }
        }

        mutating func group() -> Piece? {
            let start = index
            index += 1
            var zeroWidth = false, atomic = false
            if current == "?" {
                index += 1
                switch current {
                case ":": index += 1
                case ">": index += 1; atomic = true
                case "=", "!": index += 1; zeroWidth = true
                case "#":
                    while let scalar = current, scalar != ")" { index += 1 }
                    index += 1
                    return nil
                case "<":
                    if peek(1) == "=" || peek(1) == "!" {
                        index += 2
                        zeroWidth = true
                    } else {
                        while let scalar = current, scalar != ">" { index += 1 }
                        index += 1
                    }
                default:
                    // Flags: (?i) sets them for the rest; (?i: …) for the group.
                    while let scalar = current, scalar != ")", scalar != ":" { index += 1 }
                    if current == ")" {
                        index += 1
                        return nil
                    }
                    index += 1
                }
            }
            var inner = alternation()
            if current == ")" {
                index += 1
            } else {
                problems.append("unclosed '(' at offset \(start)")
            }
            if zeroWidth {
                if inner.maximum == nil {
                    problems.append("lookaround at offset \(start) has no upper length")
                }
                return .assertion
            }
            inner.atomic = atomic
            return inner
        }

        /// A bracket expression, nested sets included.
        mutating func skipClass() {
            let start = index
            var depth = 0
            while let scalar = current {
                index += 1
                switch scalar {
                case "\\": index += 1
                case "[":
                    depth += 1
                    // A ']' right after '[' or '[^' is a literal.
                    if current == "^" { index += 1 }
                    if current == "]" { index += 1 }
                case "]":
                    depth -= 1
                    if depth == 0 { return }
                default: break
                }
            }
            problems.append("unclosed '[' at offset \(start)")
        }

        mutating func escape() -> Piece {
            let start = index
            index += 1
            guard let scalar = current else {
                problems.append("trailing backslash at offset \(start)")
                return .character
            }
            index += 1
            switch scalar {
            case "b", "B", "A", "z", "Z", "G":
                return .assertion
            case "1"..."9":
                problems.append("backreference at offset \(start): backreferences cannot be matched in linear time")
                return .character
            case "k":
                problems.append("backreference at offset \(start): backreferences cannot be matched in linear time")
                skipBraced(open: "<", close: ">")
                return .character
            case "Q":
                var length = 0
                while index < scalars.count, !(scalars[index] == "\\" && peek(1) == "E") { index += 1; length += 1 }
                index += 2
                return Piece(minimum: length, maximum: length)
            case "p", "P", "N":
                if current == "{" { skipBraced(open: "{", close: "}") } else { index += 1 }
                return .character
            case "x":
                if current == "{" { skipBraced(open: "{", close: "}") } else { index += 2 }
                return .character
            case "u": index += 4; return .character
            case "U": index += 8; return .character
            case "c": index += 1; return .character
            default:
                // An escaped character other than a letter or a digit stands for itself.
                return scalar.isASCII && !scalar.properties.isAlphabetic && !("0"..."9").contains(scalar) ? .literal(scalar) : .character
            }
        }

        mutating func skipBraced(open: Unicode.Scalar, close: Unicode.Scalar) {
            guard current == open else { return }
            while let scalar = current, scalar != close { index += 1 }
            index += 1
        }
    }
}
