import Foundation
import Testing
@testable import TextMatching

@Suite("Patterns as ICU runs them")
struct PatternRewriteTests {
    @Test(arguments: [
        ("(?:cat|chmod|curl|ls)", "(?:c(?:at|hmod|url)|ls)"),
        // Order kept where two words can match at one place: the shorter first stays first.
        ("(?>ab|a)", "(?>a(?:b|))"),
        ("(?:a|ab)x", "(?:a(?:|b))x"),
        // A quantified character and what follows it are the rest of a word.
        ("(?:ab?c|ad)", "(?:a(?:b?c|d))"),
        ("(?:python[23]?|perl|php)", "(?:p(?:ython[23]?|erl|hp))"),
        ("(?:\\.ini|\\.inf)", "(?:\\.in(?:i|f))"),
        // Case is one when the pattern ignores it.
        ("(?:Select|sleep)", "(?:S(?:elect|leep))"),
        // Nothing moves past a word that may match anywhere (an empty one, a class).
        ("(?:ab||ac)", "(?:ab||ac)"),
        ("(?:ab|[xy]|ac)", "(?:ab|[xy]|ac)"),
        // Groups inside words and lookarounds are rewritten too.
        ("(?<=(?:nc|nslookup)\\s)x", "(?<=(?:n(?:c|slookup))\\s)x"),
        // Inline flags, quotations and text beyond ASCII are left as written.
        ("(?i)(?:ab|ac)", "(?i)(?:ab|ac)"),
        ("\\Q(\\E(?:ab|ac)", "\\Q(\\E(?:ab|ac)"),
        ("(?:éa|éb)", "(?:éa|éb)"),
    ])
    func factorsGroupsOfWords(source: String, factored: String) {
        #expect(LiteralAlternation.factored(source, caseInsensitive: true) == factored)
    }

    @Test func factorsByExactCaseWhenThePatternMindsIt() {
        #expect(LiteralAlternation.factored("(?:Ab|ab|Ac)", caseInsensitive: false) == "(?:A(?:b|c)|ab)")
    }

    /// Random groups of words, atomic or not, in random texts: the factored pattern finds a match
    /// where the source does, and the same one.
    @Test func factoredPatternsMatchWhatTheirSourcesMatch() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let words = (0..<Int.random(in: 2...6, using: &generator)).map { _ in
                String((0..<Int.random(in: 1...3, using: &generator)).map { _ in "abB".randomElement(using: &generator)! })
            }
            let open = ["(?:", "(?>", "("].randomElement(using: &generator)!
            let source = open + words.joined(separator: "|") + ")" + ["", "b", "a?+b", "\\b"].randomElement(using: &generator)!
            let factored = LiteralAlternation.factored(source, caseInsensitive: true)
            let original = try NSRegularExpression(pattern: source, options: [.caseInsensitive])
            let rewritten = try NSRegularExpression(pattern: factored, options: [.caseInsensitive])
            for _ in 0..<20 {
                let text = String((0..<Int.random(in: 0...8, using: &generator)).map { _ in "abAB x".randomElement(using: &generator)! })
                let range = NSRange(text.startIndex..., in: text)
                #expect(original.firstMatch(in: text, range: range)?.range == rewritten.firstMatch(in: text, range: range)?.range,
                        "\(source) → \(factored) on \(text.debugDescription)")
            }
        }
    }

    @Test(arguments: [
        ("SELECT\\s[A-Z]{1,4}+\\S", "select\\s[a-z]{1,4}+\\S"),
        ("[A-Za-z0-9+/=]", "[a-za-z0-9+/=]"),
        ("\\x00|\\x0b", "\\x00|\\x0b"),
        ("\\bUnion\\b", "\\bunion\\b"),
    ])
    func lowersWhatCaseDoesNotMatter(source: String, lowered: String) {
        #expect(CaseFoldedSource.lowered(source) == lowered)
    }

    /// Where lowering could change what a pattern matches, it is not lowered (and runs
    /// case-insensitively, as written).
    @Test(arguments: ["\\p{Lu}", "\\x41", "\\x{61}", "\\u0041", "[A-z]", "[0-Z]", "[[:upper:]]", "(?i)a", "(?-i:A)", "\\QA\\E", "é", "\\N{LATIN SMALL LETTER A}", "\\1"])
    func leavesAloneWhatLoweringCouldChange(source: String) {
        #expect(CaseFoldedSource.lowered(source) == nil)
    }

    @Test func foldsTheTwoLettersBeyondASCIIThatFoldToASCII() throws {
        // The Kelvin sign and the long s match k and s case-insensitively, as ICU would.
        #expect(try BoundedPattern("kill").occurs(in: "\u{212A}ILL -9"))
        #expect(try BoundedPattern("\\bselect\\b").occurs(in: "\u{17F}ELECT 1"))
        #expect(try BoundedPattern("[a-z]{3}").occurs(in: "\u{17F}\u{212A}x"))
        // A case-sensitive pattern sees the text as it is.
        #expect(try !BoundedPattern("Abc", caseInsensitive: false).occurs(in: "abc"))
        #expect(try BoundedPattern("Abc", caseInsensitive: false).occurs(in: "xAbc"))
        #expect(try BoundedPattern("abc").occurrences(in: "ABC abc \u{212A}").count == 2)
    }
}

@Suite("Characters every match contains")
struct RequiredCharacterTests {
    @Test(arguments: [
        (#"\bselect\s{0,4}+\("#, "("),
        (#"a\(b|c\(d"#, "("),
        (#"(?:x;|y;)z"#, ";"),
        (#"'[\[{][^']{0,8}+'"#, "'"),
        (#"a;?b"#, ""),
        (#"(?<=;)x"#, ""),
        (#"a(?:;|,)b"#, ""),
        (#"[;]"#, ""),
        (#"\d{1,3}\.\d"#, "."),
        (#"x(?:=){2}"#, "="),
        (#"X(?:=){0,2}"#, ""),
    ])
    func areReadFromTheSource(pattern: String, required: String) {
        #expect(PatternShape(pattern, maximumRepeat: 256).requiredCharacters == Set(required.unicodeScalars))
    }

    /// A region without a required character is passed over, and a match is still found wherever one is.
    @Test func theSameMatchesAreFound() throws {
        let pattern = try BoundedPattern(#"\b(?:and|or)\s{1,8}+\(\s{0,4}+select\b"#)
        let text = String(repeating: "salt and pepper ", count: 200) + "1 and (select 1)" + String(repeating: " and more", count: 200)
        var starts: [Int] = []
        KeywordAutomaton(keywords: ["and", "or"]).scanHits(text) { keyword, end, alone in
            if alone { starts.append(end - (keyword == 0 ? 3 : 2)) }
        }
        #expect(WindowedText(text).contains(pattern, keywordStarts: starts))
        #expect(pattern.occurs(in: text))
        #expect(!pattern.occurs(in: text.replacingOccurrences(of: "(", with: "[")))
    }
}
