import ServerKit
import Testing

/// Before: queries were read with `+` kept as a plus and names left encoded, so authlib's
/// `scope=profile+matching` asked for one scope named "profile+matching" and was refused.
@Suite("Form-encoded pairs")
struct FormEncodedTests {
    @Test func plusIsASpaceAndNamesAreDecodedToo() {
        let form = FormEncoded("scope=profile+matching&q=%E6%BA%B6%E6%8E%A5+%2B1&na%6De=v&empty=&bare")
        #expect(form["scope"] == "profile matching")
        #expect(form["q"] == "溶接 +1")
        #expect(form["name"] == "v")
        #expect(form["empty"] == "")
        #expect(form["bare"] == "")
        #expect(form["absent"] == nil)
        #expect(form.repeated.isEmpty)
    }

    @Test func theFirstValueCountsAndRepeatsAreNamed() {
        let form = FormEncoded("a=1&b=2&a=3")
        #expect(form["a"] == "1")
        #expect(form.repeated == ["a"])
        #expect(form.names == ["a", "b", "a"])
    }
}
