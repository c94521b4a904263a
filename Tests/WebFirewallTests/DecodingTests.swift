import Foundation
import Testing
@testable import WebFirewall

@Suite("Firewall decoding")
struct DecodingTests {
    static let firewall: WebFirewall = {
        try! CorpusTests.firewall()
    }()

    static func inspect(path: String = "/api/v1/jobs", query: String? = nil, body: String? = nil, contentType: String? = nil) -> WebFirewall.Verdict? {
        firewall.inspect(.init(method: body == nil ? "GET" : "POST", rawPath: path, rawQuery: query,
                               headers: contentType.map { [("Content-Type", $0)] } ?? [], body: body.map { Data($0.utf8) }, clientIP: nil))
    }

    /// Before: an invalid escape made the firewall screen the raw text, and `%zz` hid the attack after it.
    @Test(arguments: ["q=%zz%27%20OR%20%271%27%3D%271", "q=abc%4", "q=%", "q=%E0%A4", "q=%ff"])
    func anInvalidPercentEscapeIsMalformed(query: String) throws {
        let verdict = try #require(Self.inspect(query: query))
        #expect(verdict.kind == .malformed)
        #expect(verdict.ruleID == "invalid-encoding")
    }

    @Test func anInvalidEscapeInThePathIsMalformed() throws {
        #expect(Self.inspect(path: "/api/v1/jobs/%zz")?.kind == .malformed)
    }

    @Test func formBodiesAreDecodedAndScreened() throws {
        let attack = "grant_type=password&username=x%27%20OR%20%271%27%3D%271&password=x"
        #expect(Self.inspect(path: "/oauth/token", body: attack, contentType: "application/x-www-form-urlencoded")?.category == "sqli")
        #expect(Self.inspect(path: "/oauth/token", body: "username=a%zz", contentType: "application/x-www-form-urlencoded")?.kind == .malformed)
        #expect(Self.inspect(path: "/oauth/token", body: "grant_type=refresh_token&refresh_token=rt_abc", contentType: "application/x-www-form-urlencoded") == nil)
    }

    /// Before: fields were joined with line breaks that woke the line-break rules on every query with
    /// two parameters, and a field named like a header after another field read as header injection.
    @Test func theLineBreaksThatJoinFieldsAreNotLineBreaksSent() throws {
        #expect(Self.inspect(query: "q=welder&Set-Cookie:=1") == nil)
        #expect(Self.inspect(query: "q=welder%0ASet-Cookie:%20a=1")?.ruleID == "921130", "a line break that was sent still counts")
        #expect(Self.inspect(path: "/oauth/token", body: "grant_type=x&Location:=y", contentType: "application/x-www-form-urlencoded") == nil)
        #expect(Self.inspect(query: "q=a&x=%0Aid")?.category == "rce", "a sent line break before a command")
    }

    @Test func jsonStringsAreScreenedWithTheirEscapesUndone() throws {
        #expect(Self.inspect(body: #"{"bio":"x\" or \"1\"=\"1"}"#)?.category == "sqli")
        #expect(Self.inspect(body: #"{"bio":"\u003cscript\u003e"}"#)?.ruleID == "941100")
        #expect(Self.inspect(body: #"{"bio":"\ud83d\ude00 <\/script>"}"#)?.ruleID == "941100")
        #expect(JSONText.unescaped(#"a\"b\\c\/d\n\u00e9\ud83d\ude00\x"#) == "a\"b\\c/d\né😀\\x")
    }

    /// Before: a rule that ends at the end of a value (`$`) matched only at the end of the whole part,
    /// so a backup file named in the first of two query fields, or in any JSON string, passed.
    @Test func aValueEndsAtItsFieldsEndOrItsClosingQuote() throws {
        #expect(Self.inspect(query: "file=/srv/www/backup.sql.zip")?.ruleID == "930130")
        #expect(Self.inspect(query: "file=/srv/www/backup.sql.zip&limit=10")?.ruleID == "930130")
        #expect(Self.inspect(body: #"{"path":"/srv/www/backup.sql.zip","limit":10}"#)?.ruleID == "930130")
        #expect(Self.inspect(body: #"{"path":"/.aiignore"}"#)?.ruleID == "930130")
        #expect(Self.inspect(body: #"{"bio":"I keep backups as .sql files and logs"}"#) == nil)
    }

    @Test func doubleEncodingIsScreenedAsWhatItHides() throws {
        #expect(Self.inspect(query: "file=..%252f..%252fetc%252fpasswd")?.category == "lfi")
        #expect(Self.inspect(query: "q=%253Cscript%253E")?.ruleID == "941100")
        #expect(Self.inspect(query: "q=100%25%20remote") == nil, "a literal percent sign stays text")
    }

    @Test func htmlCharacterReferencesAreUndone() throws {
        #expect(HTMLEntities.decoded("&#x3C;b&#62;&lt;&colon;&#106&amp;R&D&bogus;") == "<b><:j&R&D&bogus;")
        #expect(HTMLEntities.decoded("ja&amp;tab;vascript&amp;colon;") == "ja\tvascript:", "a reference carried by another layer")
        #expect(HTMLEntities.decoded("&amp;amp;amp;") == "&amp;", "two passes, not a loop")
        #expect(Self.inspect(query: "q=" + "<a href=\"jav&#x61;script:alert(1)\">".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)?.category == "xss")
    }

    /// A part longer than the screening bound is refused, never passed unscreened.
    @Test func aPartBeyondTheScreeningBoundCountsAsAnAnomaly() throws {
        var settings = WebFirewall.Settings()
        settings.maxScreenBytes = 1024
        let small = try WebFirewall(settings: settings, rules: Self.firewall.rules)
        let long = String(repeating: "a", count: 1025)
        let body = small.inspect(.init(method: "POST", rawPath: "/api/v1/jobs", rawQuery: nil, headers: [], body: Data(long.utf8), clientIP: nil))
        #expect(body?.ruleID == "screen-limit")
        #expect(body?.score ?? 0 >= settings.anomalyThreshold)
        let header = small.inspect(.init(method: "GET", rawPath: "/api/v1/jobs", rawQuery: nil, headers: [("Referer", long)], body: nil, clientIP: nil))
        #expect(header?.ruleID == "screen-limit")
        #expect(small.inspect(.init(method: "POST", rawPath: "/api/v1/jobs", rawQuery: nil, headers: [], body: Data(String(long.dropLast()).utf8), clientIP: nil)) == nil)
    }
}
