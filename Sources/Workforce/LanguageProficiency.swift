/// A person's command of a language, or a job's minimum, as a recognised test level.
///
/// Levels compare only within one language: JLPT N5–N1 and JFT-Basic A2 for Japanese, TOPIK 1–6 for
/// Korean, CEFR A1–C2 for English (and any other language); `native` is above every test level.
public struct LanguageProficiency: Codable, Sendable, Hashable {
    /// ISO 639-1 code: `ja`, `ko`, `en`, …
    public let language: String
    /// `JLPT`, `JFT-Basic`, `TOPIK`, `CEFR` or `native`.
    public let test: String
    /// The level within the test: `N2`, `A2`, `4`, `B1`; empty for `native`.
    public let level: String

    public init(language: String, test: String, level: String) {
        self.language = language
        self.test = test
        self.level = level
    }

    /// A rank that orders levels of one language; nil when the test or level is not recognised.
    public var rank: Int? {
        switch (language, test.uppercased()) {
        case (_, "NATIVE"): 7
        case ("ja", "JLPT"): ["N5": 1, "N4": 2, "N3": 3, "N2": 4, "N1": 5][level.uppercased()]
        case ("ja", "JFT-BASIC"): level.uppercased() == "A2" ? 2 : nil
        case ("ko", "TOPIK"): Int(level).flatMap { (1...6).contains($0) ? $0 : nil }
        case (_, "CEFR"): ["A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6][level.uppercased()]
        default: nil
        }
    }

    /// Whether this level meets a requirement in the same language.
    public func meets(_ requirement: LanguageProficiency) -> Bool {
        guard language == requirement.language, let mine = rank, let needed = requirement.rank else { return false }
        return mine >= needed
    }

    /// Field errors for an invalid value, with JSON pointers below `pointer`.
    public func problems(at pointer: String) -> [(pointer: String, detail: String)] {
        guard rank == nil else { return [] }
        return [(pointer, "\(test) \(level) is not a recognised level for language '\(language)' (JLPT N5-N1 or JFT-Basic A2 for ja, TOPIK 1-6 for ko, CEFR A1-C2, or native)")]
    }
}
