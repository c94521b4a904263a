import Foundation
import Gateway
import MutualTLS
import Sovereignty
import Testing

@Suite("Topology file")
struct TopologyTests {
    static let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("config")

    static func catalog() throws -> RegionCatalog {
        try RegionCatalog(yaml: String(contentsOf: config.appendingPathComponent("regions.yaml"), encoding: .utf8))
    }

    @Test func theShippedExampleLoads() throws {
        let topology = try Topology(yaml: String(contentsOf: Self.config.appendingPathComponent("topology.yaml"), encoding: .utf8),
                                    catalog: Self.catalog())
        #expect(topology.endpoints["jp-tokyo"]?[.backendAPI] == ["https://127.0.0.1:8101"])
        #expect(topology.endpoints["kr-seoul"]?[.aiAgent] == ["https://127.0.0.1:8203"])
        #expect(topology.settings.ejectAfterFailures == 3)
        #expect(topology.settings.requestTimeout == .seconds(30))
    }

    @Test func everyProblemIsNamedAtOnce() throws {
        let yaml = """
            upstream: { attempts: 0 }
            regions:
              mars-1: { backend-api: [https://10.0.0.1:8443] }
              jp-tokyo:
                backend-api: [http://10.0.0.1:8443, https://10.0.0.2, "https://u:p@10.0.0.3:8443", https://10.0.0.4:8443/api]
                gateway: [https://10.0.0.5:8443]
              kr-seoul: { ai-agent: [] }
            """
        let error = #expect(throws: TopologyError.self) { try Topology(yaml: yaml, catalog: Self.catalog()) }
        let problems = error?.problems ?? []
        for needle in ["region mars-1 is not in regions.yaml", "http://10.0.0.1:8443 is not an https://", "https://10.0.0.2 is not",
                       "u:p@10.0.0.3", "https://10.0.0.4:8443/api is not", "unknown role gateway", "kr-seoul ai-agent: no endpoint",
                       "kr-seoul: no backend-api endpoint", "kr-seoul: no matching-engine endpoint", "upstream.attempts must be a positive whole number"] {
            #expect(problems.contains { $0.contains(needle) }, "\(needle) in \(problems)")
        }
        let plain = "regions: { jp-tokyo: { backend-api: [http://127.0.0.1:8101], matching-engine: [http://127.0.0.1:8102], ai-agent: [http://127.0.0.1:8103] } }"
        #expect(try Topology(yaml: plain, catalog: Self.catalog(),
                             allowPlainHTTP: true).endpoints["jp-tokyo"]?[.backendAPI]?.count == 1, "plain HTTP only when told")
        #expect(throws: TopologyError.self) { try Topology(yaml: "regions: [1, 2", catalog: Self.catalog()) }
    }
}
