import Foundation
import Testing
@testable import WebFirewall
import TextMatching

@Suite("Firewall corpora")
struct CorpusTests {
    struct Sample: Decodable {
        let method: String
        let path: String
        let query: String?
        let body: String?
        let ua: String
        let headers: [[String]]

        var request: WebFirewall.Request {
            WebFirewall.Request(
                method: method, rawPath: path, rawQuery: query,
                headers: [("User-Agent", ua)] + headers.map { ($0[0], $0[1]) }, body: body.map { Data($0.utf8) }, clientIP: "203.0.113.7")
        }
    }

    static func samples(_ name: String) throws -> [Sample] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "jsonl"))
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { try JSONDecoder().decode(Sample.self, from: Data($0.utf8)) }
    }

    static func firewall(paranoia: Int = 1) throws -> WebFirewall {
        let rules = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config/waf-rules.yaml")
        let shipped = try WebFirewall(yaml: try String(contentsOf: rules, encoding: .utf8))
        var settings = shipped.settings
        settings.paranoia = paranoia
        let all = try WebFirewall(yaml: try String(contentsOf: rules, encoding: .utf8).replacingOccurrences(of: "paranoia: 1\n", with: "paranoia: 9\n"))
        return try WebFirewall(settings: settings, rules: all.rules)
    }

    static func report(_ firewall: WebFirewall, attacks: [Sample], benign: [Sample], label: String) -> (missed: [Sample], falsePositives: [(Sample, WebFirewall.Verdict)]) {
        let missed = attacks.filter { firewall.inspect($0.request) == nil }
        let falsePositives = benign.compactMap { sample in firewall.inspect(sample.request).map { (sample, $0) } }
        let detection = Double(attacks.count - missed.count) / Double(attacks.count)
        print("WAF \(label): detection \(attacks.count - missed.count)/\(attacks.count) = \(String(format: "%.1f", detection * 100))%, false positives \(falsePositives.count)/\(benign.count)")
        return (missed, falsePositives)
    }

    @Test func blocksTheAttackCorpusAndPassesTheBenignOne() throws {
        let attacks = try Self.samples("attacks"), benign = try Self.samples("benign")
        #expect(attacks.count >= 150 && benign.count >= 150)
        let (missed, falsePositives) = Self.report(try Self.firewall(), attacks: attacks, benign: benign, label: "paranoia 1")
        #expect(falsePositives.isEmpty, "benign requests blocked: \(falsePositives.map { "\($0.1.ruleID) \($0.0.body ?? $0.0.query ?? $0.0.path)" })")
        #expect(missed.isEmpty, "attacks missed: \(missed.map { $0.body ?? $0.query ?? $0.path })")
    }

    /// Written after the rules were tuned on the corpus above, to see how they do on payloads they
    /// were not shaped to.
    @Test func detectsHeldOutAttacksWithoutFalsePositives() throws {
        let attacks = try Self.samples("heldout-attacks"), benign = try Self.samples("heldout-benign")
        let (missed, falsePositives) = Self.report(try Self.firewall(), attacks: attacks, benign: benign, label: "held-out")
        #expect(Double(missed.count) <= Double(attacks.count) * 0.05, "attacks missed: \(missed.map { $0.body ?? $0.query ?? $0.path })")
        #expect(falsePositives.isEmpty, "benign requests blocked: \(falsePositives.map { "\($0.1.ruleID) \($0.0.body ?? $0.0.query ?? $0.0.path)" })")
    }

    /// The prefilter's contract: a rule is evaluated only in windows around its keywords, so every
    /// match of a rule must contain one of them, or an attack would pass unseen.
    @Test func everyMatchContainsOneOfItsRulesKeywords() throws {
        let firewall = try Self.firewall(paranoia: 9)
        let texts = try (Self.samples("attacks") + Self.samples("heldout-attacks")).flatMap { sample -> [String] in
            let query = sample.query.flatMap { $0.removingPercentEncoding } ?? ""
            return [query, sample.body ?? "", sample.ua] + sample.headers.map { $0[1] }
        }
        func fold(_ text: some StringProtocol) -> String {
            String(String.UnicodeScalarView(text.lowercased().unicodeScalars.map { "\t\n\r".unicodeScalars.contains($0) ? " " : $0 }))
        }
        var checked = 0, whole = 0
        for rule in firewall.rules where !rule.keywords.isEmpty {
            let automaton = KeywordAutomaton(keywords: rule.keywords)
            for text in texts {
                for match in rule.pattern.occurrences(in: text) {
                    checked += 1
                    let matched = fold(text[match])
                    #expect(rule.keywords.contains { matched.contains(fold($0)) }, "rule \(rule.id) matched '\(text[match])' without any of its keywords")
                    guard rule.wholeWords else { continue }
                    // A whole-word rule must have a keyword standing alone inside each match.
                    whole += 1
                    let (from, to) = (text.utf8.distance(from: text.startIndex, to: match.lowerBound), text.utf8.distance(from: text.startIndex, to: match.upperBound))
                    var alone = false
                    automaton.scanHits(text) { keyword, end, standsAlone in
                        if standsAlone && end <= to && end - automaton.keywords[keyword].count >= from { alone = true }
                    }
                    #expect(alone, "whole-word rule \(rule.id) matched '\(text[match])' where none of its keywords stands alone")
                }
            }
        }
        #expect(checked > 300)
        #expect(whole > 100)
    }

    /// Windows around keywords find what a pass over the whole text finds, on every sample.
    @Test func windowedScreeningAgreesWithWholeTextScreening() throws {
        let firewall = try Self.firewall(paranoia: 9)
        let texts = try (Self.samples("attacks") + Self.samples("benign") + Self.samples("heldout-attacks")).flatMap { sample -> [String] in
            [sample.query.flatMap { $0.removingPercentEncoding } ?? "", sample.body ?? "", sample.ua]
        } + [String(repeating: "日本語 ", count: 300) + "x' or '1'='1" + String(repeating: " 한국어", count: 300)]
        let automaton = KeywordAutomaton(keywords: firewall.rules.flatMap(\.keywords))
        let longest = firewall.rules.flatMap(\.keywords).map(\.unicodeScalars.count).max() ?? 0
        for text in texts where !text.isEmpty {
            var ends: [Int] = []
            automaton.scanPositions(text) { _, end in ends.append(end) }
            let windowed = WindowedText(text)
            for rule in firewall.rules {
                #expect(windowed.contains(rule.pattern, keywordEnds: ends, keywordLength: longest) == rule.pattern.occurs(in: text),
                        "rule \(rule.id) on \(text.prefix(80))")
            }
        }
    }

    /// A rule every match of which begins with a keyword is tried only where its keywords start: that
    /// finds what a pass over the whole text finds, on every sample, and what the prefilter's contract
    /// promises is checked match by match.
    @Test func anchoredScreeningAgreesWithWholeTextScreening() throws {
        let firewall = try Self.firewall(paranoia: 9)
        let anchored = firewall.rules.indices.filter { firewall.ruleIsAnchored[$0] }.map { firewall.rules[$0] }
        print("WAF: \(anchored.count) of \(firewall.rules.count) rules are tried only where a keyword starts")
        #expect(anchored.count >= 20, "only \(anchored.count) rules are read as beginning with a keyword")
        let texts = try (Self.samples("attacks") + Self.samples("benign") + Self.samples("heldout-attacks")).flatMap { sample -> [String] in
            [sample.query.flatMap { $0.removingPercentEncoding } ?? "", sample.body ?? "", sample.ua] + sample.headers.map { $0[1] }
        } + [String(repeating: "日本語 ", count: 300) + "x' or '1'='1; cat /etc/passwd" + String(repeating: " 한국어😀", count: 300)]
        var matches = 0
        for rule in anchored {
            let automaton = KeywordAutomaton(keywords: rule.keywords)
            for text in texts where !text.isEmpty {
                // A whole-word rule is tried where a keyword stands alone, as the firewall does.
                var starts: [Int] = []
                automaton.scanHits(text) { keyword, end, standsAlone in
                    if standsAlone || !rule.wholeWords { starts.append(end - automaton.keywords[keyword].count) }
                }
                let occurs = rule.pattern.occurs(in: text)
                if occurs { matches += 1 }
                #expect(WindowedText(text).contains(rule.pattern, keywordStarts: starts) == occurs, "rule \(rule.id) on \(text.prefix(80))")
            }
        }
        #expect(matches > 100)
    }

    @Test func paranoiaTwoLoadsMoreRules() throws {
        let strict = try Self.firewall(paranoia: 2)
        let benign = try Self.samples("benign")
        let blocked = benign.filter { strict.inspect($0.request) != nil }.count
        print("WAF paranoia 2: false positives \(blocked)/\(benign.count)")
        #expect(strict.rules.count > (try Self.firewall()).rules.count)
        #expect(strict.inspect(.init(method: "POST", rawPath: "/api/v1/jobs", rawQuery: nil, headers: [],
                                     body: Data(#"{"bio":"<b>hi</b> select x from y"}"#.utf8), clientIP: nil)) != nil)
    }

    @Test func reportsTheRuleID() throws {
        let verdict = try #require(try Self.firewall().inspect(.init(
            method: "GET", rawPath: "/api/v1/jobs", rawQuery: "q=1%27%20UNION%20SELECT%20password%20FROM%20users", headers: [], body: nil, clientIP: nil)))
        #expect(verdict.ruleID == "942100")
        #expect(verdict.category == "sqli")
        #expect(verdict.kind == .blocked)
    }

    @Test func ipListsUseCIDRs() throws {
        var settings = WebFirewall.Settings()
        settings.deny = ["198.51.100.0/24", "2001:db8::/32"]
        settings.allow = ["198.51.100.7"]
        let firewall = try WebFirewall(settings: settings, rules: [])
        func verdict(_ ip: String) -> String? {
            firewall.inspect(.init(method: "GET", rawPath: "/", rawQuery: nil, headers: [], body: nil, clientIP: ip))?.ruleID
        }
        #expect(verdict("198.51.100.9") == "ip-deny")
        #expect(verdict("198.51.100.7") == nil, "allow wins")
        #expect(verdict("198.51.101.1") == nil)
        #expect(verdict("2001:db8:1::5") == "ip-deny")
        #expect(verdict("2001:db9::1") == nil)
        #expect(throws: FirewallConfigurationError.self) {
            var bad = WebFirewall.Settings()
            bad.deny = ["300.1.1.1/8"]
            _ = try WebFirewall(settings: bad, rules: [])
        }
    }
}
