import JobService
import MatchingEngine
import Sovereignty
import Testing
import UserService
import Workforce

@Suite("Match scorer")
struct MatchScorerTests {
    let scorer = MatchScorer()

    func job(skills: [String] = ["welding"], language: LanguageProficiency? = .init(language: "ja", test: "JLPT", level: "N4"),
             statuses: [String] = ["specified-skilled-worker-1"], place: Place = Place(country: "JP", prefecture: "Aichi", city: "Nagoya"),
             salary: SalaryRange? = SalaryRange(min: 200_000, max: 250_000, currency: "JPY", period: .month), status: Job.Status = .open) -> Job {
        Job(id: RegionalID.generate(kind: .job, regionCode: "jp1", millisecondsSince1970: 1),
            employerID: RegionalID.generate(kind: .user, regionCode: "jp1", millisecondsSince1970: 1), originRegion: "jp-tokyo",
            status: status, content: JobContent(title: "T", description: "D", requiredSkills: skills, minimumLanguage: language,
                                                eligibleResidenceStatuses: statuses, location: place, salary: salary, employmentType: .fullTime),
            createdAt: "2026-01-01T00:00:00.000Z", updatedAt: "2026-01-01T00:00:00.000Z")
    }

    let worker = WorkerProfile(
        skills: ["welding", "forklift"], languages: [.init(language: "ja", test: "JLPT", level: "N3")],
        residence: .init(status: "specified-skilled-worker-1", expiresOn: "2030-01-01"),
        location: Place(country: "JP", prefecture: "Aichi", city: "Nagoya"), desiredSalary: Pay(amount: 240_000, currency: "JPY", period: .month))

    @Test func hardConstraintsFilterFirst() {
        let today = "2026-11-25"
        #expect(scorer.ineligibility(of: job(), for: worker, today: today) == nil)
        #expect(scorer.ineligibility(of: job(status: .closed), for: worker, today: today) == .closed)
        #expect(scorer.ineligibility(of: job(statuses: ["E-9"]), for: worker, today: today) == .residenceStatus(required: ["E-9"], held: "specified-skilled-worker-1"))
        #expect(scorer.ineligibility(of: job(statuses: []), for: worker, today: today) == nil, "no listed status means any")
        let n2 = LanguageProficiency(language: "ja", test: "JLPT", level: "N2")
        #expect(scorer.ineligibility(of: job(language: n2), for: worker, today: today) == .language(required: n2))
        let topik = LanguageProficiency(language: "ko", test: "TOPIK", level: "1")
        #expect(scorer.ineligibility(of: job(language: topik), for: worker, today: today) == .language(required: topik))
        var expired = worker
        expired.residence?.expiresOn = "2026-11-24"
        #expect(scorer.ineligibility(of: job(), for: expired, today: today) == .residenceExpired(expiresOn: "2026-11-24"))
    }

    @Test func explanationsSumToTheScore() {
        for candidate in [job(), job(skills: []), job(skills: ["welding", "painting"], place: Place(country: "KR")), job(statuses: [], salary: nil)] {
            let match = scorer.score(candidate, for: worker)
            #expect(abs(match.explanation.map(\.points).reduce(0, +) - match.score) < 1e-9)
            #expect((0...100).contains(match.score))
        }
    }

    @Test func aBetterFitScoresHigher() {
        let ideal = scorer.score(job(), for: worker).score
        let farAway = scorer.score(job(place: Place(country: "JP", prefecture: "Hokkaido")), for: worker).score
        let missingSkill = scorer.score(job(skills: ["welding", "painting"]), for: worker).score
        let lowPay = scorer.score(job(salary: SalaryRange(min: 100_000, max: 120_000, currency: "JPY", period: .month)), for: worker).score
        #expect(ideal > farAway)
        #expect(ideal > missingSkill)
        #expect(ideal > lowPay)
    }

    @Test(arguments: [
        ("ja", "JLPT", "N1", "N5", true), ("ja", "JLPT", "N5", "N1", false), ("ja", "JFT-Basic", "A2", "N4", true),
        ("ja", "JFT-Basic", "A2", "N3", false), ("ko", "TOPIK", "4", "3", true), ("ko", "TOPIK", "2", "3", false),
        ("ja", "native", "", "N1", true),
    ])
    func languageLevelsCompareWithinALanguage(language: String, test: String, level: String, required: String, meets: Bool) {
        let requiredTest = language == "ko" ? "TOPIK" : "JLPT"
        let held = LanguageProficiency(language: language, test: test, level: level)
        #expect(held.meets(.init(language: language, test: requiredTest, level: required)) == meets)
    }
}
