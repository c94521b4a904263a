/// A pattern's source read as far as its groups, classes and alternatives: enough to rewrite it or
/// split it without changing what it matches.
struct PatternSource {
    let scalars: [Unicode.Scalar]

    init(_ source: String) {
        scalars = Array(source.unicodeScalars)
    }

    /// Whether nothing in the source changes how the rest reads: no inline flags (`(?i)`, `(?x:`),
    /// no comment and no `\Q…\E` quotation. Only such sources are rewritten or split.
    var isPlain: Bool {
        var index = 0, inClass = 0
        while index < scalars.count {
            switch scalars[index] {
            case "\\":
                if index + 1 < scalars.count, scalars[index + 1] == "Q" { return false }
                index += 1
            case "[": inClass += 1
            case "]" where inClass > 0: inClass -= 1
            case "(" where inClass == 0 && index + 2 < scalars.count && scalars[index + 1] == "?":
                if !":=!<>".unicodeScalars.contains(scalars[index + 2]) { return false }
            default: break
            }
            index += 1
        }
        return true
    }

    /// Past the `]` that closes the class opened at `start` (nested sets included).
    func classEnd(from start: Int) -> Int {
        var index = start, depth = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            switch scalar {
            case "\\": index += 1
            case "[":
                depth += 1
                // A ']' right after '[' or '[^' is a literal.
                if index < scalars.count, scalars[index] == "^" { index += 1 }
                if index < scalars.count, scalars[index] == "]" { index += 1 }
            case "]":
                depth -= 1
                if depth == 0 { return min(index, scalars.count) }
            default: break
            }
        }
        return scalars.count
    }

    /// The offset of the `)` closing the group opened at `start`, or the end of the source.
    func groupEnd(from start: Int) -> Int {
        var index = start + 1, depth = 1
        while index < scalars.count {
            switch scalars[index] {
            case "\\": index += 1
            case "[": index = classEnd(from: index) - 1
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
            index += 1
        }
        return scalars.count
    }

    /// The alternatives of `range` (a group's body, or the whole source): its parts between the
    /// `|` that are not inside a group or a class.
    func alternatives(in range: Range<Int>) -> [Range<Int>] {
        var parts: [Range<Int>] = []
        var start = range.lowerBound, index = range.lowerBound
        while index < range.upperBound {
            switch scalars[index] {
            case "\\": index += 1
            case "[": index = classEnd(from: index) - 1
            case "(": index = groupEnd(from: index)
            case "|":
                parts.append(start..<index)
                start = index + 1
            default: break
            }
            index += 1
        }
        parts.append(start..<range.upperBound)
        return parts
    }

    func text(_ range: Range<Int>) -> String {
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars[range])
        return text
    }
}
