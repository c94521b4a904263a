import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization
import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Platform
import Testing
import TestSupport

@Suite("Gateway firewall and load shedding")
struct FirewallAndSheddingTests {
    @Test func theFirewallBlocksWithTheRuleIDInTheProblemType() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let injection = try await client.execute(uri: "/api/v1/jobs?q=1%27%20UNION%20SELECT%20email%20FROM%20users", method: .get)
                #expect(injection.status == .forbidden)
                #expect(injection.json["type"] as? String == "urn:iworkz:problem:waf:942100")
                let traversal = try await client.execute(uri: "/api/v1/jobs/..%2f..%2fadmin", method: .get)
                #expect(traversal.json["type"] as? String == "urn:iworkz:problem:waf:encoded-slash")
                let xss = try await client.execute(uri: "/api/v1/users", method: .post, headers: JSONRequest.headers(), body: JSONRequest.body([
                    "role": "worker", "email": "x@example.kr", "display_name": "<script>alert(1)</script>", "country_of_residence": "KR",
                ]))
                #expect(xss.json["type"] as? String == "urn:iworkz:problem:waf:941100")
                let scanner = try await client.execute(uri: "/api/v1/jobs", method: .get, headers: [.userAgent: "sqlmap/1.7"])
                #expect(scanner.status == .forbidden)
                let benign = try await client.execute(uri: "/api/v1/users", method: .post, headers: JSONRequest.headers(), body: JSONRequest.body([
                    "role": "worker", "email": "sean@example.ie", "display_name": "Seán O'Brien", "country_of_residence": "DE",
                ]))
                #expect(benign.status == .created, "\(benign.text)")
                let metrics = try await platform.metricsText()
                #expect(metrics.contains(#"iworkz_waf_blocks_total{rule="942100"} 1"#))
            }
        }
    }

    /// Before: `%zz` made the firewall screen the raw text and pass the attack behind it.
    @Test func anInvalidPercentEscapeIsABadRequestAndFormBodiesAreScreened() async throws {
        try await PlatformHarness.withPlatform { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.router) { client in
                let malformed = try await client.execute(uri: "/api/v1/jobs?q=%zz%27%20UNION%20SELECT%201", method: .get)
                #expect(malformed.status == .badRequest)
                #expect(malformed.json["type"] as? String == "urn:iworkz:problem:invalid-encoding")
                #expect(malformed.headers[.contentType] == "application/problem+json")
                let form = try await client.execute(
                    uri: "/oauth/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "grant_type=password&username=x%27%20OR%20%271%27%3D%271&password=x"))
                #expect(form.status == .forbidden)
                #expect((form.json["type"] as? String)?.hasPrefix("urn:iworkz:problem:waf:942") == true)
            }
        }
    }

    @Test func requestsBeyondTheBoundAreShedAtOnceAndTheRestSucceed() async throws {
        let configure: (inout LoadedConfiguration) -> Void = { $0.limits.maxInFlightRequests = 4 }
        try await PlatformHarness.withPlatform(configure: configure) { platform, _ in
            try await platform.application(host: "127.0.0.1", port: 0).test(.live) { client in
                // Four requests in progress (held here, so the test does not depend on timing).
                for _ in 0..<4 { #expect(platform.loadShedder.enter()) }
                let start = ContinuousClock.now
                for _ in 0..<10 {
                    let shed = try await client.execute(uri: "/api/v1/jobs", method: .get)
                    #expect(shed.status == .serviceUnavailable)
                    #expect(shed.headers[.retryAfter] == "1")
                    #expect(shed.json["type"] as? String == "urn:iworkz:problem:overloaded")
                }
                print("load shedding: 10 requests shed in \(ContinuousClock.now - start) with every slot taken")
                for _ in 0..<4 { platform.loadShedder.leave() }
                let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                    for _ in 0..<32 { group.addTask { try await client.execute(uri: "/api/v1/jobs", method: .get).status } }
                    return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
                }
                #expect(statuses.allSatisfy { $0 == .ok || $0 == .serviceUnavailable }, "served or shed, nothing else")
                #expect(statuses.contains(.ok), "with slots free, requests are served")
                #expect(platform.loadShedder.current == 0, "every slot is given back")
            }
        }
    }
}

@Suite("Connection cap")
struct ConnectionCapTests {
    @Test func connectionsBeyondTheCapAreClosed() async throws {
        let configure: (inout LoadedConfiguration) -> Void = { $0.limits.maxConnectionsPerAddress = 3 }
        try await PlatformHarness.withPlatform(configure: configure) { platform, _ in
            try await LiveServer.run(platform) { port in
                let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                var channels: [any Channel] = []
                for _ in 0..<5 {
                    channels.append(try await bootstrap.connect(host: "127.0.0.1", port: port).get())
                }
                try await Task.sleep(for: .milliseconds(300))
                let open = channels.filter(\.isActive).count
                #expect(open == 3, "\(open) connections stayed open with a cap of 3")
                #expect(platform.connectionLimiter.connections(of: "127.0.0.1") == 3)
                for channel in channels { try? await channel.close() }
                try await Task.sleep(for: .milliseconds(200))
                #expect(platform.connectionLimiter.connections(of: "127.0.0.1") == 0, "closing frees the slots")
            }
        }
    }
}
