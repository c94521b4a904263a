/// Where a person lives or a job is done: country, and optionally prefecture (or province) and city.
public struct Place: Codable, Sendable, Hashable {
    /// ISO 3166-1 alpha-2.
    public let country: String
    public let prefecture: String?
    public let city: String?

    public init(country: String, prefecture: String? = nil, city: String? = nil) {
        self.country = country
        self.prefecture = prefecture
        self.city = city
    }

    public static func isCountryCode(_ code: String) -> Bool {
        code.count == 2 && code.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) }
    }
}

/// An amount of pay per period in a currency.
public struct Pay: Codable, Sendable, Hashable {
    public enum Period: String, Codable, Sendable, Hashable, CaseIterable {
        case hour, month, year
    }

    /// The largest amount accepted, in any currency and period: ten billion (a year's pay in KRW
    /// stays far below it; anything above is a mistake, and far above would overflow the scoring).
    public static let largestAmount = 10_000_000_000

    public let amount: Int
    /// ISO 4217: JPY, KRW, EUR, USD, SGD, GBP.
    public let currency: String
    public let period: Period

    public init(amount: Int, currency: String, period: Period) {
        self.amount = amount
        self.currency = currency
        self.period = period
    }
}

/// A pay range offered by a job.
public struct SalaryRange: Codable, Sendable, Hashable {
    public let min: Int
    public let max: Int
    public let currency: String
    public let period: Pay.Period

    public init(min: Int, max: Int, currency: String, period: Pay.Period) {
        self.min = min
        self.max = max
        self.currency = currency
        self.period = period
    }
}

/// The kinds of employment a job may offer.
public enum EmploymentType: String, Codable, Sendable, Hashable, CaseIterable {
    case fullTime = "full-time"
    case partTime = "part-time"
    case contract
    case temporary
    case internship
}
