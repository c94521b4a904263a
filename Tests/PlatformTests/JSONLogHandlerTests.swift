import Foundation
import Logging
import Observability
import Testing
import TestSupport

/// The log handler writes one JSON object per line, whatever the metadata holds.
@Suite("JSON log lines")
struct JSONLogHandlerTests {
    static func line(_ message: Logger.Message, metadata: Logger.Metadata) throws -> (text: String, object: [String: Any]) {
        let capture = LogCapture()
        var logger = Logger(label: "test.label") { label in JSONLogHandler(label: label, sink: capture.sink) }
        logger[metadataKey: "request_id"] = "r-1"
        logger.info(message, metadata: metadata)
        let text = capture.text
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        return (text, object)
    }

    @Test func writesEveryValueAsValidJSONInAFixedOrder() throws {
        let hostile = "quote \" backslash \\ newline \n tab \t bell \u{07} nul \u{00} slash / 日本語 🚀 \u{2028}"
        let (text, object) = try Self.line("said \"hi\"\n", metadata: [
            "zeta": "last", "alpha": .string(hostile), "count": .stringConvertible(42),
            "list": .array(["a", .dictionary(["y": "2", "x": "1"])]),
            "email": "someone@example.com", "message": "not the message",
        ])
        #expect(text.hasSuffix("}\n") && text.filter { $0 == "\n" }.count == 1, "one line: \(text)")
        #expect(object["message"] as? String == "said \"hi\"\n")
        #expect(object["metadata.message"] as? String == "not the message", "metadata does not replace a fixed key")
        #expect(object["alpha"] as? String == hostile)
        #expect(object["count"] as? String == "42")
        #expect(object["email"] as? String == "[redacted]")
        #expect(!text.contains("someone@example.com"))
        #expect(object["logger"] as? String == "test.label")
        #expect(object["level"] as? String == "info")
        #expect(object["request_id"] as? String == "r-1")
        let list = try #require(object["list"] as? [Any])
        #expect(list.first as? String == "a")
        #expect((list.last as? [String: String]) == ["x": "1", "y": "2"])
        // Fixed keys first, then metadata in byte order of the keys.
        let order = try ["\"time\"", "\"level\"", "\"message\"", "\"logger\"", "\"alpha\"", "\"count\"", "\"email\"", "\"list\"",
                     "\"metadata.message\"", "\"request_id\"", "\"zeta\""].map { try #require(text.range(of: $0)).lowerBound }
        #expect(order == order.sorted(), "\(text)")
        #expect(text.contains("{\"x\":\"1\",\"y\":\"2\"}"))
    }

    @Test func stampsTheTimeInUTCWithMilliseconds() throws {
        let before = Date()
        let (_, object) = try Self.line("tick", metadata: [:])
        let time = try #require(object["time"] as? String)
        #expect(time.utf8.count == 24 && time.hasSuffix("Z"), "\(time)")
        let parsed = try #require(try? Date(time, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        #expect(abs(parsed.timeIntervalSince(before)) < 5, "\(time) is now")
    }
}
