import Foundation
import ObjectStorage
import Testing
import TestSupport
import UserService

/// `documents.yaml`'s lifecycle: the shipped rules, and values that cannot be used refused at start.
@Suite("Document policy")
struct DocumentPolicyTests {
    @Test func theShippedLifecycleKeepsThirtyVersions() throws {
        let yaml = try String(contentsOf: PlatformHarness.configDirectory.appendingPathComponent("documents.yaml"), encoding: .utf8)
        let policy = try DocumentPolicy(yaml: yaml)
        #expect(policy.lifecycle == LifecycleRule(prefix: "people/", archiveAfterDays: 90, expireNoncurrentAfterDays: 365, keepVersions: 30))
    }

    @Test(arguments: ["keep_versions: 0", "archive_after_days: -1", "expire_noncurrent_after_days: 0"])
    func aLifecycleValueBelowOneIsRefused(_ line: String) {
        let yaml = "max_bytes: 1024\nkinds: { resume: [application/pdf] }\nlifecycle:\n  \(line)\n"
        #expect(throws: DocumentPolicyError.self) { try DocumentPolicy(yaml: yaml) }
    }
}
