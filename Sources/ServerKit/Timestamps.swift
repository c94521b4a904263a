public import Foundation

/// RFC 3339 timestamps in UTC with milliseconds, the one format the API uses.
public enum Timestamps {
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    public static func milliseconds(_ date: Date) -> UInt64 {
        UInt64(max(0, date.timeIntervalSince1970 * 1000))
    }

    /// Today's date `YYYY-MM-DD` in UTC.
    public static func day(_ date: Date) -> String {
        String(format(date).prefix(10))
    }
}
