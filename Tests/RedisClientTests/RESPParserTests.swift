import NIOCore
import Testing
@testable import RedisClient

@Suite("RESP parser")
struct RESPParserTests {
    func parse(_ text: String) throws -> RESPValue? {
        var buffer = ByteBuffer(string: text)
        return try RESPParser.parse(&buffer)
    }

    @Test(arguments: [
        ("+OK\r\n", RESPValue.simpleString("OK")),
        ("-ERR bad\r\n", .error("ERR bad")),
        (":-42\r\n", .integer(-42)),
        ("$5\r\nhello\r\n", .bulkString(ByteBuffer(string: "hello"))),
        ("$0\r\n\r\n", .bulkString(ByteBuffer())),
        ("$-1\r\n", .bulkString(nil)),
        ("*-1\r\n", .array(nil)),
        ("*2\r\n$1\r\na\r\n:1\r\n", .array([.bulkString(ByteBuffer(string: "a")), .integer(1)])),
        ("_\r\n", .null),
        ("#t\r\n", .boolean(true)),
        (",1.5\r\n", .double(1.5)),
        ("(12345678901234567890\r\n", .bigNumber("12345678901234567890")),
        ("%1\r\n+k\r\n:1\r\n", .map([.simpleString("k"): .integer(1)])),
        ("~1\r\n+a\r\n", .set([.simpleString("a")])),
        (">2\r\n+pong\r\n+x\r\n", .push([.simpleString("pong"), .simpleString("x")])),
        ("=8\r\ntxt:abcd\r\n", .bulkString(ByteBuffer(string: "abcd"))),
        ("|1\r\n+ttl\r\n:3\r\n:7\r\n", .integer(7)),
        ("!3\r\nBAD\r\n", .error("BAD")),
    ])
    func parsesEveryType(text: String, expected: RESPValue) throws {
        #expect(try parse(text) == expected)
    }

    @Test func waitsForTheWholeValueAndLeavesTheBufferIntact() throws {
        let full = "*2\r\n$5\r\nhello\r\n$5\r\nworld\r\n"
        for cut in 0..<full.utf8.count {
            var buffer = ByteBuffer(bytes: Array(full.utf8.prefix(cut)))
            let before = buffer.readableBytes
            #expect(try RESPParser.parse(&buffer) == nil, "cut at \(cut)")
            #expect(buffer.readableBytes == before)
        }
        var two = ByteBuffer(string: ":1\r\n:2\r\n")
        #expect(try RESPParser.parse(&two) == .integer(1))
        #expect(try RESPParser.parse(&two) == .integer(2))
        #expect(two.readableBytes == 0)
    }

    @Test(arguments: ["?what\r\n", ":abc\r\n", "$-5\r\n", "$3\r\nabcXY", ",notanumber\r\n", "+ok\rX"])
    func rejectsMalformedInput(text: String) {
        #expect(throws: RESPParser.Failure.self) { try parse(text) }
    }

    @Test func refusesHostileNesting() {
        #expect(throws: RESPParser.Failure.tooDeep) { try parse(String(repeating: "*1\r\n", count: 1000) + ":1\r\n") }
    }

    @Test func encodesCommandsAsBulkStringArrays() {
        let bytes = RedisConnection.encode([ByteBuffer(string: "SET"), ByteBuffer(string: "k"), ByteBuffer(string: "日本")])
        #expect(String(buffer: bytes) == "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$6\r\n日本\r\n")
    }

    @Test func parsesConfigurationURLs() throws {
        let configuration = try RedisConfiguration(url: "redis://:s%40cret@cache.internal:6380/2")
        #expect(configuration.host == "cache.internal")
        #expect(configuration.port == 6380)
        #expect(configuration.password == "s@cret")
        #expect(configuration.database == 2)
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "http://x") }
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "redis://host/abc") }
    }
}
