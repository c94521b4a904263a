import Foundation
import Gateway
import Platform
import Testing
import TestSupport

/// Slowloris: a client trickling its request must lose the connection even though it is never idle.
@Suite("Request read deadlines")
struct ReadDeadlineTests {
    static let configure: @Sendable (inout LoadedConfiguration) -> Void = {
        $0.limits.headerTimeoutSeconds = 1
        $0.limits.bodyTimeoutSeconds = 1
    }

    @Test func aClientTricklingItsHeadersIsDisconnected() async throws {
        try await PlatformHarness.withPlatform(configure: Self.configure) { platform, _ in
            try await LiveServer.run(platform) { port in
                let slow = try await RawConnection.connect(port: port)
                try await slow.send("GET /health HTTP/1.1\r\nHost: localhost\r\n")
                // One header byte every 200 ms: never idle, never finished.
                var sent = 0
                while slow.isOpen, sent < 40 {
                    try? await slow.send(sent.isMultiple(of: 20) ? "X-Slow-\(sent): " : "a")
                    sent += 1
                    try await Task.sleep(for: .milliseconds(200))
                }
                #expect(!slow.isOpen, "the trickling client still holds its connection after \(sent) writes")
                #expect(!slow.text.contains("200 OK"), "an unfinished request must not be answered")

                // A client that sends its request promptly is served, on a fresh connection and again on the same one.
                let prompt = try await RawConnection.connect(port: port)
                try await prompt.send("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
                try await Self.wait { prompt.text.contains("\r\n\r\n") }
                #expect(prompt.text.hasPrefix("HTTP/1.1 200"), "\(prompt.text)")
                try await prompt.send("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
                try await Self.wait { prompt.text.components(separatedBy: "HTTP/1.1 200").count == 3 }
                #expect(prompt.isOpen)
                try await prompt.channel.close()
            }
            #expect(platform.metrics.exposition().contains(#"iworkz_slow_client_closes_total{phase="header"} 1"#))
        }
    }

    @Test func aClientTricklingItsBodyIsDisconnected() async throws {
        try await PlatformHarness.withPlatform(configure: Self.configure) { platform, _ in
            let before = try await platform.cell("jp-tokyo")!.database.sql.raw("SELECT count(*) AS n FROM users").first()!.decode(column: "n", as: Int.self)
            try await LiveServer.run(platform) { port in
                let slow = try await RawConnection.connect(port: port)
                try await slow.send("POST /api/v1/users HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{")
                var sent = 0
                while slow.isOpen, sent < 40 {
                    try? await slow.send(" ")
                    sent += 1
                    try await Task.sleep(for: .milliseconds(200))
                }
                #expect(!slow.isOpen, "the trickling client still holds its connection after \(sent) writes")
            }
            let after = try await platform.cell("jp-tokyo")!.database.sql.raw("SELECT count(*) AS n FROM users").first()!.decode(column: "n", as: Int.self)
            #expect(after == before)
            #expect(platform.metrics.exposition().contains(#"iworkz_slow_client_closes_total{phase="body"} 1"#))
        }
    }

    static func wait(_ condition: @Sendable () -> Bool) async throws {
        for _ in 0..<100 where !condition() { try await Task.sleep(for: .milliseconds(20)) }
    }

    @Test func limitsAreReadFromTheFileAndChecked() throws {
        let limits = try ServerLimits(yaml: "max_in_flight_requests: 64\nheader_timeout_seconds: 5\n")
        #expect(limits.maxInFlightRequests == 64)
        #expect(limits.headerTimeoutSeconds == 5)
        #expect(limits.bodyTimeoutSeconds == ServerLimits().bodyTimeoutSeconds)
        #expect(throws: GatewayConfigurationError.self) { try ServerLimits(yaml: "body_timeout_seconds: 0\n") }
        #expect(throws: GatewayConfigurationError.self) { try ServerLimits(yaml: "max_in_flight_requests: many\n") }
    }
}
