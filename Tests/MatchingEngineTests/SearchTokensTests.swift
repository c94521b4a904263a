import JobService
import Testing

@Suite("Search tokens")
struct SearchTokensTests {
    @Test func japaneseAndKoreanBecomeBigramsAndLatinWords() {
        #expect(SearchTokens.runs("溶接工 Welder 3名") == [["溶接", "接工"], ["welder"], ["3"], ["名"]])
        #expect(SearchTokens.runs("용접공 모집") == [["용접", "접공"], ["모집"]])
        #expect(SearchTokens.query("介護 staff") == "\"介護\" AND \"staff\"*")
        #expect(SearchTokens.query("say \"hi\"") == "\"say\"* AND \"hi\"*", "quotes never reach the FTS query syntax")
        #expect(SearchTokens.query("  ・ ") == nil)
        #expect(SearchTokens.documentTokens("溶接工 Welder 3名") == ["溶接", "接工", "工", "welder", "3", "名"],
                "a CJK run's last character is a token too, so every character starts a token")
        #expect(SearchTokens.query("溶") == "\"溶\"*", "a lone CJK character is a prefix, not a scan")
        #expect(SearchTokens.tsquery("溶") == "'溶':*")
        #expect(SearchTokens.tsquery("溶接") == "('溶接')")
    }
}
