/// Turns text into search tokens that work without spaces between words: runs of Japanese, Chinese
/// or Korean characters become overlapping character bigrams (溶接工 → 溶接 接工), other letters and
/// digits become lower-case words. The same function tokenises postings and queries, so a query
/// matches when its bigrams appear next to each other in a posting, whatever the word boundaries.
public enum SearchTokens {
    /// The tokens of `text`, in order; a query's tokens of one run must appear consecutively.
    public static func runs(_ text: String) -> [[String]] {
        var runs: [[String]] = []
        var word = ""
        var cjk: [Character] = []
        func flushWord() {
            if !word.isEmpty { runs.append([word]) }
            word = ""
        }
        func flushCJK() {
            if cjk.count == 1 {
                runs.append([String(cjk[0])])
            } else if cjk.count > 1 {
                runs.append((0..<cjk.count - 1).map { String(cjk[$0...$0 + 1]) })
            }
            cjk = []
        }
        for character in text.lowercased() {
            if isCJK(character) {
                flushWord()
                cjk.append(character)
            } else if character.isLetter || character.isNumber {
                flushCJK()
                word.append(character)
            } else {
                flushWord()
                flushCJK()
            }
        }
        flushWord()
        flushCJK()
        return runs
    }

    /// The tokens a posting is indexed under: every run's tokens, and after a run of two or more
    /// Japanese, Chinese or Korean characters its last character alone. A one-character query is
    /// then a prefix search — the bigrams starting with it, or the lone last character — instead of
    /// a scan of every posting (溶接工 → 溶接 接工 工: 溶, 接 and 工 are each found).
    public static func documentTokens(_ text: String) -> [String] {
        runs(text).flatMap { run -> [String] in
            // A CJK run of two or more characters is bigrams; Latin words and lone characters stay as they are.
            guard let bigram = run.last, bigram.count == 2, bigram.allSatisfy(isCJK), let last = bigram.last else { return run }
            return run + [String(last)]
        }
    }

    /// The text an FTS5 (unicode61) index stores for a posting: every token, space-separated.
    public static func document(_ text: String) -> String {
        documentTokens(text).joined(separator: " ")
    }

    /// An FTS5 query requiring every run of `text`, each run's tokens as one phrase; nil when the
    /// text has no tokens. Quotes inside tokens are doubled, so the query cannot inject FTS syntax.
    /// A run of Latin letters or digits also matches longer words (`weld` finds `welder`), and a
    /// lone CJK character every token starting with it (see ``documentTokens(_:)``).
    public static func query(_ text: String) -> String? {
        let phrases = runs(text).map { run in
            let phrase = "\"" + run.joined(separator: " ").replacingQuotes() + "\""
            return isPrefix(run) ? phrase + "*" : phrase
        }
        return phrases.isEmpty ? nil : phrases.joined(separator: " AND ")
    }

    /// The same tokens as a PostgreSQL `tsvector` literal, each with its position, so phrases match
    /// exactly as in FTS5. PostgreSQL keeps positions up to 16,383 and 256 per token; later ones
    /// are left out rather than refused.
    public static func tsvector(_ text: String) -> String {
        var positions: [String: [Int]] = [:]
        var order: [String] = []
        for (index, token) in documentTokens(text).enumerated() where index < 16_383 {
            if positions[token] == nil { order.append(token) }
            if positions[token, default: []].count < 256 { positions[token, default: []].append(index + 1) }
        }
        return order.map { quoted($0) + ":" + positions[$0, default: []].map(String.init).joined(separator: ",") }
            .joined(separator: " ")
    }

    /// ``query(_:)`` as a PostgreSQL `tsquery` literal: each run's tokens adjacent (`<->`), runs
    /// joined by `&`, a lone Latin word as a prefix (`:*`). Tokens are quoted, so no query syntax
    /// can come from the text.
    public static func tsquery(_ text: String) -> String? {
        let phrases = runs(text).map { run in
            let phrase = run.map(quoted).joined(separator: " <-> ")
            return isPrefix(run) ? phrase + ":*" : "(" + phrase + ")"
        }
        return phrases.isEmpty ? nil : phrases.joined(separator: " & ")
    }

    /// A lexeme in `tsvector`/`tsquery` literal quoting: `'`, with `'` and `\` escaped.
    private static func quoted(_ token: String) -> String {
        var result = "'"
        for character in token {
            if character == "'" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result + "'"
    }

    /// Whether a query run matches as a prefix: a Latin word, or a lone CJK character.
    static func isPrefix(_ run: [String]) -> Bool {
        run.count == 1 && (!run[0].contains(where: isCJK) || run[0].count == 1)
    }

    static func isCJK(_ character: Character) -> Bool {
        guard character.isLetter, let scalar = character.unicodeScalars.first else { return false }
        switch scalar.value {
        case 0x3040...0x30FF, 0x31F0...0x31FF, // hiragana, katakana
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, // CJK ideographs
             0xAC00...0xD7AF, 0x1100...0x11FF, 0x3130...0x318F, // Hangul
             0xFF66...0xFF9F: // half-width katakana
            return true
        default:
            return false
        }
    }
}

private extension String {
    func replacingQuotes() -> String {
        var result = ""
        for character in self {
            result.append(character)
            if character == "\"" { result.append("\"") }
        }
        return result
    }
}
