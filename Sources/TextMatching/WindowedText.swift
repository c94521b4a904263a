public import Foundation

/// A text evaluated piecewise: a pattern is run only on windows around the places where one of its
/// keywords ends, each as wide as the pattern's longest match, instead of over the whole text.
///
/// A clean 4 KiB profile mentions "or", ";" or "select" a few times; evaluating a rule on a few
/// windows of its match length around those costs a small fraction of a pass over the whole text, and
/// finds the same matches, because every match contains one of the rule's keywords.
public struct WindowedText {
    public let text: String
    /// The text's UTF-8, from which pieces are cut in constant time per piece (a `String` index moved
    /// by an offset walks the text, which would make many pieces cost the square of its length).
    private let bytes: [UInt8]
    private let byteCount: Int
    /// Byte offset of each scalar; nil when the text is ASCII (offsets are the same).
    private let scalarStarts: [Int32]?

    public init(_ text: String) {
        var text = text
        var starts: [Int32]?
        var copy: [UInt8] = []
        let count = text.withUTF8 { bytes -> Int in
            copy = Array(bytes)
            if bytes.contains(where: { $0 >= 0x80 }) {
                var offsets: [Int32] = []
                offsets.reserveCapacity(bytes.count)
                for (offset, byte) in bytes.enumerated() where byte & 0xC0 != 0x80 { offsets.append(Int32(offset)) }
                starts = offsets
            }
            return bytes.count
        }
        self.text = text
        self.bytes = copy
        self.byteCount = count
        self.scalarStarts = starts
    }

    private var scalarCount: Int { scalarStarts?.count ?? byteCount }

    /// The number of scalars that start before `byte`.
    private func scalar(atByte byte: Int) -> Int {
        guard let starts = scalarStarts else { return byte }
        var low = 0, high = starts.count
        while low < high {
            let middle = (low + high) / 2
            if Int(starts[middle]) < byte { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private func byte(atScalar scalar: Int) -> Int {
        guard let starts = scalarStarts else { return scalar }
        return scalar < starts.count ? Int(starts[scalar]) : byteCount
    }

    /// Whether `pattern` matches somewhere around the given keyword ends (UTF-8 byte offsets just past
    /// each keyword, ascending), `keywordLength` being the longest keyword in scalars.
    public func contains(_ pattern: BoundedPattern, keywordEnds: [Int], keywordLength: Int) -> Bool {
        var windows: [Range<Int>] = []
        for end in keywordEnds {
            let at = scalar(atByte: end)
            let lower = max(0, at - keywordLength - pattern.maximumMatchLength), upper = min(scalarCount, at + pattern.maximumMatchLength)
            if let last = windows.last, lower <= last.upperBound {
                windows[windows.count - 1] = last.lowerBound..<max(last.upperBound, upper)
            } else {
                windows.append(lower..<upper)
            }
        }
        return windows.contains { contains(pattern, in: $0) }
    }

    /// Whether `pattern` matches anywhere in the text.
    public func contains(_ pattern: BoundedPattern) -> Bool {
        contains(pattern, in: 0..<scalarCount)
    }

    /// Scalars handed to the regular-expression engine at once. ICU is given short strings only: on a
    /// long one its cost per character grows (it reads a bridged string through an index that is
    /// not constant-time), so a long window is searched in overlapping chunks; a match starting in a
    /// chunk ends within the chunk's overlap, as no match is longer than the pattern allows.
    static let chunk = 2048

    private func contains(_ pattern: BoundedPattern, in window: Range<Int>) -> Bool {
        let margin = pattern.lookaroundLength + 1
        var start = window.lowerBound
        while start < window.upperBound {
            let end = min(window.upperBound, start + Self.chunk + pattern.maximumMatchLength)
            if occurs(pattern, in: start..<end, margin: margin) { return true }
            start += Self.chunk
        }
        return false
    }

    private func occurs(_ pattern: BoundedPattern, in range: Range<Int>, margin: Int) -> Bool {
        let low = max(0, range.lowerBound - margin), high = min(scalarCount, range.upperBound + margin)
        let piece = String(decoding: bytes[byte(atScalar: low)..<byte(atScalar: high)], as: UTF8.self)
        let scalars = piece.unicodeScalars
        let innerStart = scalars.index(scalars.startIndex, offsetBy: range.lowerBound - low)
        let innerEnd = scalars.index(innerStart, offsetBy: range.count)
        return pattern.occurs(in: piece, range: NSRange(innerStart..<innerEnd, in: piece))
    }
}
