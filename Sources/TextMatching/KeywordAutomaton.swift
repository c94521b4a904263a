/// Aho–Corasick over UTF-8 bytes with ASCII case and ASCII whitespace folded (a tab or a line break
/// counts as a space, in keywords and text alike): every keyword occurring in a text, found in one pass
/// with one table read per byte. A keyword that is a single control character (`"\n"`, `"\r"`, a
/// tab) is the exception: it matches only itself, or every space of a text would wake its rules (the
/// same control character given twice is reported under its first index).
///
/// The firewall uses it as its prefilter: a rule is evaluated only when one of its keywords occurs, so
/// a clean request costs one pass over its bytes whatever the number of rules.
public struct KeywordAutomaton: Sendable {
    public let keywords: [[UInt8]]
    /// Byte → column in `transitions`; bytes that occur in no keyword share column 0.
    private let columnOfByte: [UInt8]
    private let columns: Int
    /// The complete goto function, by rows of `columns` entries: the entry for a state's row and a
    /// byte's column is the next state's row offset times two, plus one when keywords end in that
    /// state. A scan then needs one load per byte and no multiplication on its critical path.
    private let transitions: [Int32]
    /// Keywords ending in each state (through failure links too): `matches[matchStart[s]..<matchStart[s+1]]`.
    private let matchStart: [Int32]
    private let matches: [Int32]
    /// Per keyword, for ``scanHits(_:_:)`` without touching `keywords` in the loop: its length, and
    /// whether it begins and ends with an ASCII letter.
    private let lengths: [Int]
    private let letterAtStart: [Bool]
    private let letterAtEnd: [Bool]
    /// Per byte, the keyword that is exactly that control character, or -1.
    private let exactByte: [Int32]
    /// One bit per pair of bytes: whether a keyword begins with them (a keyword of one byte with the
    /// first, whatever the second), or the first is a control character keyword.
    private let beginnings: [UInt64]
    /// Whether every keyword is ASCII, so that no byte outside ASCII begins one.
    private let keywordsAreASCII: Bool

    public init(keywords: [String]) {
        var exactByte = [Int32](repeating: -1, count: 256)
        var folded: [[UInt8]] = [], automatonKeywords: [[UInt8]] = []
        for (index, keyword) in keywords.enumerated() {
            let (exact, bytes) = Self.folded(keyword)
            folded.append(bytes)
            // An exact keyword keeps its index in `keywords` and stays out of the automaton.
            automatonKeywords.append(exact ? [] : bytes)
            if exact, exactByte[Int(bytes[0])] < 0 { exactByte[Int(bytes[0])] = Int32(index) }
        }
        self.keywords = folded
        self.exactByte = exactByte
        var columnOfByte = [UInt8](repeating: 0, count: 256)
        var columns = 1
        for byte in Set(automatonKeywords.joined()).sorted() {
            columnOfByte[Int(byte)] = UInt8(columns)
            columns += 1
        }
        for byte in 0...255 { columnOfByte[byte] = columnOfByte[Int(Self.fold(UInt8(byte)))] }
        // Beyond 255 distinct bytes, columns would not fit a byte; keywords are ASCII words in practice.
        precondition(columns <= 256)

        var trie: [[Int32]] = [[Int32](repeating: -1, count: columns)]
        var ending: [[Int32]] = [[]]
        for (index, keyword) in automatonKeywords.enumerated() where !keyword.isEmpty {
            var state = 0
            for byte in keyword {
                let column = Int(columnOfByte[Int(byte)])
                if trie[state][column] < 0 {
                    trie.append([Int32](repeating: -1, count: columns))
                    ending.append([])
                    trie[state][column] = Int32(trie.count - 1)
                }
                state = Int(trie[state][column])
            }
            ending[state].append(Int32(index))
        }
        // Breadth-first: fill missing transitions from the failure state, so scanning never follows links.
        var failure = [Int32](repeating: 0, count: trie.count)
        var queue: [Int] = []
        for column in 0..<columns {
            if trie[0][column] < 0 { trie[0][column] = 0 } else { queue.append(Int(trie[0][column])) }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            ending[state] += ending[Int(failure[state])]
            for column in 0..<columns {
                let child = trie[state][column]
                if child < 0 {
                    trie[state][column] = trie[Int(failure[state])][column]
                } else {
                    failure[Int(child)] = trie[Int(failure[state])][column]
                    queue.append(Int(child))
                }
            }
        }
        var matchStart: [Int32] = [0]
        var matches: [Int32] = []
        for state in ending {
            matches += state
            matchStart.append(Int32(matches.count))
        }
        self.columnOfByte = columnOfByte
        self.columns = columns
        self.transitions = trie.flatMap { row in
            row.map { next in Int32(Int(next) * columns * 2 + (ending[Int(next)].isEmpty ? 0 : 1)) }
        }
        self.matchStart = matchStart
        var beginnings = [UInt64](repeating: 0, count: 65536 / 64)
        func mark(_ first: Int, _ seconds: [Int]) {
            for second in seconds { beginnings[(first << 8 | second) >> 6] |= 1 << UInt64(second & 63) }
        }
        let everyByte = Array(0...255)
        let bytesFoldingTo = Dictionary(grouping: everyByte) { Self.fold(UInt8($0)) }
        for keyword in automatonKeywords where !keyword.isEmpty {
            let seconds = keyword.count == 1 ? everyByte : bytesFoldingTo[keyword[1]] ?? []
            for first in bytesFoldingTo[keyword[0]] ?? [] { mark(first, seconds) }
        }
        for byte in everyByte where exactByte[byte] >= 0 { mark(byte, everyByte) }
        self.beginnings = beginnings
        keywordsAreASCII = folded.allSatisfy { $0.allSatisfy { $0 < 0x80 } }
        self.matches = matches
        self.lengths = folded.map(\.count)
        self.letterAtStart = folded.map { $0.first.map(Self.isLetter) ?? false }
        self.letterAtEnd = folded.map { $0.last.map(Self.isLetter) ?? false }
    }

    /// Calls `found` with the index of each keyword at each place it ends in `text`.
    public func scan(_ text: String, _ found: (Int) -> Void) {
        scanPositions(text) { keyword, _ in found(keyword) }
    }

    /// Calls `found` with the index of each keyword and the UTF-8 offset just past where it ends.
    public func scanPositions(_ text: String, _ found: (_ keyword: Int, _ end: Int) -> Void) {
        scanHits(text) { keyword, end, _ in found(keyword, end) }
    }

    /// Like ``scanPositions(_:_:)``, and says whether the occurrence stands alone: no ASCII letter
    /// touches it where it begins or ends with a letter ("or" stands alone in "1 or 1" and in "'or'",
    /// not in "worker"). Digits and `_` do not count as letters, so "1or1" and "shell_exec" keep theirs.
    public func scanHits(_ text: String, _ found: (_ keyword: Int, _ end: Int, _ standsAlone: Bool) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            transitions.withUnsafeBufferPointer { table in
                columnOfByte.withUnsafeBufferPointer { column in
                    // The loop runs once per byte of every screened part: unchecked reads, and only the
                    // state's row, the table and the byte in hand on its path (the rare work, a keyword
                    // ending or a control character, is out of line), so the row stays in a register.
                    var row = 0, offset = 0
                    while offset < bytes.count {
                        if row == 0 {
                            // At the root only a place where a keyword can begin changes anything. The
                            // others are passed over with reads that do not wait on one another (a table
                            // read waits on the last): Japanese or Korean text, and the spaces and words
                            // between keywords, at several times the speed.
                            while offset + 1 < bytes.count {
                                // Japanese and Korean text: eight bytes outside ASCII begin no keyword.
                                if keywordsAreASCII, bytes[offset] >= 0x80, offset + 8 <= bytes.count, Self.allOutsideASCII(bytes, at: offset) {
                                    offset += 8
                                    continue
                                }
                                if beginsAKeyword(bytes[offset], bytes[offset + 1]) { break }
                                offset += 1
                            }
                            guard offset < bytes.count else { break }
                        }
                        let byte = bytes[offset]
                        if byte < 0x20 { reportExact(byte, at: offset, found) }
                        let byteColumn = Int(column[Int(byte)])
                        // A byte in no keyword leads back to the root from any state: no load to wait for.
                        guard byteColumn != 0 else {
                            row = 0
                            offset += 1
                            continue
                        }
                        let entry = Int(table[row &+ byteColumn])
                        row = entry >> 1
                        if entry & 1 != 0 { reportEnding(inRow: row, at: offset, of: bytes, found) }
                        offset += 1
                    }
                }
            }
        }
    }

    /// Whether the eight bytes from `offset` are all outside ASCII.
    @inline(__always)
    private static func allOutsideASCII(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        UnsafeRawPointer(bytes.baseAddress! + offset).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0x8080_8080_8080_8080
    }

    /// Whether a keyword can begin with `first` followed by `second` (ASCII case and whitespace folded).
    @inline(__always)
    private func beginsAKeyword(_ first: UInt8, _ second: UInt8) -> Bool {
        let index = Int(first) << 8 | Int(second)
        return beginnings.withUnsafeBufferPointer { $0[index >> 6] } & (1 << UInt64(index & 63)) != 0
    }

    @inline(never)
    private func reportExact(_ byte: UInt8, at offset: Int, _ found: (_ keyword: Int, _ end: Int, _ standsAlone: Bool) -> Void) {
        let keyword = exactByte[Int(byte)]
        if keyword >= 0 { found(Int(keyword), offset + 1, true) }
    }

    /// Reports every keyword ending in the state whose row starts at `row`, at `offset`.
    @inline(never)
    private func reportEnding(inRow row: Int, at offset: Int, of bytes: UnsafeBufferPointer<UInt8>,
                              _ found: (_ keyword: Int, _ end: Int, _ standsAlone: Bool) -> Void) {
        let state = row / columns
        for index in Int(matchStart[state])..<Int(matchStart[state + 1]) {
            let keyword = Int(matches[index])
            let start = offset + 1 - lengths[keyword]
            let alone = !(letterAtStart[keyword] && start > 0 && Self.isLetter(bytes[start - 1]))
                && !(letterAtEnd[keyword] && offset + 1 < bytes.count && Self.isLetter(bytes[offset + 1]))
            found(keyword, offset + 1, alone)
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }

    /// A keyword's bytes as the automaton compares them, and whether it is a single control character,
    /// matched exactly; otherwise ASCII case and whitespace are folded.
    static func folded(_ keyword: String) -> (exact: Bool, bytes: [UInt8]) {
        let bytes = Array(keyword.utf8)
        return bytes.count == 1 && (0x09...0x0D).contains(bytes[0]) ? (true, bytes) : (false, bytes.map(fold))
    }

    static func fold(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte | 0x20
        case 0x09...0x0D: UInt8(ascii: " ")
        default: byte
        }
    }
}
