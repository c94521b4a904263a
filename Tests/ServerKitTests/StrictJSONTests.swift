import Foundation
import ServerKit
import Sovereignty
import Testing

@Suite("Strict JSON")
struct StrictJSONTests {
    struct Inner: Codable { var level: Int }
    struct Body: Codable {
        var name: String
        var tags: [String]
        var inner: Inner?
        var items: [Inner]
    }

    func decode(_ text: String) throws -> Body {
        try StrictJSON.decode(Body.self, from: Data(text.utf8))
    }

    @Test func sameNamesInDifferentObjectsAreNotDuplicates() throws {
        let body = try decode(#"{"name":"a\"name","tags":["name"],"items":[{"level":1},{"level":2}],"inner":{"level":3}}"#)
        #expect(body.items.count == 2)
    }

    @Test func acceptsAValidBodyAndNulls() throws {
        let body = try decode(#"{"name":"a","tags":["x"],"inner":null,"items":[{"level":2}]}"#)
        #expect(body.name == "a")
        #expect(body.items.first?.level == 2)
    }

    @Test(arguments: [
        (#"{"name":"a","tags":[],"items":[],"extra":1}"#, "unknown-field", "/extra"),
        (#"{"name":"a","tags":[],"items":[{"level":1,"lvl":2}]}"#, "unknown-field", "/items/0/lvl"),
        (#"{"name":"a","tags":[],"items":[],"inner":{"level":1,"x/y":0}}"#, "unknown-field", "/inner/x~1y"),
        (#"{"name":1,"tags":[],"items":[]}"#, "invalid-body", "/name"),
        (#"{"name":"a","tags":"x","items":[]}"#, "invalid-body", "/tags"),
        (#"{"name":"a","items":[]}"#, "invalid-body", "/tags"),
        (#"{"name":"a","tags":[],"items":[{"level":"high"}]}"#, "invalid-body", "/items/0/level"),
        (#"{"name":"a","#, "malformed-json", ""),
        (#"{"name":"a","name":"b","tags":[],"items":[]}"#, "malformed-json", ""),
        (#"{"name":"a","tags":[],"items":[{"level":1,"level":2}]}"#, "malformed-json", ""),
        (#"{"name":"a","tags":[],"items":[],"ghost":null}"#, "unknown-field", "/ghost"),
        (#"{"name":"a","tags":[],"items":[{"level":1,"ghost":null}]}"#, "unknown-field", "/items/0/ghost"),
        ("", "invalid-body", ""),
        // Before: numbers no Int holds were "not valid JSON" with no pointer.
        (#"{"name":"a","tags":[],"items":[{"level":1.5e300}]}"#, "invalid-body", "/items/0/level"),
        (#"{"name":"a","tags":[],"items":[{"level":0.5}]}"#, "invalid-body", "/items/0/level"),
        (#"{"name":"a","tags":[],"items":[{"level":123456789012345678901234567890}]}"#, "invalid-body", "/items/0/level"),
    ])
    func rejects(text: String, slug: String, pointer: String) {
        let problem = #expect(throws: Problem.self) { try decode(text) }
        #expect(problem?.slug == slug, "\(problem?.detail ?? "")")
        if !pointer.isEmpty {
            #expect(problem?.errors.contains { $0.pointer == pointer } == true, "\(problem?.errors ?? [])")
        }
    }
}
