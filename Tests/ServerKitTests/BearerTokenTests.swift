import ServerKit
import Testing

@Suite("Bearer token header")
struct BearerTokenTests {
    @Test(arguments: [
        ("Bearer abc.def.ghi", "abc.def.ghi"), ("bearer abc", "abc"), ("BEARER abc", "abc"), ("BeArEr \t abc \t ", "abc"),
        ("Bearer 溶接", "溶接"),
    ])
    func theTokenIsReadWhateverTheSchemesCaseAndTheSpaces(header: String, token: String) {
        #expect(BearerToken.parse(header) == token)
    }

    @Test(arguments: ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Bearerabc", "Bearer\tabc", "Bearex abc", "bearer\u{0}abc", ""])
    func otherSchemesAndMalformedHeadersAreRefused(header: String) {
        #expect(BearerToken.parse(header) == nil)
    }
}
