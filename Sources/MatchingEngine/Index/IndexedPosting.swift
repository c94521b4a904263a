internal import Foundation
internal import JobService
internal import Sovereignty
internal import Workforce

/// A posting as the index keeps it: numbers and interned ids, so a million postings fit in memory.
struct IndexedPosting: Sendable {
    let uuid: UUID
    let idKind: RegionalID.Kind
    let regionCode: String
    /// `updated_at` as a number that sorts like the timestamp, to keep only the newest version.
    let version: Int64
    /// Days since 1970-01-01 of `created_at`, for recency.
    let createdDay: Int32
    /// Interned skill ids.
    let skills: [Int32]
    /// Interned eligibility facts shared by many postings (an ``OpeningKind``).
    let kind: Int32
    /// Weekly hours; -1 when the posting does not say.
    let weeklyHours: Int16
    /// Days since 1970 of the start date; -1 for as soon as possible.
    let startDay: Int32
    /// Interned language of the minimum level (-1: none) and the level's rank.
    let language: Int16
    let languageRank: Int8
    let country: String
    /// Interned lowercased prefecture and city; -1 when absent.
    let prefecture: Int32
    let city: Int32
    let commuteRegion: Int32
    let salary: SalaryRange?

    var id: RegionalID? {
        RegionalID("\(idKind.rawValue)_\(regionCode)_\(uuid.uuidString.lowercased())")
    }
}

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
