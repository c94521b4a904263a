import Foundation
import MatchingEngine
import Testing
import Workforce

enum RulesFile {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("config")

    static func rules() throws -> EligibilityRules {
        try EligibilityRules(yaml: String(contentsOf: directory.appendingPathComponent("eligibility-rules.yaml"), encoding: .utf8))
    }
}

func jlpt(_ level: String) -> LanguageProficiency { LanguageProficiency(language: "ja", test: "JLPT", level: level) }
func topik(_ level: Int) -> LanguageProficiency { LanguageProficiency(language: "ko", test: "TOPIK", level: String(level)) }
let today = "2026-11-25"

@Suite("Eligibility rules")
struct EligibilityTests {
    /// Residence status × field (× hours), each in the status's own country.
    @Test(arguments: [
        // Japan
        ("engineer-humanities-international", "it-engineering", true),
        ("engineer-humanities-international", "interpreting-translation", true),
        ("engineer-humanities-international", "construction", false),
        ("engineer-humanities-international", "food-service", false),
        ("skilled-labor", "foreign-cuisine-chef", true),
        ("skilled-labor", "it-engineering", false),
        ("highly-skilled-professional", "research", true),
        ("specified-skilled-worker-1", "nursing-care", true),
        ("specified-skilled-worker-1", "construction", true),
        ("specified-skilled-worker-1", "railway", true),
        ("specified-skilled-worker-1", "it-engineering", false),
        ("specified-skilled-worker-1", "parcel-sorting", false),
        ("specified-skilled-worker-2", "construction", true),
        ("specified-skilled-worker-2", "nursing-care", false),
        ("specified-skilled-worker-2", "automobile-transport", false),
        ("technical-intern-training", "construction", false),
        ("permanent-resident", "general-labour", true),
        ("spouse-of-japanese-national", "parcel-sorting", true),
        ("spouse-of-permanent-resident", "construction", true),
        ("long-term-resident", "food-service", true),
        ("designated-activities", "it-engineering", false),
        // Korea
        ("E-7", "it-engineering", true),
        ("E-7", "foreign-cuisine-chef", true),
        ("E-7", "industrial-manufacturing", false),
        ("E-8", "agriculture", true),
        ("E-8", "construction", false),
        ("E-9", "industrial-manufacturing", true),
        ("E-9", "parcel-sorting", true),
        ("E-9", "it-engineering", false),
        ("H-2", "construction", true),
        ("H-2", "adult-entertainment", false),
        ("F-4", "it-engineering", true),
        ("F-4", "general-labour", false),
        ("F-4", "shelf-stocking", true),
        ("F-4", "adult-entertainment", false),
        ("F-2", "general-labour", true),
        ("F-5", "packing", true),
        ("F-6", "food-service", true),
    ])
    func statusByField(status: String, field: String, expected: Bool) throws {
        let rules = try RulesFile.rules()
        let country = try #require(rules.statuses[status]).country
        let candidate = Candidate(residenceStatus: status, residenceExpiresOn: "2030-01-01", languages: [jlpt("N1"), topik(6)])
        let decision = rules.decide(candidate, for: Opening(country: country, field: field), on: today)
        #expect(decision.eligible == expected, "\(status) × \(field): \(decision.reason)")
        #expect(decision.rule == status, "the status rule decides, not \(decision.rule)")
        #expect(!decision.sources.isEmpty && decision.sources.allSatisfy { $0.hasPrefix("http") }, "every decision cites its sources")
    }

    /// Part-time limits by status and language level.
    @Test(arguments: [
        ("student", [jlpt("N2")], 28, true),
        ("student", [jlpt("N2")], 29, false),
        ("dependent", [], 20, true),
        ("D-2", [topik(4)], 25, true),
        ("D-2", [topik(4)], 26, false),
        ("D-2", [topik(3)], 25, false),  // TOPIK 3 carries 25 hours only in years 1-2, which the platform cannot see
        ("D-2", [topik(3)], 10, true),
        ("D-2-graduate", [topik(4)], 35, true),
        ("D-2-graduate", [topik(4)], 36, false),
        ("D-2-graduate", [topik(3)], 15, true),
        ("D-2-graduate", [topik(3)], 16, false),
        ("D-2", [topik(2)], 20, false),
        ("D-2", [topik(2)], 10, true),
        ("D-4", [topik(2)], 20, true),
        ("D-4", [topik(1)], 20, false),
        ("D-4", [], 10, true),
    ])
    func partTimeHours(status: String, languages: [LanguageProficiency], hours: Int, expected: Bool) throws {
        let rules = try RulesFile.rules()
        let country = try #require(rules.statuses[status]).country
        let opening = Opening(country: country, field: "food-service", weeklyHours: hours, employmentType: .partTime)
        let decision = rules.decide(Candidate(residenceStatus: status, languages: languages), for: opening, on: today)
        #expect(decision.eligible == expected, "\(status) \(hours) h/week: \(decision.reason)")
    }

    @Test func aStudentCannotTakeFullTimeWorkOrAPartTimeJobWithoutStatedHours() throws {
        let rules = try RulesFile.rules()
        let student = Candidate(residenceStatus: "student", languages: [jlpt("N3")])
        #expect(!rules.decide(student, for: Opening(country: "JP", field: "food-service"), on: today).eligible)
        let unstated = Opening(country: "JP", field: "food-service", employmentType: .partTime)
        #expect(rules.decide(student, for: unstated, on: today).reason.contains("does not state its hours"))
    }

    /// The job's minimum language level, across test systems of one language.
    @Test(arguments: [
        (jlpt("N3"), jlpt("N2"), false), (jlpt("N2"), jlpt("N2"), true), (jlpt("N1"), jlpt("N2"), true),
        (LanguageProficiency(language: "ja", test: "JFT-Basic", level: "A2"), jlpt("N4"), true),
        (LanguageProficiency(language: "ja", test: "JFT-Basic", level: "A2"), jlpt("N3"), false),
        (topik(4), topik(3), true), (topik(2), topik(3), false), (jlpt("N1"), topik(1), false),
    ])
    func minimumLanguage(held: LanguageProficiency, required: LanguageProficiency, expected: Bool) throws {
        let rules = try RulesFile.rules()
        let opening = Opening(country: required.language == "ja" ? "JP" : "KR", field: "food-service", minimumLanguage: required)
        let candidate = Candidate(residenceStatus: required.language == "ja" ? "permanent-resident" : "F-5", languages: [held])
        #expect(rules.decide(candidate, for: opening, on: today).eligible == expected)
    }

    @Test func aStatusExpiringBeforeTheStartDateIsNotEnough() throws {
        let rules = try RulesFile.rules()
        let candidate = Candidate(residenceStatus: "specified-skilled-worker-1", residenceExpiresOn: "2027-03-31", languages: [jlpt("N4")])
        var opening = Opening(country: "JP", field: "construction", startDate: "2027-03-01")
        #expect(rules.decide(candidate, for: opening, on: today).eligible)
        opening.startDate = "2027-04-01"
        let late = rules.decide(candidate, for: opening, on: today)
        #expect(!late.eligible)
        #expect(late.reason.contains("2027-03-31"))
        let expired = Candidate(residenceStatus: "permanent-resident", residenceExpiresOn: "2026-11-24")
        #expect(!rules.decide(expired, for: Opening(country: "JP", field: "construction"), on: today).eligible)
    }

    @Test func rulesWithAnEffectiveDateApplyFromThatDay() throws {
        let rules = try RulesFile.rules()
        let f4 = Candidate(residenceStatus: "F-4")
        let opening = Opening(country: "KR", field: "packing")
        #expect(!rules.decide(f4, for: opening, on: "2026-02-11").eligible, "simple labour was closed to F-4 before Notice 2026-35")
        #expect(rules.decide(f4, for: opening, on: "2026-02-12").eligible)
    }

    @Test func aPersonAbroadNeedsASponsoredVisaRouteWhoseLanguageTheyMeet() throws {
        let rules = try RulesFile.rules()
        let korean = Candidate(residenceStatus: "F-5", countryOfResidence: "KR", languages: [jlpt("N4")])
        var opening = Opening(country: "JP", field: "construction")
        #expect(!rules.decide(korean, for: opening, on: today).eligible, "no sponsorship, no route")
        opening.sponsorsVisa = true
        let sponsored = rules.decide(korean, for: opening, on: today)
        #expect(sponsored.eligible)
        #expect(sponsored.rule == "entry:specified-skilled-worker-1")
        #expect(sponsored.toConfirm.contains { $0.contains("skills test") })
        let noJapanese = Candidate(residenceStatus: "F-5", countryOfResidence: "KR", languages: [topik(6)])
        let refused = rules.decide(noJapanese, for: opening, on: today)
        #expect(!refused.eligible)
        #expect(refused.reason.contains("JLPT N4"))
        // A Japanese citizen abroad has no Korean status either.
        let citizen = Candidate(residenceStatus: "citizen", countryOfResidence: "JP")
        #expect(rules.decide(citizen, for: Opening(country: "JP", field: "parcel-sorting"), on: today).eligible)
        #expect(!rules.decide(citizen, for: Opening(country: "KR", field: "parcel-sorting"), on: today).eligible)
        #expect(!rules.decide(korean, for: Opening(country: "JP", field: "general-labour", sponsorsVisa: true), on: today).eligible,
                "no visa route leads to simple labour in Japan")
    }

    /// Corrections of the P4b review, each a case the old rules decided wrongly: (status, field, day,
    /// expected, conditions to confirm that must be listed).
    @Test(arguments: [
        // E-9: services only in named duties and places, each from its round; aviation is no E-9 industry;
        // shipbuilding is manufacturing.
        ("E-9", "aviation", "2026-11-25", false, ""),
        ("E-9", "shipbuilding", "2026-11-25", true, ""),
        ("E-9", "food-service", "2024-04-21", false, ""),
        ("E-9", "food-service", "2024-04-22", true, "kitchen assistant duties only"),
        ("E-9", "food-service", "2025-07-07", true, "hall-serving"),
        ("E-9", "building-cleaning", "2026-11-25", true, "hotel, resort condominium or hostel"),
        ("E-9", "parcel-sorting", "2025-07-06", true, "loading and unloading only"),
        ("E-9", "parcel-sorting", "2025-07-07", true, "sorting in parcel delivery"),
        ("E-9", "forestry", "2023-12-31", false, ""),
        ("E-9", "forestry", "2024-01-01", true, ""),
        // H-2: simple and field work, never professional or skilled occupations.
        ("H-2", "it-engineering", "2026-11-25", false, ""),
        ("H-2", "foreign-cuisine-chef", "2026-11-25", false, ""),
        ("H-2", "food-service", "2026-11-25", true, ""),
        // Students: no construction, no manufacturing, no professional work.
        ("D-2", "construction", "2026-11-25", false, ""),
        ("D-2", "industrial-manufacturing", "2026-11-25", false, ""),
        ("D-2", "interpreting-translation", "2026-11-25", false, ""),
        ("D-4", "construction", "2026-11-25", false, ""),
        ("D-2-research", "food-service", "2026-11-25", false, ""),
        // F-2 sub-types: the regional visa binds the region; F-2-99 only what its permit allows.
        ("F-2-R", "construction", "2026-11-25", true, "population-declining region"),
        ("F-2-99", "construction", "2026-11-25", false, ""),
        // E-7: the permit's occupation; E-7-3 listed trades, construction from 2025; E-7-4 its industries.
        ("E-7", "it-engineering", "2026-11-25", true, "same occupation"),
        ("E-7-3", "shipbuilding", "2026-11-25", true, "same occupation"),
        ("E-7-3", "construction", "2024-12-31", false, ""),
        ("E-7-3", "construction", "2025-01-01", true, "construction trades"),
        ("E-7-3", "it-engineering", "2026-11-25", false, ""),
        ("E-7-4", "industrial-manufacturing", "2026-11-25", true, ""),
        ("E-7-4", "food-service", "2026-11-25", false, ""),
        // Japan: SSW (i) gains bus and taxi driving, and the three fields of 2026-01-23 from 2027-04-01.
        ("specified-skilled-worker-1", "passenger-transport", "2026-11-25", true, ""),
        ("specified-skilled-worker-1", "logistics-warehousing", "2027-03-31", false, ""),
        ("specified-skilled-worker-1", "logistics-warehousing", "2027-04-01", true, ""),
        ("specified-skilled-worker-1", "linen-supply", "2027-04-01", true, ""),
    ])
    func correctedRules(status: String, field: String, day: String, expected: Bool, toConfirm: String) throws {
        let rules = try RulesFile.rules()
        let country = try #require(rules.statuses[status]).country
        let candidate = Candidate(residenceStatus: status, residenceExpiresOn: "2030-01-01", languages: [jlpt("N1"), topik(6)])
        let opening = Opening(country: country, field: field, weeklyHours: 10, employmentType: .partTime)
        let decision = rules.decide(candidate, for: opening, on: day)
        #expect(decision.eligible == expected, "\(status) × \(field) on \(day): \(decision.reason)")
        if !toConfirm.isEmpty {
            #expect(decision.toConfirm.contains { $0.contains(toConfirm) }, "\(status) × \(field): \(decision.toConfirm)")
        } else if expected {
            #expect(decision.toConfirm.isEmpty, "\(decision.toConfirm)")
        }
    }

    /// From abroad: bus and taxi driving asks JLPT N3 (JFT-Basic does not count), trucks N4; the 育成就労
    /// route opens on 2027-04-01 with its conditions listed; E-7-4 is no route from abroad.
    @Test func entryRoutesFromAbroadFollowTheirOwnRequirements() throws {
        let rules = try RulesFile.rules()
        let jft = LanguageProficiency(language: "ja", test: "JFT-Basic", level: "A2")
        func ask(_ languages: [LanguageProficiency], _ country: String, _ field: String, on day: String = today) -> EligibilityDecision {
            rules.decide(Candidate(residenceStatus: nil, countryOfResidence: "VN", languages: languages),
                         for: Opening(country: country, field: field, sponsorsVisa: true), on: day)
        }
        #expect(ask([jft], "JP", "automobile-transport").eligible)
        let bus = ask([jft], "JP", "passenger-transport")
        #expect(!bus.eligible, "the old rules took N4 or JFT-Basic for bus and taxi drivers")
        #expect(bus.reason.contains("JLPT N3"), "\(bus.reason)")
        #expect(ask([jlpt("N3")], "JP", "passenger-transport").toConfirm.contains { $0.contains("second class") })
        #expect(ask([jlpt("N4")], "JP", "nursing-care").toConfirm.contains { $0.contains("Nursing Care Japanese") })

        let before = ask([], "JP", "construction", on: "2027-03-31")
        #expect(!before.eligible, "without Japanese there was no route before 育成就労")
        let after = ask([], "JP", "construction", on: "2027-04-01")
        #expect(after.eligible, "\(after.reason)")
        #expect(after.rule == "entry:employment-for-skill-development")
        #expect(after.toConfirm.contains { $0.contains("A1") })
        #expect(!ask([], "JP", "general-labour", on: "2027-04-01").eligible, "育成就労 leads only to its fields")
        let holder = Candidate(residenceStatus: "employment-for-skill-development", languages: [jlpt("N4")])
        #expect(!rules.decide(holder, for: Opening(country: "JP", field: "construction"), on: "2027-05-01").eligible,
                "a holder is bound to the plan's employer")

        #expect(ask([topik(6)], "KR", "industrial-manufacturing").rule == "entry:E-9", "E-7-4 is granted only in Korea")

        // A trainee in Japan cannot take another job, but may change to SSW (i) for a sponsored one in its
        // fields on good completion of training (ii), without the Japanese test.
        let trainee = Candidate(residenceStatus: "technical-intern-training", residenceExpiresOn: "2030-01-01", languages: [])
        #expect(!rules.decide(trainee, for: Opening(country: "JP", field: "construction"), on: today).eligible)
        let change = rules.decide(trainee, for: Opening(country: "JP", field: "construction", sponsorsVisa: true), on: today)
        #expect(change.eligible, "\(change.reason)")
        #expect(change.rule == "change:specified-skilled-worker-1")
        #expect(change.toConfirm.contains { $0.contains("Technical Intern Training (ii)") })
        #expect(!rules.decide(trainee, for: Opening(country: "JP", field: "it-engineering", sponsorsVisa: true), on: today).eligible)
    }

    @Test func theEmployersListAndDesignationsAreHonoured() throws {
        let rules = try RulesFile.rules()
        let designated = Candidate(residenceStatus: "designated-activities")
        #expect(!rules.decide(designated, for: Opening(country: "JP", field: "it-engineering"), on: today).eligible)
        #expect(rules.decide(designated, for: Opening(country: "JP", field: "it-engineering", listedStatuses: ["designated-activities"]), on: today).eligible)
        let resident = Candidate(residenceStatus: "permanent-resident")
        #expect(!rules.decide(resident, for: Opening(country: "JP", listedStatuses: ["student"]), on: today).eligible)
        #expect(!rules.decide(resident, for: Opening(isOpen: false, country: "JP"), on: today).eligible)
    }

    @Test func theRulesFileAndTheStatusVocabularyAgree() throws {
        let rules = try RulesFile.rules()
        #expect(Set(rules.statuses.keys).union([ResidenceStatus.citizen]) == ResidenceStatus.all)
        #expect(rules.statuses.values.filter { $0.country == "JP" }.count == ResidenceStatus.japan.count)
    }

    @Test func aBrokenConditionalOrDatedEntryIsRefused() {
        let yaml = """
            as_of: 2026-01-01
            revision_due: 2027-01-01
            fields: [{ id: a, kind: field-work, label: { en: A } }]
            statuses:
              - code: X
                country: KR
                name: X
                work: { fields: [a], also_fields: [{ fields: [a], effective_from: 2026-05-01, until: 2026-01-01 }] }
                conditional: [{ fields: [zz], conditions: [] }]
                entry: { language_by_field: [{ fields: [yy], language_any_of: [{ language: ko, test: TOPIK, level: "9" }] }] }
                effective_from: someday
                sources: [S]
                as_of: 2026-01-01
            sources: { S: https://example.org }
            """
        #expect {
            try EligibilityRules(yaml: yaml)
        } throws: { error in
            let problems = (error as? EligibilityRulesError)?.problems ?? []
            return ["until 2026-01-01 is not after effective_from 2026-05-01", "unknown field zz", "states no condition", "unknown field yy",
                    "TOPIK 9 is not a recognised level", "effective_from must be YYYY-MM-DD"].allSatisfy { needle in problems.contains { $0.contains(needle) } }
        }
    }

    @Test func aBrokenRulesFileIsRefusedWithEveryProblem() {
        let yaml = """
            as_of: 2026-01-01
            revision_due: 2027-01-01
            fields: [{ id: a, kind: professional, label: { en: A } }]
            statuses:
              - { code: X, country: JP, name: X, work: { fields: [b] }, sources: [S1], as_of: 2026-01-01 }
              - { code: Y, country: jp, name: Y, work: { unrestricted: true, none: true }, sources: [], as_of: soon }
            sources: {}
            """
        #expect {
            try EligibilityRules(yaml: yaml)
        } throws: { error in
            let problems = (error as? EligibilityRulesError)?.problems ?? []
            return problems.count >= 5 && problems.contains { $0.contains("unknown field b") } && problems.contains { $0.contains("unknown source S1") }
        }
    }
}
