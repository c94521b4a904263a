#if canImport(_FoundationICU)
internal import _FoundationICU
internal import Synchronization

/// A compiled ICU regular expression searched over UTF-16 buffers the caller owns.
///
/// `NSRegularExpression` bridges every Swift string to an `NSString` and back, which costs several
/// microseconds per search and reads a long native string through an index that is not
/// constant-time; the firewall searches dozens of short windows per request. ICU's C API takes a
/// UTF-16 buffer as it is, so a window costs a region change and the search itself.
///
/// A compiled pattern is shared; searching needs a matcher of one's own (ICU's matchers hold their
/// position), so matchers are cloned from the template on demand and kept in a small pool.
final class ICURegex: Sendable {
    /// Never searched with: only cloned, which ICU allows from any thread (what makes sharing it safe).
    nonisolated(unsafe) private let template: OpaquePointer
    private let idle = Mutex<[Matcher]>([])

    /// A matcher owned by one search at a time.
    private final class Matcher: @unchecked Sendable {
        let pointer: OpaquePointer
        init(_ pointer: OpaquePointer) { self.pointer = pointer }
        deinit { swift_uregex_close(pointer) }
    }

    /// Nil when ICU refuses the pattern.
    init?(_ source: String, caseInsensitive: Bool) {
        let units = Array(source.utf16)
        var status = U_ZERO_ERROR
        var parseError = UParseError()
        let flags = caseInsensitive ? UInt32(UREGEX_CASE_INSENSITIVE.rawValue) : 0
        guard let compiled = swift_uregex_open(units, Int32(units.count), flags, &parseError, &status), status.rawValue <= 0 else {
            return nil
        }
        template = compiled
    }

    deinit { swift_uregex_close(template) }

    /// The first match found in one of `regions` (UTF-16 offsets into the text's first `count`
    /// units), tried in order: anywhere inside a region, or, when `anchored`, only starting at its
    /// lower bound; a match ends by the region's upper bound. The text outside a region is seen by
    /// lookarounds and word boundaries, and `^`/`$` match only at the text's own ends.
    ///
    /// An error from ICU (one of its resource limits) is reported as a match over the region being
    /// searched: a screen whose search could not finish must refuse, never pass.
    func firstMatch(in units: UnsafeBufferPointer<UInt16>, count: Int, regions: [Range<Int>], anchored: Bool) -> Range<Int>? {
        // ICU wants a pointer even for an empty text: callers keep a terminating unit past `count`.
        guard let base = units.baseAddress, count < units.count else { preconditionFailure("UTF-16 text without its terminator") }
        guard !regions.isEmpty else { return nil }
        let matcher = idle.withLock { $0.popLast() } ?? clone()
        defer { idle.withLock { $0.append(matcher) } }
        var status = U_ZERO_ERROR
        swift_uregex_setText(matcher.pointer, base, Int32(count), &status)
        guard status.rawValue <= 0 else { return regions[0] }
        for region in regions {
            swift_uregex_setRegion(matcher.pointer, Int32(region.lowerBound), Int32(region.upperBound), &status)
            let found = anchored ? swift_uregex_lookingAt(matcher.pointer, -1, &status) : swift_uregex_find(matcher.pointer, -1, &status)
            guard status.rawValue <= 0 else { return region }
            if found != 0 {
                let start = Int(swift_uregex_start(matcher.pointer, 0, &status)), end = Int(swift_uregex_end(matcher.pointer, 0, &status))
                return status.rawValue <= 0 ? start..<end : region
            }
        }
        return nil
    }

    private func clone() -> Matcher {
        var status = U_ZERO_ERROR
        // Cloning a valid pattern fails only when memory runs out, as an allocation would.
        guard let pointer = swift_uregex_clone(template, &status), status.rawValue <= 0 else {
            fatalError("ICU could not clone a compiled regular expression (status \(status.rawValue))")
        }
        // Set once: a matcher keeps its bounds mode when given a new text or region. Lookarounds and word
        // boundaries see past a region; `^` and `$` stay the text's own ends.
        swift_uregex_useTransparentBounds(pointer, 1, &status)
        swift_uregex_useAnchoringBounds(pointer, 0, &status)
        guard status.rawValue <= 0 else { fatalError("ICU refused a matcher's bounds mode (status \(status.rawValue))") }
        return Matcher(pointer)
    }
}
#else
internal import Foundation

/// Where the toolchain's ICU is not importable (Apple platforms), the same searches through
/// `NSRegularExpression` over an `NSString` holding the UTF-16 buffer.
final class ICURegex: Sendable {
    private let regex: NSRegularExpression

    init?(_ source: String, caseInsensitive: Bool) {
        guard let regex = try? NSRegularExpression(pattern: source, options: caseInsensitive ? [.caseInsensitive] : []) else { return nil }
        self.regex = regex
    }

    func firstMatch(in units: UnsafeBufferPointer<UInt16>, count: Int, regions: [Range<Int>], anchored: Bool) -> Range<Int>? {
        let string = units.baseAddress.map { NSString(characters: $0, length: count) } ?? ""
        for region in regions {
            let options: NSRegularExpression.MatchingOptions = anchored ? [.withTransparentBounds, .withoutAnchoringBounds, .anchored]
                : [.withTransparentBounds, .withoutAnchoringBounds]
            if let match = regex.firstMatch(in: string as String, options: options, range: NSRange(location: region.lowerBound, length: region.count)) {
                return match.range.location..<(match.range.location + match.range.length)
            }
        }
        return nil
    }
}
#endif
