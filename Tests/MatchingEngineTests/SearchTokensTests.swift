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
        #expect(SearchTokens.needsScan("溶"))
        #expect(!SearchTokens.needsScan("溶接"))
    }
}
