import AgentService
import Foundation
import JobService
import Testing
import Workforce

enum AgentFiles {
    static let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("config")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: config.appendingPathComponent(name), encoding: .utf8)
    }

    static func extractor() throws -> SkillExtractor {
        SkillExtractor(taxonomy: try SkillTaxonomy(yaml: text("skills.yaml")))
    }

    static func reviewer() throws -> JobAdReviewer {
        JobAdReviewer(rules: try JobAdRules(rulesYAML: text("job-ad-rules.yaml"), wagesYAML: text("minimum-wages.yaml")))
    }
}

@Suite("Skill extraction")
struct SkillExtractionTests {
    struct Sample: Sendable, CustomTestStringConvertible {
        let text: String
        let expected: Set<String>
        var testDescription: String { String(text.prefix(30)) }
    }

    @Test(arguments: [
        Sample(text: "Experienced TIG welder with a forklift licence: 5 years of welding, some Python and SQL.",
               expected: ["tig-welding", "welding", "forklift", "python", "databases"]),
        Sample(text: "介護福祉士の資格を持ち、介護の経験5年。日本語能力試験N2、フォークリフト運転もできます。",
               expected: ["care-worker-certificate", "caregiving", "japanese-language", "forklift"]),
        Sample(text: "용접공으로 3년 근무했고 지게차 운전이 가능합니다. 한국어와 베트남어를 합니다.",
               expected: ["welding", "forklift", "korean-language", "vietnamese-language"]),
        Sample(text: "Software engineer (バックエンド開発) — Swift, Kotlin, Docker; 프론트엔드 개발 경험.",
               expected: ["software-engineering", "backend-development", "swift", "kotlin", "devops", "frontend-development"]),
    ])
    func findsTheSkillsInEachLanguage(sample: Sample) throws {
        let found = try AgentFiles.extractor().extract(from: sample.text)
        #expect(Set(found.map(\.skill)) == sample.expected)
        let scalars = Array(sample.text.unicodeScalars)
        for finding in found {
            #expect((0...1).contains(finding.confidence))
            for mention in finding.mentions {
                let span = String(String.UnicodeScalarView(scalars[mention.start..<mention.end]))
                #expect(span == mention.text, "the span points at the words found")
            }
        }
    }

    @Test func wordsInsideOtherWordsAreNotSkillsInLatinText() throws {
        let extractor = try AgentFiles.extractor()
        #expect(extractor.extract(from: "Kotlinesque prose about a gopher").isEmpty)
        #expect(extractor.extract(from: "She welds; welders wanted").map(\.skill) == ["welding"], "plural of a label counts")
        let found = extractor.extract(from: "溶接溶接工")
        #expect(found.first?.mentions.map(\.text) == ["溶接", "溶接工"], "in Japanese the longest label wins where two overlap")
    }
}

@Suite("Job-ad compliance review")
struct JobAdReviewTests {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let expectedRules: [String]
        let ad: JobContent
        var testDescription: String { name }
        enum CodingKeys: String, CodingKey {
            case name, ad
            case expectedRules = "expected_rules"
        }
    }

    static let cases: [Case] = {
        let url = Bundle.module.url(forResource: "job-ads", withExtension: "jsonl", subdirectory: "Fixtures")!
        let lines = (try? String(contentsOf: url, encoding: .utf8))?.split(separator: "\n") ?? []
        return lines.map { try! JSONDecoder().decode(Case.self, from: Data($0.utf8)) }
    }()

    @Test(arguments: cases)
    func findsWhatTheLawForbidsAndNothingElse(_ sample: Case) throws {
        // Before the Japanese wage table's revision day, so that only the ads' own problems are found.
        let findings = try AgentFiles.reviewer().review(sample.ad, on: "2026-09-25")
        #expect(Set(findings.map(\.rule)) == Set(sample.expectedRules), "\(findings.map { "\($0.rule): \($0.evidence ?? $0.message)" })")
        let text = Array((sample.ad.title + "\n" + sample.ad.description).unicodeScalars)
        for finding in findings {
            #expect(!finding.sources.isEmpty && finding.sources.allSatisfy { $0.hasPrefix("http") }, "each finding cites its sources")
            #expect(!finding.law.isEmpty)
            if let start = finding.start, let end = finding.end, let evidence = finding.evidence {
                #expect(String(String.UnicodeScalarView(text[start..<end])) == evidence)
            }
        }
    }

    @Test func theFixtureCorpusHasGoodAndBadAdsInBothCountries() {
        #expect(Self.cases.count >= 20)
        for country in ["JP", "KR"] {
            #expect(Self.cases.contains { $0.ad.location.country == country && $0.expectedRules.isEmpty })
            #expect(Self.cases.filter { $0.ad.location.country == country && !$0.expectedRules.isEmpty }.count >= 5)
        }
    }

    @Test func minimumWagesFollowTheirEffectiveDates() throws {
        let rules = try JobAdRules(rulesYAML: AgentFiles.text("job-ad-rules.yaml"), wagesYAML: AgentFiles.text("minimum-wages.yaml"))
        let korea = try #require(rules.minimumWages.first { $0.country == "KR" })
        #expect(korea.rate(region: nil, on: "2025-12-31")?.amount == 10_030)
        #expect(korea.rate(region: nil, on: "2026-01-01")?.amount == 10_320)
        let japan = try #require(rules.minimumWages.first { $0.country == "JP" })
        #expect(japan.rate(region: "Tokyo", on: "2026-11-25")?.amount == 1_226)
        #expect(japan.rate(region: "Akita", on: "2026-01-15") == nil, "FY2025 Akita takes effect on 2026-03-31; the older rate is not on file")
        #expect(japan.rates.count == 47)
    }

    /// From the day the Japanese table is due for revision (the FY2026 rates take effect from October),
    /// a review of pay says its wage data may be out of date, with the table's dates, instead of
    /// passing pay that only clears last year's rates.
    @Test func wagesPastTheirRevisionDaySayTheyMayBeOutOfDate() throws {
        let reviewer = try AgentFiles.reviewer()
        let ad = try #require(Self.cases.first { $0.name == "good JP welding ad" }?.ad)
        #expect(reviewer.review(ad, on: "2026-09-30").isEmpty, "the day before, the ad passes")
        let findings = reviewer.review(ad, on: "2026-10-01")
        let stale = try #require(findings.first { $0.rule == "jp-minimum-wage-data" }, "\(findings.map(\.rule))")
        #expect(stale.severity == "out-of-date" && stale.category == "minimum-wage")
        #expect(stale.message.contains("2025-09-05") && stale.message.contains("2026-10-01"), "\(stale.message)")
        #expect(findings.count == 1)
        // Pay below last year's rate is still a violation, and the table's age is said as well.
        var low = ad
        low.salary = SalaryRange(min: 150_000, max: 160_000, currency: "JPY", period: .month)
        #expect(Set(reviewer.review(low, on: "2026-12-01").map(\.rule)) == ["jp-minimum-wage", "jp-minimum-wage-data"])
        // Korea's table is current until 2027-01-01.
        let korean = try #require(Self.cases.first { $0.ad.location.country == "KR" && $0.expectedRules.isEmpty && $0.ad.salary != nil }?.ad)
        #expect(reviewer.review(korean, on: "2026-12-31").isEmpty)
        #expect(reviewer.review(korean, on: "2027-01-01").map(\.rule) == ["kr-minimum-wage-data"])
    }

    /// Korea's nationality rule rests on a recommendation of the human-rights commission at the
    /// recruitment stage, and says so; Japan's on 職業安定法 第3条, not 労働基準法 第3条 (after hiring).
    @Test func nationalityFindingsStateTheirBasisAndItsWeight() throws {
        let reviewer = try AgentFiles.reviewer()
        let korean = try #require(Self.cases.first { $0.expectedRules == ["kr-nationality"] }?.ad)
        let finding = try #require(reviewer.review(korean, on: "2026-09-25").first { $0.rule == "kr-nationality" })
        #expect(finding.severity == "advisory")
        #expect(finding.law.contains("국가인권위원회법") && !finding.law.contains("근로기준법"))
        let japanese = try #require(Self.cases.first { $0.expectedRules == ["jp-nationality"] }?.ad)
        let jp = try #require(reviewer.review(japanese, on: "2026-09-25").first { $0.rule == "jp-nationality" })
        #expect(jp.severity == "violation" && jp.law.contains("職業安定法 第3条") && !jp.law.contains("労働基準法"))
    }

    /// The 2024-04-01 conditions apply to ads reviewed from that day; a renewal limit only to fixed-term work.
    @Test func mandatoryConditionsApplyFromTheirDayAndToTheirAds() throws {
        let reviewer = try AgentFiles.reviewer()
        let ad = try #require(Self.cases.first { $0.name == "JP ad without probation or scope of changes" }?.ad)
        #expect(Set(reviewer.review(ad, on: "2024-03-31").map(\.rule)) == ["jp-mandatory-probation"])
        #expect(Set(reviewer.review(ad, on: "2024-04-01").map(\.rule)) == ["jp-mandatory-probation", "jp-mandatory-scope-of-changes"])
    }

    @Test func aWageTableWithoutSaneRevisionDatesIsRefused() throws {
        let wages = try AgentFiles.text("minimum-wages.yaml").replacingOccurrences(of: "revision_due: 2027-01-01", with: "revision_due: 2024-01-01")
        #expect {
            try JobAdRules(rulesYAML: AgentFiles.text("job-ad-rules.yaml"), wagesYAML: wages)
        } throws: { error in
            (error as? JobAdRulesError)?.problems.contains { $0.contains("minimum wages KR: revision_due 2024-01-01 is not after as_of 2025-07-10") } ?? false
        }
    }

    @Test func aBrokenRulesFileIsRefused() throws {
        let broken = """
            as_of: 2026-01-01
            revision_due: 2027-01-01
            rules: [{ id: x, country: JP, category: age, law: L, message: M, patterns: ['(unclosed'], sources: [NOPE] }]
            mandatory: []
            sources: {}
            """
        #expect {
            try JobAdRules(rulesYAML: broken, wagesYAML: AgentFiles.text("minimum-wages.yaml"))
        } throws: { error in
            let problems = (error as? JobAdRulesError)?.problems ?? []
            return problems.contains { $0.contains("does not compile") } && problems.contains { $0.contains("unknown source NOPE") }
        }
    }
}
