public import Foundation

/// A regular expression that runs in time linear in its input: its shape is checked before it is
/// compiled (``PatternShape``), so a pattern that could backtrack without bound is refused at load,
/// with what to write instead, rather than found by an attacker.
public struct BoundedPattern: Sendable {
    /// Most repetitions one quantifier may allow.
    public static let defaultMaximumRepeat = 256

    public let source: String
    /// The most characters (Unicode scalars) a match can span.
    public let maximumMatchLength: Int
    /// The most characters a lookaround or word boundary looks at beyond a match.
    public let lookaroundLength: Int
    private let regex: NSRegularExpression

    /// Checks and compiles `source`; case-insensitive unless told otherwise.
    public init(_ source: String, caseInsensitive: Bool = true, maximumRepeat: Int = defaultMaximumRepeat) throws(PatternError) {
        do {
            regex = try NSRegularExpression(pattern: source, options: caseInsensitive ? [.caseInsensitive] : [])
        } catch {
            throw PatternError(pattern: source, problems: ["it does not compile as an ICU regular expression"])
        }
        let shape = PatternShape(source, maximumRepeat: maximumRepeat)
        guard shape.problems.isEmpty, let maximum = shape.maximumLength else {
            throw PatternError(pattern: source, problems: shape.problems.isEmpty ? ["a match has no upper length"] : shape.problems)
        }
        self.source = source
        maximumMatchLength = maximum
        lookaroundLength = shape.lookaroundLength
    }

    /// Whether the pattern occurs anywhere in `text`.
    public func occurs(in text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Whether a match lies inside `range` of `text`; the text around the range is seen by lookarounds
    /// and word boundaries, and `^`/`$` match only at the text's own ends.
    func occurs(in text: String, range: NSRange) -> Bool {
        regex.firstMatch(in: text, options: [.withTransparentBounds, .withoutAnchoringBounds], range: range) != nil
    }

    /// Every non-overlapping occurrence in `text`, in order.
    public func occurrences(in text: String) -> [Range<String.Index>] {
        regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range, in: text) }
    }
}

/// A pattern refused at load, with every reason.
public struct PatternError: Error, CustomStringConvertible, Sendable {
    public let pattern: String
    public let problems: [String]
    public var description: String { "pattern '\(pattern)': " + problems.joined(separator: "; ") }
}
