public import Foundation
public import JobService
public import Sovereignty
public import Workforce

/// Reproducible generated postings and workers over the shipped vocabularies, for benchmarks, load
/// tests and property tests. Skill popularity follows a Zipf law, as in real job boards; hours and
/// start dates take the few values real postings use.
public struct SyntheticCatalog: Sendable {
    /// SplitMix64: a failing case replays from its seed.
    public struct Generator: RandomNumberGenerator, Sendable {
        var state: UInt64
        public init(seed: UInt64) { state = seed }
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    public var random: Generator
    let skills: [String]
    /// Cumulative Zipf weights over `skills`.
    let cumulative: [Double]
    let fields = WorkField.all.sorted()
    let statuses = ResidenceStatus.all.sorted()
    /// The newest posting's creation time; older ones go back up to `spreadDays`.
    public var newest = Date(timeIntervalSince1970: 1_795_000_000)
    public var spreadDays = 60
    static let prefectures = ["JP": ["Tokyo", "Kanagawa", "Osaka", "Aichi", "Fukuoka", "Hokkaido", "Saitama", "Hyogo"],
                              "KR": ["Seoul", "Incheon", "Busan", "Gyeonggi", "Ulsan", "Daejeon"]]

    public init(seed: UInt64, skills: [String]) {
        random = Generator(seed: seed)
        self.skills = skills.sorted()
        cumulative = Self.zipfWeights(count: self.skills.count)
    }

    /// Cumulative Zipf weights over `count` ranks: rank k weighs 1/(k+1).
    static func zipfWeights(count: Int) -> [Double] {
        var total = 0.0
        return (0..<count).map { rank in
            total += 1 / Double(rank + 1)
            return total
        }
    }

    /// A rank drawn by cumulative weights.
    mutating func rank(in cumulative: [Double]) -> Int {
        let target = Double.random(in: 0..<cumulative[cumulative.count - 1], using: &random)
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] <= target { low = middle + 1 } else { high = middle }
        }
        return low
    }

    mutating func skill() -> String {
        skills[rank(in: cumulative)]
    }

    mutating func pick<T>(_ values: [T]) -> T { values.randomElement(using: &random)! }

    mutating func chance(_ oneIn: Int) -> Bool { Int.random(in: 0..<oneIn, using: &random) == 0 }

    /// The `index`-th posting; ids are distinct per index.
    public mutating func job(index: Int) -> Job {
        let country = chance(2) ? "JP" : "KR"
        let language = country == "JP"
            ? LanguageProficiency(language: "ja", test: "JLPT", level: pick(["N1", "N2", "N3", "N4", "N5"]))
            : LanguageProficiency(language: "ko", test: "TOPIK", level: String(Int.random(in: 1...6, using: &random)))
        let type: EmploymentType = chance(3) ? .partTime : .fullTime
        let prefecture = pick(Self.prefectures[country]!)
        let (title, description) = text(country: country, prefecture: prefecture)
        let content = JobContent(
            title: title, description: description,
            requiredSkills: (0..<Int.random(in: 1...5, using: &random)).map { _ in skill() },
            minimumLanguage: chance(3) ? nil : language, eligibleResidenceStatuses: chance(5) ? [pick(statuses)] : [],
            location: Place(country: country, prefecture: prefecture),
            salary: country == "JP"
                ? SalaryRange(min: 180_000, max: Int.random(in: 200_000...400_000, using: &random), currency: "JPY", period: .month)
                : SalaryRange(min: 2_000_000, max: Int.random(in: 2_200_000...4_000_000, using: &random), currency: "KRW", period: .month),
            employmentType: type, field: chance(10) ? nil : pick(fields),
            weeklyHours: type == .partTime ? pick([10, 20, 25, 28]) : nil,
            startDate: chance(4) ? "2027-\(String(format: "%02d", Int.random(in: 1...12, using: &random)))-01" : nil,
            visaSponsorship: chance(3))
        let created = newest.addingTimeInterval(-Double(Int.random(in: 0..<spreadDays * 86_400, using: &random)))
        let stamp = created.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        return Job(id: RegionalID.generate(kind: .job, regionCode: country == "JP" ? "jp1" : "kr1", millisecondsSince1970: UInt64(index + 1)),
                   employerID: RegionalID.generate(kind: .user, regionCode: "jp1", millisecondsSince1970: 1),
                   originRegion: country == "JP" ? "jp-tokyo" : "kr-seoul", status: .open, content: content, createdAt: stamp, updatedAt: stamp)
    }

    /// A worker to match: a status (or none), languages, one to six skills, a place.
    public mutating func worker() -> WorkerQuery {
        let status = chance(8) ? nil : pick(statuses)
        let country = chance(2) ? "JP" : "KR"
        var languages: [LanguageProficiency] = []
        if chance(2) { languages.append(.init(language: "ja", test: "JLPT", level: pick(["N1", "N2", "N3", "N4", "N5"]))) }
        if chance(2) { languages.append(.init(language: "ko", test: "TOPIK", level: String(Int.random(in: 1...6, using: &random)))) }
        return WorkerQuery(
            candidate: Candidate(residenceStatus: status, residenceExpiresOn: chance(2) ? "202\(Int.random(in: 6...9, using: &random))-06-30" : nil,
                                 countryOfResidence: country, languages: languages),
            skills: (0..<Int.random(in: 1...6, using: &random)).map { _ in skill() },
            location: Place(country: country, prefecture: pick(Self.prefectures[country]!)),
            desiredSalary: country == "JP" ? Pay(amount: 250_000, currency: "JPY", period: .month) : Pay(amount: 3_000_000, currency: "KRW", period: .month))
    }
}
