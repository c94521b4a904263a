import Foundation
import JobService
import MatchingEngine
import ServerKit
import Sovereignty
import Workforce

/// A reproducible random source (SplitMix64), so a failing property case can be replayed from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Generated postings and workers over the shipped taxonomy, fields and statuses.
struct CatalogGenerator {
    var random: SeededGenerator
    let skills: [String]
    let fields = Array(WorkField.all).sorted()
    let statuses = Array(ResidenceStatus.all).sorted()
    static let prefectures = ["JP": ["Tokyo", "Kanagawa", "Osaka", "Aichi", "Fukuoka", "Hokkaido"], "KR": ["Seoul", "Incheon", "Busan", "Gyeonggi"]]

    init(seed: UInt64, taxonomy: SkillTaxonomy) {
        random = SeededGenerator(seed: seed)
        skills = taxonomy.skills.keys.sorted()
    }

    mutating func job(index: Int, daysAgo: Int = 0) -> Job {
        let country = Bool.random(using: &random) ? "JP" : "KR"
        let prefecture = Self.prefectures[country]!.randomElement(using: &random)!
        let language = country == "JP"
            ? LanguageProficiency(language: "ja", test: "JLPT", level: ["N1", "N2", "N3", "N4", "N5"].randomElement(using: &random)!)
            : LanguageProficiency(language: "ko", test: "TOPIK", level: String(Int.random(in: 1...6, using: &random)))
        let listed = Int.random(in: 0..<4, using: &random) == 0 ? [statuses.randomElement(using: &random)!] : []
        let content = JobContent(
            title: "Job \(index)", description: "Generated", requiredSkills: (0..<Int.random(in: 0...5, using: &random)).map { _ in skills.randomElement(using: &random)! },
            minimumLanguage: Bool.random(using: &random) ? language : nil, eligibleResidenceStatuses: listed,
            location: Place(country: country, prefecture: prefecture), salary: nil,
            employmentType: Bool.random(using: &random) ? .fullTime : .partTime,
            field: Int.random(in: 0..<10, using: &random) == 0 ? nil : fields.randomElement(using: &random)!,
            weeklyHours: Bool.random(using: &random) ? Int.random(in: 8...40, using: &random) : nil,
            startDate: Bool.random(using: &random) ? "2027-0\(Int.random(in: 1...9, using: &random))-01" : nil,
            visaSponsorship: Bool.random(using: &random))
        let created = Date(timeIntervalSince1970: 1_795_000_000 - Double(daysAgo * 86_400))
        let stamp = Timestamps.format(created)
        return Job(id: RegionalID.generate(kind: .job, regionCode: country == "JP" ? "jp1" : "kr1", millisecondsSince1970: UInt64(index + 1)),
                   employerID: RegionalID.generate(kind: .user, regionCode: "jp1", millisecondsSince1970: 1),
                   originRegion: country == "JP" ? "jp-tokyo" : "kr-seoul", status: .open, content: content, createdAt: stamp, updatedAt: stamp)
    }

    mutating func worker() -> WorkerQuery {
        let status = Int.random(in: 0..<8, using: &random) == 0 ? nil : statuses.randomElement(using: &random)
        let country = Bool.random(using: &random) ? "JP" : "KR"
        var languages: [LanguageProficiency] = []
        if Bool.random(using: &random) { languages.append(.init(language: "ja", test: "JLPT", level: ["N1", "N2", "N3", "N4", "N5"].randomElement(using: &random)!)) }
        if Bool.random(using: &random) { languages.append(.init(language: "ko", test: "TOPIK", level: String(Int.random(in: 1...6, using: &random)))) }
        let expiry = Bool.random(using: &random) ? "202\(Int.random(in: 6...9, using: &random))-06-30" : nil
        return WorkerQuery(
            candidate: Candidate(residenceStatus: status, residenceExpiresOn: expiry, countryOfResidence: country, languages: languages),
            skills: (0..<Int.random(in: 1...6, using: &random)).map { _ in skills.randomElement(using: &random)! },
            location: Place(country: country, prefecture: Self.prefectures[country]!.randomElement(using: &random)!), desiredSalary: nil)
    }
}
