/// A regular expression that runs in time linear in its input: its shape is checked before it is
/// compiled (``PatternShape``), so a pattern that could backtrack without bound is refused at load,
/// with what to write instead, rather than found by an attacker.
public struct BoundedPattern: Sendable {
    /// Most repetitions one quantifier may allow.
    public static let defaultMaximumRepeat = 256

    public let source: String
    /// The most characters (Unicode scalars) a match can span.
    public let maximumMatchLength: Int
    private let regex: ICURegex

    /// Checks and compiles `source`; case-insensitive unless told otherwise.
    public init(_ source: String, caseInsensitive: Bool = true, maximumRepeat: Int = defaultMaximumRepeat) throws(PatternError) {
        guard let regex = ICURegex(source, caseInsensitive: caseInsensitive) else {
            throw PatternError(pattern: source, problems: ["it does not compile as an ICU regular expression"])
        }
        self.regex = regex
        let shape = PatternShape(source, maximumRepeat: maximumRepeat)
        guard shape.problems.isEmpty, let maximum = shape.maximumLength else {
            throw PatternError(pattern: source, problems: shape.problems.isEmpty ? ["a match has no upper length"] : shape.problems)
        }
        self.source = source
        maximumMatchLength = maximum
    }

    /// Whether the pattern occurs anywhere in `text`.
    public func occurs(in text: String) -> Bool {
        WindowedText(text).contains(self)
    }

    /// The first match inside one of `regions` of `text` (UTF-16 offsets), starting at a region's
    /// lower bound when `anchored`.
    func firstMatch(in text: UTF16Text, regions: [Range<Int>], anchored: Bool = false) -> Range<Int>? {
        text.firstMatch(of: regex, in: regions, anchored: anchored)
    }

    /// Whether every match begins with one of `keywords` (as ``KeywordAutomaton`` compares them), as
    /// far as the pattern's source tells (``LeadingText``): then the pattern needs trying only where
    /// a keyword starts (``WindowedText/contains(_:keywordStarts:)``).
    public func everyMatchBegins(withOneOf keywords: [String]) -> Bool {
        LeadingText.everyMatchBegins(source, withOneOf: keywords)
    }

    /// Every non-overlapping occurrence in `text`, in order.
    public func occurrences(in text: String) -> [Range<String.Index>] {
        let units = UTF16Text(text)
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
