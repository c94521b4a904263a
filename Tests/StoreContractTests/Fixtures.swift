import Foundation
import JobService
import KeyManagement
import ServerKit
import Sovereignty
import Storage
import TestSupport
import UserService
import Workforce

enum Fixtures {
    static let tokyo = RegionID("jp-tokyo")
    static let seoul = RegionID("kr-seoul")

    /// The same id for the same `n` every time: its random bits come from a generator seeded with `n`.
    static func id(_ kind: RegionalID.Kind, _ n: UInt64, region: String = "jp1") -> RegionalID {
        var rng = SeededGenerator(state: n)
        return RegionalID.generate(kind: kind, regionCode: region, millisecondsSince1970: 1_790_000_000_000 + n, using: &rng)
    }

    /// SplitMix64: enough randomness for fixed test ids.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func job(_ n: UInt64, title: String, description: String = "", skills: [String] = [], country: String = "JP",
                    origin: RegionID = tokyo, status: Job.Status = .open, updatedAt: String = "2026-12-01T00:00:00Z") -> Job {
        Job(id: id(.job, n), employerID: id(.user, 9_000), originRegion: origin, status: status,
            content: JobContent(title: title, description: description, requiredSkills: skills, minimumLanguage: nil,
                                eligibleResidenceStatuses: [], location: Place(country: country, prefecture: "Tokyo"), salary: nil,
                                employmentType: .fullTime),
            createdAt: "2026-12-01T00:00:00Z", updatedAt: updatedAt)
    }

    static func worker(_ n: UInt64, email: String) -> User {
        User(id: id(.user, n), role: .worker, email: email, displayName: "Worker \(n)", countryOfResidence: "VN", homeRegion: tokyo,
             companyName: nil, profile: WorkerProfile(skills: ["welding"]), createdAt: "2026-12-01T00:00:00Z",
             updatedAt: "2026-12-01T00:00:00Z")
    }

    /// A cipher whose data keys live in a key store of their own (as in a cell), on the same engine.
    static func cipher(on engine: TestDatabases.Engine) async throws -> (PersonalDataCipher, BlindIndex) {
        let keyStore = try await freshDatabase(engine, migrations: DataKeyVault.migrations)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("iworkz-kek-\(UUID().uuidString)")
        let vault = DataKeyVault(database: keyStore, keys: try LocalKeyEncryptionKeys(directory: folder))
        return (PersonalDataCipher(vault: vault), BlindIndex(key: .init(size: .bits256)))
    }
}
