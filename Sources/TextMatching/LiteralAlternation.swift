/// A pattern's source with the alternatives of each group factored by the literal characters they
/// begin with: `(?:cat|chmod|curl|ls)` becomes `(?:c(?:at|h(?:mod|own)|url)|ls)`. It matches the same
/// texts.
///
/// ICU tries the alternatives of a group one after another, saving its state before each; a rule
/// listing eighty command names spent 4.4 µs failing at one `;` followed by prose, 2.7 µs once
/// factored. Only the leading literal characters (ASCII, none quantified) of each alternative are
/// factored; the rest of it follows as written. A word moves forward only past words with another
/// first character, which cannot match where it does, and never past one that may begin with
/// anything, so the first alternative to match at a place stays the same, and atomic groups and
/// possessive quantifiers around the group behave as before. A pattern that is not ASCII, sets flags
/// inline (`(?x)`, `(?i)`) or holds a comment or a `\Q…\E` quotation is left as written.
///
/// Exact for every text but characters that case-fold to more than one letter (`ß`, `ﬁ`): ICU compares a
/// word of several letters by full case folding and a single letter by simple folding, so after the
/// rewrite `ss` no longer matches `ß`. No shell or SQL parser reads those as two ASCII letters.
enum LiteralAlternation {
    static func factored(_ source: String, caseInsensitive: Bool) -> String {
        let pattern = PatternSource(source)
        guard pattern.scalars.allSatisfy(\.isASCII), pattern.isPlain else { return source }
        return Rewriter(pattern: pattern, caseInsensitive: caseInsensitive).rewrite(0..<pattern.scalars.count)
    }

    private struct Rewriter {
        let pattern: PatternSource
        let caseInsensitive: Bool
        var scalars: [Unicode.Scalar] { pattern.scalars }

        /// The text of `range` with every plain-word group inside rewritten.
        func rewrite(_ range: Range<Int>) -> String {
            var output = ""
            var index = range.lowerBound
            while index < range.upperBound {
                let scalar = scalars[index]
                switch scalar {
                case "\\":
                    output.unicodeScalars.append(contentsOf: scalars[index..<min(index + 2, range.upperBound)])
                    index += 2
                case "[":
                    let end = pattern.classEnd(from: index)
                    output.unicodeScalars.append(contentsOf: scalars[index..<end])
                    index = end
                case "(":
                    let close = pattern.groupEnd(from: index)
                    // The opening: `(`, `(?:`, `(?>`, a lookaround or a named group.
                    var bodyStart = index + 1
                    if bodyStart < close, scalars[bodyStart] == "?" {
                        bodyStart += 1
                        if bodyStart < close, scalars[bodyStart] == "<", bodyStart + 1 < close, scalars[bodyStart + 1] != "=", scalars[bodyStart + 1] != "!" {
                            while bodyStart < close, scalars[bodyStart] != ">" { bodyStart += 1 }
                        } else if bodyStart < close, scalars[bodyStart] == "<" {
                            bodyStart += 1
                        }
                        bodyStart = min(bodyStart + 1, close)
                    }
                    output.unicodeScalars.append(contentsOf: scalars[index..<bodyStart])
                    if let words = alternatives(bodyStart..<close) {
                        output += trie(words)
                    } else {
                        output += rewrite(bodyStart..<close)
                    }
                    if close < range.upperBound { output += ")" }
                    index = close + 1
                default:
                    output.unicodeScalars.append(scalar)
                    index += 1
                }
            }
            return output
        }

        /// The group's alternatives, each as the literal characters it begins with (a character or an
        /// escaped punctuation mark each, none quantified) and the rest, rewritten once; nil only for a
        /// trailing backslash. Alternatives that share no first character come back out of ``trie(_:)``
        /// as written.
        func alternatives(_ range: Range<Int>) -> [Word]? {
            var words: [Word] = []
            for alternative in pattern.alternatives(in: range) {
                var units: [String] = [], cursor = alternative.lowerBound
                while cursor < alternative.upperBound {
                    let scalar = scalars[cursor]
                    var unit: String
                    if scalar == "\\" {
                        guard cursor + 1 < alternative.upperBound else { return nil }
                        let escaped = scalars[cursor + 1]
                        guard escaped.value >= 0x20, escaped.value < 0x7F, !escaped.properties.isAlphabetic, !("0"..."9").contains(escaped) else { break }
                        unit = "\\" + String(escaped)
                    } else {
                        guard scalar.value >= 0x20, scalar.value < 0x7F, !"^$.?*+()[]{}|".unicodeScalars.contains(scalar) else { break }
                        unit = String(scalar)
                    }
                    let next = cursor + unit.unicodeScalars.count
                    // A quantified character belongs to the rest.
                    if next < alternative.upperBound, "?*+{".unicodeScalars.contains(scalars[next]) { break }
                    units.append(unit)
                    cursor = next
                }
                words.append(Word(units: units, rest: rewrite(cursor..<alternative.upperBound)))
            }
            return words
        }

        /// An alternative: the literal characters it begins with, then the rest as written.
        struct Word {
            var units: [String]
            var rest: String
        }

        /// How two units compare: by the character they stand for (`\-` is `-`), ASCII letters alike in
        /// either case when the pattern ignores case.
        func key(_ unit: String) -> String {
            let character = String(unit.unicodeScalars.last!)
            return caseInsensitive ? character.lowercased() : character
        }

        /// The words as alternatives grouped by their first unit, recursively; groups in the order of
        /// their first word, words within a group in their own order.
        ///
        /// A word moves forward only past words with another first unit, which cannot match where it
        /// does, so the first alternative to match at a place stays the same. An empty word matches
        /// everywhere: nothing moves past it.
        func trie(_ words: [Word]) -> String {
            var alternatives: [String] = []
            var segment: [(key: String, words: [Word])] = []
            func close() {
                for group in segment {
                    if group.words.count == 1 {
                        alternatives.append(group.words[0].units.joined() + group.words[0].rest)
                    } else {
                        // The units every word of the group begins with, then what follows each.
                        let first = group.words[0].units
                        var shared = 1
                        while shared < first.count, group.words.allSatisfy({ $0.units.count > shared && key($0.units[shared]) == key(first[shared]) }) {
                            shared += 1
                        }
                        let tails = group.words.map { Word(units: Array($0.units.dropFirst(shared)), rest: $0.rest) }
                        alternatives.append(first.prefix(shared).joined() + "(?:" + trie(tails) + ")")
                    }
                }
                segment = []
            }
            for word in words {
                // A word that begins with no literal character may match anywhere: nothing moves past it.
                guard let first = word.units.first else {
                    close()
                    alternatives.append(word.rest)
                    continue
                }
                if let at = segment.firstIndex(where: { $0.key == key(first) }) {
                    segment[at].words.append(word)
                } else {
                    segment.append((key(first), [word]))
                }
            }
            close()
            return alternatives.joined(separator: "|")
        }
    }
}
