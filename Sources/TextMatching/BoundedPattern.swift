/// A regular expression that runs in time linear in its input: its shape is checked before it is
/// compiled (``PatternShape``), so a pattern that could backtrack without bound is refused at load,
/// with what to write instead, rather than found by an attacker.
public struct BoundedPattern: Sendable {
    /// Most repetitions one quantifier may allow.
    public static let defaultMaximumRepeat = 256

    public let source: String
    /// The most characters (Unicode scalars) a match can span.
    public let maximumMatchLength: Int
    /// Characters (ASCII, not letters) every match contains: a region without one of them needs no search.
    let requiredUnits: [UInt16]
    /// Whether ICU runs it case-insensitively; otherwise it runs lowered over case-folded text
    /// (``CaseFoldedSource``), or, when not `caseInsensitive`, case-sensitively over text as it is.
    let caseInsensitive: Bool
    let needsFoldedText: Bool
    private let regex: ICURegex

    /// Checks and compiles `source`; case-insensitive unless told otherwise.
    public init(_ source: String, caseInsensitive: Bool = true, maximumRepeat: Int = defaultMaximumRepeat) throws(PatternError) {
        // ICU runs a faster form with the same matches where one exists: lowered for case-folded text,
        // and factored. The shape is read from the source as written.
        if caseInsensitive, let lowered = CaseFoldedSource.lowered(source),
           let regex = ICURegex(LiteralAlternation.factored(lowered, caseInsensitive: false), caseInsensitive: false) {
            self.regex = regex
            needsFoldedText = true
        } else if let regex = ICURegex(LiteralAlternation.factored(source, caseInsensitive: caseInsensitive), caseInsensitive: caseInsensitive)
                    ?? ICURegex(source, caseInsensitive: caseInsensitive) {
            self.regex = regex
            needsFoldedText = false
        } else {
            throw PatternError(pattern: source, problems: ["it does not compile as an ICU regular expression"])
        }
        self.caseInsensitive = caseInsensitive
        let shape = PatternShape(source, maximumRepeat: maximumRepeat)
        guard shape.problems.isEmpty, let maximum = shape.maximumLength else {
            throw PatternError(pattern: source, problems: shape.problems.isEmpty ? ["a match has no upper length"] : shape.problems)
        }
        self.source = source
        maximumMatchLength = maximum
        requiredUnits = shape.requiredCharacters.map { UInt16($0.value) }.sorted()
    }

    /// Whether the pattern occurs anywhere in `text`.
    public func occurs(in text: String) -> Bool {
        WindowedText(text, foldingCase: caseInsensitive).contains(self)
    }

    /// The first match inside one of `regions` of `text` (UTF-16 offsets), starting at a region's
    /// lower bound when `anchored`.
    func firstMatch(in text: UTF16Text, regions: [Range<Int>], anchored: Bool = false) -> Range<Int>? {
        // A folded text has lost the case a case-sensitive pattern looks at; a lowered pattern needs it lost.
        precondition(text.isFolded ? caseInsensitive : !needsFoldedText, "a pattern searched over text folded otherwise than it needs")
        return text.firstMatch(of: regex, in: regions, anchored: anchored)
    }

    /// Whether a match could lie in `region` of `text`: false when the region lacks a character every
    /// match contains. A match lies inside its region, so such a region is passed over without calling
    /// ICU — a few units read instead of a matcher set up and run.
    func mayMatch(in text: UTF16Text, _ region: Range<Int>) -> Bool {
        requiredUnits.isEmpty || text.contains(all: requiredUnits, in: region)
    }

    /// Whether every match begins with one of `keywords` (as ``KeywordAutomaton`` compares them), as
    /// far as the pattern's source tells (``LeadingText``): then the pattern needs trying only where
    /// a keyword starts (``WindowedText/contains(_:keywordStarts:)``).
    public func everyMatchBegins(withOneOf keywords: [String]) -> Bool {
        LeadingText.everyMatchBegins(source, withOneOf: keywords)
    }

    /// Every non-overlapping occurrence in `text`, in order.
    public func occurrences(in text: String) -> [Range<String.Index>] {
        let units = UTF16Text(text, foldingCase: caseInsensitive)
        var found: [Range<String.Index>] = []
        var start = 0
        while start <= units.count, let match = firstMatch(in: units, regions: [start..<units.count]) {
            found.append(String.Index(utf16Offset: match.lowerBound, in: text)..<String.Index(utf16Offset: match.upperBound, in: text))
            // An empty match moves on by one unit, as NSRegularExpression's enumeration does.
            start = match.isEmpty ? match.upperBound + 1 : match.upperBound
        }
        return found
    }
}

/// A pattern refused at load, with every reason.
public struct PatternError: Error, CustomStringConvertible, Sendable {
    public let pattern: String
    public let problems: [String]
    public var description: String { "pattern '\(pattern)': " + problems.joined(separator: "; ") }
}
