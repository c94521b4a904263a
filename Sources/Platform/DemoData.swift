public import Foundation
internal import JobService
internal import MatchingEngine
internal import ServerKit
public import Sovereignty
internal import UserService
internal import Workforce

/// A small sample data set so a newcomer's tour works at once: employers and jobs in Japan, Korea
/// and the EU, and workers homed in Korea, Japan and the EU. Loading twice adds nothing.
public enum DemoData {
    public struct Summary: Sendable {
        public let users: Int
        public let jobs: Int
    }

    public struct Person: Sendable {
        let region: RegionID
        let role: Principal.Role
        let email: String
        let name: String
        let country: String
        let company: String?
        let profile: WorkerProfile?
    }

    public static let people: [Person] = [
        Person(region: "jp-tokyo", role: .employer, email: "hr@sakura-care.example", name: "Sakura Care HR", country: "JP",
               company: "Sakura Care K.K.", profile: nil),
        Person(region: "jp-tokyo", role: .employer, email: "jobs@hanami-build.example", name: "Hanami Construction", country: "JP",
               company: "Hanami Construction Co.", profile: nil),
        Person(region: "kr-seoul", role: .employer, email: "recruit@hangang-fab.example", name: "Hangang Fabrication", country: "KR",
               company: "Hangang Fabrication Ltd.", profile: nil),
        Person(region: "eu-west-1", role: .employer, email: "talent@rhein-logistik.example", name: "Rhein Logistik", country: "DE",
               company: "Rhein Logistik GmbH", profile: nil),
        Person(region: "kr-seoul", role: .worker, email: "minji.kim@example.kr", name: "Kim Min-ji", country: "KR", company: nil,
               profile: WorkerProfile(
                   skills: ["caregiving", "japanese", "first aid"],
                   languages: [.init(language: "ko", test: "native", level: ""), .init(language: "ja", test: "JLPT", level: "N2")],
                   residence: .init(status: "specified-skilled-worker-1", expiresOn: "2028-03-31"),
                   location: Place(country: "KR", city: "Seoul"),
                   desiredSalary: Pay(amount: 250_000, currency: "JPY", period: .month))),
        Person(region: "jp-tokyo", role: .worker, email: "nguyen.van.an@example.vn", name: "Nguyen Van An", country: "JP", company: nil,
               profile: WorkerProfile(
                   skills: ["welding", "forklift"],
                   languages: [.init(language: "ja", test: "JLPT", level: "N3")],
                   residence: .init(status: "specified-skilled-worker-1", expiresOn: "2027-09-30"),
                   location: Place(country: "JP", prefecture: "Aichi", city: "Nagoya"),
                   desiredSalary: Pay(amount: 230_000, currency: "JPY", period: .month))),
        Person(region: "eu-west-1", role: .worker, email: "ana.pereira@example.pt", name: "Ana Pereira", country: "PT", company: nil,
               profile: WorkerProfile(
                   skills: ["logistics", "english", "forklift"],
                   languages: [.init(language: "en", test: "CEFR", level: "C1")],
                   residence: .init(status: "citizen"),
                   location: Place(country: "DE", city: "Hamburg"),
                   desiredSalary: Pay(amount: 38_000, currency: "EUR", period: .year))),
    ]

    public struct Posting: Sendable {
        let employerEmail: String
        let content: JobContent
    }

    public static let postings: [Posting] = [
        Posting(employerEmail: "hr@sakura-care.example", content: JobContent(
            title: "Care worker (介護職員), Tokyo", description: "Day-shift care at a nursing home in Setagaya. 日勤のみ、寮あり。",
            requiredSkills: ["caregiving", "first aid"], minimumLanguage: .init(language: "ja", test: "JLPT", level: "N4"),
            eligibleResidenceStatuses: ["specified-skilled-worker-1", "permanent-resident", "spouse-of-japanese-national"],
            location: Place(country: "JP", prefecture: "Tokyo", city: "Setagaya"),
            salary: SalaryRange(min: 230_000, max: 270_000, currency: "JPY", period: .month), employmentType: .fullTime,
            field: "nursing-care", visaSponsorship: true)),
        Posting(employerEmail: "jobs@hanami-build.example", content: JobContent(
            title: "Welder, Nagoya plant", description: "TIG and MIG welding of steel frames. 溶接経験者歓迎。",
            requiredSkills: ["welding"], minimumLanguage: .init(language: "ja", test: "JLPT", level: "N4"),
            eligibleResidenceStatuses: ["specified-skilled-worker-1", "specified-skilled-worker-2", "permanent-resident"],
            location: Place(country: "JP", prefecture: "Aichi", city: "Nagoya"),
            salary: SalaryRange(min: 220_000, max: 260_000, currency: "JPY", period: .month), employmentType: .fullTime,
            field: "industrial-manufacturing", visaSponsorship: true)),
        Posting(employerEmail: "jobs@hanami-build.example", content: JobContent(
            title: "Site interpreter (Japanese-English)", description: "Interpreting for foreign crews on building sites.",
            requiredSkills: ["interpreting", "construction"], minimumLanguage: .init(language: "ja", test: "JLPT", level: "N1"),
            eligibleResidenceStatuses: ["engineer-humanities-international", "permanent-resident"],
            location: Place(country: "JP", prefecture: "Tokyo"),
            salary: SalaryRange(min: 300_000, max: 380_000, currency: "JPY", period: .month), employmentType: .fullTime,
            field: "interpreting-translation")),
        Posting(employerEmail: "recruit@hangang-fab.example", content: JobContent(
            title: "용접공 (Welder), Incheon", description: "선박 부품 용접. Shipbuilding parts welding.",
            requiredSkills: ["welding"], minimumLanguage: .init(language: "ko", test: "TOPIK", level: "2"),
            eligibleResidenceStatuses: ["E-9", "E-7", "F-4", "F-5"],
            location: Place(country: "KR", prefecture: "Incheon", city: "Incheon"),
            salary: SalaryRange(min: 2_600_000, max: 3_200_000, currency: "KRW", period: .month), employmentType: .fullTime,
            field: "shipbuilding")),
        Posting(employerEmail: "talent@rhein-logistik.example", content: JobContent(
            title: "Warehouse operative, Hamburg", description: "Forklift and picking in a logistics hub.",
            requiredSkills: ["forklift", "logistics"], minimumLanguage: .init(language: "en", test: "CEFR", level: "B1"),
            eligibleResidenceStatuses: [], location: Place(country: "DE", city: "Hamburg"),
            salary: SalaryRange(min: 32_000, max: 40_000, currency: "EUR", period: .year), employmentType: .fullTime,
            field: "general-labour")),
    ]

    /// Loads the sample data through the stores of each home cell, replicating postings everywhere.
    public static func load(into platform: Platform, now: Date = Date()) async throws -> Summary {
        var users = 0
        var jobs = 0
        var employers: [String: (id: RegionalID, region: RegionID)] = [:]
        for person in people {
            guard let cell = platform.cell(person.region) else { continue }
            let stamp = Timestamps.format(now)
            let id = RegionalID.generate(kind: .user, regionCode: cell.region.idCode, millisecondsSince1970: Timestamps.milliseconds(now))
            var user = User(id: id, role: person.role, email: person.email, displayName: person.name,
                            countryOfResidence: person.country, homeRegion: cell.region.id, companyName: person.company,
                            profile: person.profile, createdAt: stamp, updatedAt: stamp)
            if person.role == .employer {
                // Sample employers stand for verified companies (their numbers pass the check digits but
                // belong to no sample company).
                user.corporateNumber = ["JP": "1180301018771", "KR": "1248100998"][person.country] ?? "HRB12345"
                user.verifiedAt = stamp
            }
            do {
                try await cell.users.insert(user, passwordHash: nil)
                users += 1
                if person.role == .employer { employers[person.email] = (id, cell.region.id) }
            } catch UserStoreError.emailTaken {
                continue
            }
        }
        for posting in postings {
            guard let employer = employers[posting.employerEmail], let cell = platform.cell(employer.region) else { continue }
            let stamp = Timestamps.format(now)
            let job = Job(
                id: RegionalID.generate(kind: .job, regionCode: cell.region.idCode, millisecondsSince1970: Timestamps.milliseconds(now)),
                employerID: employer.id, originRegion: cell.region.id, status: .open, content: posting.content,
                createdAt: stamp, updatedAt: stamp)
            try await cell.jobs.upsert(job)
            try await platform.replicator.replicate(job)
            jobs += 1
        }
        return Summary(users: users, jobs: jobs)
    }
}
