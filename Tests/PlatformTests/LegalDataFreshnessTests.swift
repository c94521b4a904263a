import Foundation
import HummingbirdTesting
import Platform
import Testing
import TestSupport

/// Each table of legal data knows the day it is due for a new check against the law; from that day
/// the platform says so instead of serving last year's facts silently.
@Suite("Legal data freshness")
struct LegalDataFreshnessTests {
    @Test func readinessShowsEachTableAndWhichArePastTheirRevisionDay() async throws {
        let clock = ManualClock(try #require(ISO8601DateFormatter().date(from: "2026-09-30T12:00:00Z")))
        try await PlatformHarness.withPlatform(clock: { clock.now() }) { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                func tables() async throws -> [String: String] {
                    let ready = try await client.execute(uri: "/ready", method: .get)
                    #expect(ready.status == .ok, "late data does not make the process unready")
                    let rows = try #require(ready.json["legal_data"] as? [[String: Any]])
                    return Dictionary(uniqueKeysWithValues: rows.compactMap { row in
                        (row["table"] as? String).map { ($0, row["status"] as? String ?? "") }
                    })
                }
                let before = try await tables()
                #expect(Set(before.keys) == ["transfer rules", "eligibility rules", "job-ad rules", "minimum wages JP", "minimum wages KR"])
                #expect(before.values.allSatisfy { $0 == "current" }, "\(before)")
                clock.advance(seconds: 86_400)
                let after = try await tables()
                #expect(after["minimum wages JP"] == "revision-overdue", "Japan's FY2026 rates take effect from 2026-10-01")
                #expect(after["minimum wages KR"] == "current")
            }
        }
    }
}
