import Sovereignty
import Storage
import SQLKit
import Logging
import Foundation
import Platform
import Testing
import TestSupport
import Yams

@Suite("API document")
struct OpenAPIParityTests {
    static let methods = ["get", "put", "post", "delete", "patch", "head", "options"]

    @Test func everyRegisteredRouteIsDocumentedAndViceVersa() throws {
        let text = try String(contentsOf: PlatformHarness.openAPIPath, encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: Any])
        var documented = Set<String>()
        for (path, item) in paths {
            for method in (item as? [String: Any] ?? [:]).keys where Self.methods.contains(method) {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        let served = Set(Cell.endpoints.map { "\($0.method) \($0.path)" } + Platform.localEndpoints.map { "\($0.method) \($0.path)" })
        #expect(served.subtracting(documented).sorted() == [], "served but not documented")
        #expect(documented.subtracting(served).sorted() == [], "documented but not served")
    }

    /// The operations documented without `security` are exactly those the gateway lets through
    /// without a token (it answers 401 first on every other).
    @Test func theAnonymousOperationsAreTheDocumentedOnes() throws {
        let text = try String(contentsOf: PlatformHarness.openAPIPath, encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: Any])
        var anonymous = Set<String>()
        for (path, item) in paths where path.hasPrefix("/api/") {
            for (method, operation) in item as? [String: Any] ?? [:] where Self.methods.contains(method) {
                if ((operation as? [String: Any])?["security"] as? [Any] ?? []).isEmpty { anonymous.insert("\(method.uppercased()) \(path)") }
            }
        }
        #expect(anonymous == Set(Cell.anonymousEndpoints.map { "\($0.method) \($0.path)" }))
    }

    /// The document's region and jurisdiction enumerations are the shipped configuration's.
    @Test func theEnumerationsAreTheConfiguredOnes() throws {
        let text = try String(contentsOf: PlatformHarness.openAPIPath, encoding: .utf8)
        let document = try #require(try Yams.load(yaml: text) as? [String: Any])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let config = try LoadedConfiguration.load(from: PlatformHarness.configDirectory)
        #expect((schemas["Region"] as? [String: Any])?["enum"] as? [String] == config.catalog.regions.map(\.id.rawValue))
        #expect((schemas["Jurisdiction"] as? [String: Any])?["enum"] as? [String] == config.policy.jurisdictions.map(\.code.code))
    }

    @Test func everyProblemTypeIsDocumented() throws {
        let text = try String(contentsOf: PlatformHarness.openAPIPath, encoding: .utf8)
        for slug in BadInputTests.cases.map(\.type) + ["no-route", "wrong-cell", "email-taken", "job-closed", "internal-error", "rate-limited", "insufficient-scope", "overloaded", "waf:", "invalid-encoding", "transfer-not-permitted", "notice-changed", "model-unavailable"] {
            #expect(text.contains("urn:iworkz:problem:\(slug)"), "problem type \(slug) is not documented")
        }
    }
}
