/// Fixed-layout RFC 3339 timestamps (`2026-11-25T16:36:22.123Z`) read without a date parser.
enum CompactTime {
    /// The digits of the timestamp as one number: orders like the text.
    static func version(_ timestamp: String) -> Int64 {
        var value: Int64 = 0
        for byte in timestamp.utf8 where (48...57).contains(byte) {
            value = value &* 10 &+ Int64(byte - 48)
        }
        return value
    }

    /// Days since 1970-01-01 of a `YYYY-MM-DD…` text; nil when it does not start with a date.
    static func day(_ text: String) -> Int32? {
        let bytes = Array(text.utf8.prefix(10))
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), (1...12).contains(month), (1...31).contains(day) else {
            return nil
        }
        // Days from civil (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return Int32(era * 146_097 + dayOfEra - 719_468)
    }
}
