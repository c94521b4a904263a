import Foundation
import JobService
import MatchingEngine
import ServerKit
import Sovereignty
import Testing
import Workforce

enum Shipped {
    static func text(_ name: String) throws -> String {
        try String(contentsOf: RulesFile.directory.appendingPathComponent(name), encoding: .utf8)
    }

    static func index() throws -> MatchingIndex {
        MatchingIndex(rules: try RulesFile.rules(), taxonomy: try SkillTaxonomy(yaml: text("skills.yaml")),
                      configuration: try MatchingConfiguration(yaml: text("matching.yaml")))
    }
}

@Suite("Matching index")
struct MatchingIndexTests {
    /// 2026-11-12, the day the generator's postings are created (1_795_000_000 s).
    static let day = "2026-11-17"

    func planted(version: String = "2026-11-17T00:00:00.000Z") -> Job {
        Job(id: RegionalID.generate(kind: .job, regionCode: "jp1", millisecondsSince1970: 9_999_999),
            employerID: RegionalID.generate(kind: .user, regionCode: "jp1", millisecondsSince1970: 1), originRegion: "jp-tokyo", status: .open,
            content: JobContent(
                title: "Welder", description: "Planted", requiredSkills: ["溶接", "forklift", "rigging"],
                minimumLanguage: .init(language: "ja", test: "JLPT", level: "N4"), eligibleResidenceStatuses: [],
                location: Place(country: "JP", prefecture: "Aichi", city: "Nagoya"),
                salary: SalaryRange(min: 250_000, max: 300_000, currency: "JPY", period: .month), employmentType: .fullTime,
                field: "construction"),
            createdAt: version, updatedAt: version)
    }

    let welder = WorkerQuery(
        candidate: Candidate(residenceStatus: "specified-skilled-worker-1", residenceExpiresOn: "2030-01-01", countryOfResidence: "JP",
                             languages: [.init(language: "ja", test: "JLPT", level: "N2")]),
        skills: ["welding", "Forklift", "rigging"], location: Place(country: "JP", prefecture: "Aichi", city: "Nagoya"),
        desiredSalary: Pay(amount: 280_000, currency: "JPY", period: .month))

    @Test func thePlantedIdealMatchRanksFirstAndExplanationsSumToTheScore() throws {
        let index = try Shipped.index()
        var generator = SyntheticCatalog(seed: 7, skills: Array(index.taxonomy.skills.keys))
        index.upsert(contentsOf: (0..<5_000).map { generator.job(index: $0) })
        let ideal = planted()
        index.upsert(ideal)
        let ranking = index.rank(welder, limit: 10, on: Self.day)
        let first = try #require(ranking.matches.first)
        #expect(first.jobID == ideal.id, "the planted job ranks first, not \(first.jobID) at \(first.score)")
        #expect(abs(first.score - 100) < 1e-9, "a perfect fit scores 100: \(first.explanation)")
        #expect(first.explanation.filter { $0.factor == "skill" }.map(\.term) == ["welding", "forklift", "rigging"])
        #expect(ranking.matches.count == 10)
        #expect(zip(ranking.matches, ranking.matches.dropFirst()).allSatisfy { $0.score >= $1.score }, "best first")
        for match in ranking.matches {
            #expect(abs(match.explanation.reduce(0) { $0 + $1.points } - match.score) < 1e-9)
            #expect((0...100).contains(match.score))
        }
    }

    /// Lists are read newest first and cut once older postings cannot reach the results; an older
    /// posting that fits better must still win (written late, or loaded in bulk).
    @Test func anOlderPostingThatFitsBetterIsNotCutOffByTheNewestFirstOrder() throws {
        var recent = planted(version: "2026-11-17T00:00:00.000Z")
        recent.content.location = Place(country: "JP", prefecture: "Aichi", city: "Toyota")   // 97 points
        let older = planted(version: "2026-11-15T00:00:00.000Z")                              // same city: 99.06
        let oneByOne = try Shipped.index()
        oneByOne.upsert(recent)
        oneByOne.upsert(older)
        let bulk = try Shipped.index()
        bulk.upsert(contentsOf: [older, recent])
        for index in [oneByOne, bulk] {
            let best = try #require(index.rank(welder, limit: 1, on: Self.day).matches.first)
            #expect(best.jobID == older.id, "\(best.score)")
            #expect(abs(best.score - (100 - 10 + 10 * pow(0.5, 2.0 / 14))) < 1e-9)
        }
    }

    @Test func aRelatedSkillEarnsPartialCreditAndRarityWeighs() throws {
        let index = try Shipped.index()
        var job = planted()
        job.content.requiredSkills = ["tig-welding"]
        index.upsert(job)
        let match = try #require(index.rank(welder, limit: 1, on: Self.day).matches.first)
        let skill = try #require(match.explanation.first { $0.factor == "skill" })
        #expect(skill.points == 25, "welding stands in for TIG welding at half credit: \(skill)")
        #expect(skill.detail.contains("related"))
    }

    /// A candidate listing ranks thousands of workers by one posting's fast score: it must be the score
    /// the explained form adds up to, and nil exactly where the explained form finds no match.
    @Test(arguments: [11, 12, 13] as [UInt64])
    func theFastScoreOfOnePostingIsTheExplainedScore(seed: UInt64) throws {
        let index = try Shipped.index()
        var generator = SyntheticCatalog(seed: seed, skills: Array(index.taxonomy.skills.keys))
        var jobs = (0..<300).map { generator.job(index: $0) }
        var related = planted()
        related.content.requiredSkills = ["tig-welding", "forklift"]
        jobs.append(related)
        index.upsert(contentsOf: jobs)
        var scored = 0, unmatched = 0
        for job in jobs.suffix(60) {
            let evaluator = try #require(index.evaluator(for: job, on: Self.day))
            for worker in (0..<60).map({ _ in generator.worker() }) + [welder] {
                let fast = evaluator.score(worker), explained = evaluator.match(worker)
                #expect((fast == nil) == (explained == nil), "seed \(seed): \(job.id)")
                if let fast, let explained {
                    scored += 1
                    #expect(abs(fast - explained.score) < 1e-9, "seed \(seed): fast \(fast), explained \(explained.score)")
                } else {
                    unmatched += 1
                }
            }
        }
        print("fast scores checked: \(scored) matched, \(unmatched) not")
        #expect(scored > 100 && unmatched > 100)
    }

    /// Random workers over a random catalog: nothing ineligible is ever returned, and the index
    /// finds exactly the eligible postings a brute-force pass over the catalog finds.
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func noIneligibleJobIsEverReturned(seed: UInt64) throws {
        let index = try Shipped.index()
        let rules = index.rules
        var generator = SyntheticCatalog(seed: seed, skills: Array(index.taxonomy.skills.keys))
        let jobs = (0..<3_000).map { generator.job(index: $0) }
        index.upsert(contentsOf: jobs)
        let byID = Dictionary(uniqueKeysWithValues: jobs.map { ($0.id, $0) })
        for _ in 0..<40 {
            let worker = generator.worker()
            let ranking = index.rank(worker, limit: 20, on: Self.day)
            for match in ranking.matches {
                let job = try #require(byID[match.jobID])
                let decision = rules.decide(worker.candidate, for: Opening(job), on: Self.day)
                #expect(decision.eligible, "seed \(seed): \(match.jobID) returned although \(decision.reason)")
                #expect(match.eligibility == decision)
            }
            let held = Set(worker.skills.map(index.taxonomy.canonical))
            let near = held.union(held.flatMap(index.taxonomy.related))
            let expected = jobs.filter { job in
                let required = Set(job.content.requiredSkills.map(index.taxonomy.canonical))
                return (required.isEmpty || !required.isDisjoint(with: near)) && rules.decide(worker.candidate, for: Opening(job), on: Self.day).eligible
            }
            // A list as long as the catalog is never full, so nothing is pruned: every eligible posting is found.
            let everything = index.rank(worker, limit: jobs.count, on: Self.day)
            #expect(everything.eligible == expected.count, "seed \(seed): the index found \(everything.eligible) eligible postings, brute force \(expected.count)")
            #expect(Set(everything.matches.map(\.jobID)) == Set(expected.map(\.id)))
            #expect(ranking.matches.count == min(20, expected.count))
            // Pruning skips postings that cannot reach the list; the list is still the best 20 of all.
            let bruteForce = expected.compactMap { index.evaluate($0, for: worker, on: Self.day)?.score }.sorted(by: >).prefix(20)
            #expect(ranking.matches.map(\.score).count == bruteForce.count)
            for (found, best) in zip(ranking.matches.map(\.score), bruteForce) {
                #expect(abs(found - best) < 1e-9, "seed \(seed): the index ranked \(found) where brute force has \(best)")
            }
        }
    }

    @Test func writesKeepTheIndexCurrentAndLateOldVersionsAreIgnored() throws {
        let index = try Shipped.index()
        var job = planted()
        index.upsert(job)
        #expect(index.count == 1)
        var closed = job
        closed.status = .closed
        closed.updatedAt = "2026-11-18T00:00:00.000Z"
        index.upsert(closed)
        #expect(index.count == 0)
        #expect(index.rank(welder, limit: 5, on: Self.day).matches.isEmpty, "a closed posting is never matched")
        index.upsert(job)
        #expect(index.count == 0, "a late copy of the open version does not bring it back")
        job.updatedAt = "2026-11-19T00:00:00.000Z"
        job.status = .open
        job.content.requiredSkills = ["cooking"]
        index.upsert(job)
        #expect(index.count == 1, "a newer version reopens it")
        let ranking = index.rank(welder, limit: 5, on: Self.day)
        #expect(ranking.matches.isEmpty, "its skills changed, so the welder no longer matches: \(ranking.matches.map(\.explanation))")
        var cook = welder
        cook.skills = ["調理"]
        #expect(index.rank(cook, limit: 5, on: Self.day).matches.first?.jobID == job.id, "a Japanese label finds the same skill")
    }
}

@Suite("Skills taxonomy")
struct SkillTaxonomyTests {
    @Test func labelsInEveryLanguageNameOneSkill() throws {
        let taxonomy = try SkillTaxonomy(yaml: Shipped.text("skills.yaml"))
        #expect(taxonomy.skills.count >= 250, "a few hundred skills")
        for label in ["welding", "Welder", "溶接", "용접", "용접공"] { #expect(taxonomy.canonical(label) == "welding", "\(label)") }
        #expect(taxonomy.canonical("介護") == "caregiving")
        #expect(taxonomy.canonical("Underwater basket weaving") == "underwater basket weaving", "an unknown skill is its own id")
        #expect(taxonomy.related("tig-welding").contains("welding"))
        #expect(taxonomy.related("welding").contains("tig-welding"), "links are symmetric")
        for skill in taxonomy.skills.values {
            #expect(skill.labels["en"]?.isEmpty == false && skill.labels["ja"]?.isEmpty == false && skill.labels["ko"]?.isEmpty == false,
                    "\(skill.id) has labels in English, Japanese and Korean")
        }
    }

    @Test func aLabelNamingTwoSkillsIsRefused() {
        let yaml = """
            skills:
              - { id: a, category: x, en: [shared] }
              - { id: b, category: x, en: [Shared], related: [c] }
            """
        #expect {
            try SkillTaxonomy(yaml: yaml)
        } throws: { error in
            let problems = (error as? SkillTaxonomyError)?.problems ?? []
            return problems.contains { $0.contains("names both a and b") } && problems.contains { $0.contains("unknown skill c") }
        }
    }
}
