import Foundation
import Testing
@testable import WebFirewall
import TextMatching

@Suite("Rules as ICU runs them")
struct RuleFormTests {
    /// ICU runs each rule in a faster form than written (lowered for case-folded text, its groups of
    /// words factored). On every fixture text — as written, upper-cased, and with the Kelvin sign and
    /// the long s for k and s — each rule finds a match exactly where its source, run
    /// case-insensitively by Foundation, finds one.
    @Test func everyRuleMatchesWhereItsSourceMatches() throws {
        let firewall = try CorpusTests.firewall(paranoia: 9)
        let samples = try CorpusTests.samples("attacks") + CorpusTests.samples("benign") + CorpusTests.samples("heldout-attacks")
            + CorpusTests.samples("heldout-benign")
        let texts = samples.flatMap { sample -> [String] in
            [sample.query.flatMap { $0.removingPercentEncoding } ?? "", sample.body ?? "", sample.ua] + sample.headers.map { $0[1] }
        }.filter { !$0.isEmpty }.flatMap { text in
            [text, text.uppercased(), text.replacingOccurrences(of: "k", with: "\u{212A}").replacingOccurrences(of: "s", with: "\u{17F}")]
        }
        var matches = 0
        for rule in firewall.rules {
            let source = try NSRegularExpression(pattern: rule.pattern.source, options: [.caseInsensitive])
            for text in texts {
                let expected = source.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
                if expected { matches += 1 }
                #expect(rule.pattern.occurs(in: text) == expected, "rule \(rule.id) on \(text.prefix(100).debugDescription)")
            }
        }
        #expect(matches > 1000, "the fixtures match the rules \(matches) times")
    }
}
