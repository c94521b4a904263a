import Foundation
import Testing
@testable import TextMatching

@Suite("Bounded patterns")
struct BoundedPatternTests {
    /// The two rules that let one request keep a core busy for seconds (issue P4, item 1).
    static let formerFirewallRules = [
        #"<[^>]*\bon(error|load|click|mouseover|focus|toggle|animationstart)\s*="#,
        #"['"`]\s*\)?\s*(or|and)\s+['"`]?[\w]+['"`]?\s*(=|like)\s*['"`]?[\w]+"#,
    ]

    @Test(arguments: formerFirewallRules)
    func theFormerQuadraticRulesAreRefused(pattern: String) {
        #expect(throws: PatternError.self) { try BoundedPattern(pattern) }
    }

    @Test(arguments: [
        ("a*", "unbounded quantifier"),
        ("a+b", "unbounded quantifier"),
        ("x{2,}", "unbounded quantifier"),
        ("(a{1,4}){1,8}", "nested quantifiers"),
        ("(?:ab|a){1,9}", "variable length"),
        ("\\s{0,8}\\s{0,8}x", "make the first one possessive"),
        ("[a-z]{1,9}\\d?y", "make the first one possessive"),
        ("a{0,5000}", "at most 256"),
        ("(a)\\1", "backreference"),
        ("(?:^){2,3}a", "matches no characters"),
    ])
    func refusesShapesThatBacktrack(pattern: String, reason: String) throws {
        let error = try #require(throws: PatternError.self) { try BoundedPattern(pattern) }
        #expect(error.problems.contains { $0.contains(reason) }, "\(error.problems)")
    }

    @Test(arguments: [
        ("\\bunion\\b[\\s\\S]{0,64}\\bselect\\b", 75),
        ("\\s{0,8}+\\)?+\\s{0,8}+x", 18),
        ("(?>0{0,4}+:){2,7}+", 35),
        ("(?:https?|ftp)://", 8),
        ("[^\\]]{1,3}\\[x\\]", 6),
        ("(?<=ab)c(?=d)", 1),
        ("(?:a|bc)?x", 3),
    ])
    func acceptsBoundedShapesAndKnowsTheLongestMatch(pattern: String, longest: Int) throws {
        #expect(try BoundedPattern(pattern).maximumMatchLength == longest)
    }

    @Test func aPatternThatDoesNotCompileSaysSo() throws {
        let error = try #require(throws: PatternError.self) { try BoundedPattern("(unclosed") }
        #expect(error.problems == ["it does not compile as an ICU regular expression"])
    }

    @Test func matchesCaseInsensitivelyAndFindsEveryOccurrence() throws {
        let pattern = try BoundedPattern("ab{1,2}")
        #expect(pattern.occurs(in: "xxABBx"))
        #expect(!pattern.occurs(in: "a b"))
        let text = "ab abb abbb"
        #expect(pattern.occurrences(in: text).map { String(text[$0]) } == ["ab", "abb", "abb"])
        let wide = "😀ab語ABB é abb"
        #expect(pattern.occurrences(in: wide).map { String(wide[$0]) } == ["ab", "ABB", "abb"], "offsets after two-unit scalars")
        #expect(try !BoundedPattern("ab", caseInsensitive: false).occurs(in: "AB"))
    }
}

@Suite("Keyword automaton")
struct KeywordAutomatonTests {
    func found(_ automaton: KeywordAutomaton, _ text: String) -> [Int] {
        var result: [Int] = []
        automaton.scan(text) { result.append($0) }
        return result
    }

    @Test func findsEveryKeywordAtEveryPlaceItEnds() {
        let automaton = KeywordAutomaton(keywords: ["he", "she", "his", "hers"])
        #expect(found(automaton, "ushers") == [1, 0, 3])
        #expect(found(automaton, "hishe") == [2, 1, 0])
        #expect(found(automaton, "nothing here".replacingOccurrences(of: "he", with: "h e")) == [])
    }

    @Test func foldsASCIICaseAndWhitespaceButNotOtherLetters() {
        let automaton = KeywordAutomaton(keywords: ["union", "nc -e", "溶接", "é"])
        #expect(found(automaton, "UnIoN") == [0])
        #expect(found(automaton, "nc\t-e") == [1])
        #expect(found(automaton, "NC\n-E") == [1])
        #expect(found(automaton, "溶接工") == [2])
        #expect(found(automaton, "É") == [], "only ASCII case is folded")
    }

    /// Before: a line-break keyword was folded to a space, so every space of a text woke its rules.
    @Test func aControlCharacterKeywordMatchesOnlyItself() {
        let automaton = KeywordAutomaton(keywords: ["\n", "nc -e", "\r"])
        #expect(found(automaton, "a b\tc") == [])
        #expect(found(automaton, "a\nb") == [0])
        #expect(found(automaton, "x\r\n") == [2, 0])
        #expect(found(automaton, "nc\n-e") == [0, 1], "longer keywords still fold whitespace")
        var ends: [Int] = []
        automaton.scanPositions("ab\n") { _, end in ends.append(end) }
        #expect(ends == [3])
    }

    @Test func saysWhetherAnOccurrenceStandsAlone() {
        let automaton = KeywordAutomaton(keywords: ["or", "exec", "nc ", "::"])
        func alone(_ text: String) -> [Bool] {
            var result: [Bool] = []
            automaton.scanHits(text) { _, _, standsAlone in result.append(standsAlone) }
            return result
        }
        #expect(alone("1 or 1") == [true])
        #expect(alone("'OR'1") == [true])
        #expect(alone("1or1") == [true], "digits are not letters")
        #expect(alone("worker") == [false])
        #expect(alone("or") == [true])
        #expect(alone("ordinal") == [false])
        #expect(alone("shell_exec(") == [true], "_ is not a letter")
        #expect(alone("execute") == [false])
        #expect(alone("x;nc -e") == [true], "a keyword ending in a space has no end to touch")
        #expect(alone("sync -e") == [false])
        #expect(alone("a::b") == [true], "punctuation keywords always stand alone")
    }

    /// Against a naive search: the same keywords found, the same number of times, ASCII case and
    /// whitespace folded but for the control-character keyword, which only matches itself.
    @Test func agreesWithANaiveSearch() {
        let keywords = ["ab", "abc", "bca", "c", "aab", "bb", "\n", "c\na", " x", "Xa"]
        let automaton = KeywordAutomaton(keywords: keywords)
        var generator = SystemRandomNumberGenerator()
        func fold(_ byte: UInt8) -> UInt8 {
            (0x41...0x5A).contains(byte) ? byte | 0x20 : (0x09...0x0D).contains(byte) ? 0x20 : byte
        }
        for _ in 0..<400 {
            // With characters in no keyword too, which send the automaton back to its root (and let
            // it pass over places where no keyword can begin).
            let text = String((0..<Int.random(in: 0...40, using: &generator)).map { _ in "abcABCabcx語한\n \tX".randomElement(using: &generator)! })
            var expected: [Int] = []
            let bytes = Array(text.utf8)
            for end in 1...max(1, bytes.count) where end <= bytes.count {
                for (index, keyword) in keywords.enumerated() {
                    let utf8 = Array(keyword.utf8)
                    guard end >= utf8.count else { continue }
                    let window = Array(bytes[(end - utf8.count)..<end])
                    if keyword == "\n" ? window == utf8 : window.map(fold) == utf8.map(fold) { expected.append(index) }
                }
            }
            #expect(found(automaton, text).sorted() == expected.sorted(), "\(text)")
        }
    }
}

@Suite("Leading text")
struct LeadingTextTests {
    @Test(arguments: [
        (#"\bunion\b\s{1,8}+select"#, ["union"]),
        (#"(?:[;`\n]|&&|\|\|)\s{0,8}+id"#, [";", "`", "\n", "&&", "||"]),
        (#"\b(?:include|require)(?:_once)?+\s"#, ["include", "require"]),
        (#"<script\b"#, ["<script"]),
        (#"\$\{(?:lower|upper):"#, ["${lower:", "${upper:"]),
        (#"(?<=x)ab{1,3}c"#, ["ab"]),
        (#"[a-c]x|y"#, ["ax", "bx", "cx", "y"]),
        (#"a(?:b|c)?d"#, ["a"]),
        (#"(?:ab|c)+d"#, ["ab", "c"]),
    ])
    func readsWhatEveryMatchBeginsWith(pattern: String, beginnings: [String]) {
        #expect(LeadingText.of(pattern) == Set(beginnings))
    }

    @Test(arguments: [#"\w{1,4}x"#, #"(?i)abc"#, #"[^a]b"#, #"a?b"#, #".ab"#, #"(?:a|)b"# + "|" + #"\sx"#, #"\p{L}a"#, #"é"#])
    func assumesNothingWhereAMatchMayBeginWithAnything(pattern: String) {
        #expect(LeadingText.of(pattern) == nil)
        #expect(!LeadingText.everyMatchBegins(pattern, withOneOf: ["a", "b", "x", "é"]))
    }

    @Test func comparesBeginningsWithKeywordsAsTheAutomatonDoes() {
        #expect(LeadingText.everyMatchBegins(#"(?:UNION|union all)\s"#, withOneOf: ["union"]))
        #expect(!LeadingText.everyMatchBegins(#"(?:union|select)\s"#, withOneOf: ["union"]), "one beginning has no keyword")
        #expect(LeadingText.everyMatchBegins(#"\nid"#, withOneOf: ["\n"]))
        #expect(!LeadingText.everyMatchBegins(#" id"#, withOneOf: ["\n"]), "a line-break keyword is not a space")
        #expect(!LeadingText.everyMatchBegins(#"ab"#, withOneOf: ["abc"]), "the keyword must fit inside the beginning")
    }
}

@Suite("Windowed text")
struct WindowedTextTests {
    /// A match is found wherever it lies, in ASCII, in two- and three-byte scalars and after scalars
    /// that take two UTF-16 units.
    @Test func findsAMatchAtEveryPlace() throws {
        let pattern = try BoundedPattern(#"\bunion\b[\s\S]{0,64}\bselect\b"#)
        for filler in ["a", "é", "語", "😀"] {
            for position in [0, 1, 2000, 2030, 2047, 2048, 2049, 4090, 4096, 5900] {
                let text = String(repeating: filler + " ", count: position / 2) + "union all select" + String(repeating: " " + filler, count: 3000 - position / 2)
                #expect(WindowedText(text).contains(pattern), "\(filler) at \(position)")
                let broken = text.replacingOccurrences(of: "union", with: "xunion")
                #expect(!WindowedText(broken).contains(pattern), "a word boundary is checked with the text around the match")
            }
        }
        for filler in ["z", "😀", "語"] {
            var ends: [Int] = []
            let text = String(repeating: filler + " ", count: 1500) + "union  select" + String(repeating: " " + filler, count: 1500)
            KeywordAutomaton(keywords: ["union"]).scanPositions(text) { _, end in ends.append(end) }
            #expect(WindowedText(text).contains(pattern, keywordEnds: ends, keywordLength: 5), "\(filler)")
            #expect(!WindowedText(text).contains(pattern, keywordEnds: [10], keywordLength: 5), "only the windows are searched")
            let twoPlaces = text + " union" + String(repeating: " " + filler, count: 100) + " select"
            var both: [Int] = []
            KeywordAutomaton(keywords: ["union"]).scanPositions(twoPlaces) { _, end in both.append(end) }
            #expect(both.count == 2)
            #expect(WindowedText(twoPlaces).contains(pattern, keywordEnds: both, keywordLength: 5), "the first window matches, the second not")
        }
    }

    /// A keyword's UTF-8 offset is found among the UTF-16 units wherever it lies: after ASCII, two-,
    /// three- and four-byte scalars, on either side of the checkpoints the offsets are counted from.
    @Test func placesAKeywordStartExactlyInMixedText() throws {
        let pattern = try BoundedPattern("zq")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let before = String((0..<Int.random(in: 0...200, using: &generator)).map { _ in "aé語😀 ".randomElement(using: &generator)! })
            let after = String((0..<Int.random(in: 0...50, using: &generator)).map { _ in "aé語😀 ".randomElement(using: &generator)! })
            let text = before + "zq" + after
            let start = before.utf8.count
            #expect(WindowedText(text).contains(pattern, keywordStarts: [start]), "at byte \(start) of \(text.debugDescription)")
            #expect(!WindowedText(text).contains(pattern, keywordStarts: [start + 1]), "one byte later")
            #expect(WindowedText(text).contains(pattern, keywordEnds: [start + 2], keywordLength: 2))
        }
    }

    @Test func anchorsMatchOnlyAtTheTextsOwnEnds() throws {
        let pattern = try BoundedPattern(#"\.bak$"#)
        let text = "x.bak" + String(repeating: "y", count: 5000)
        #expect(!WindowedText(text).contains(pattern))
        #expect(WindowedText(String(repeating: "y", count: 5000) + "x.bak").contains(pattern))
    }
}
