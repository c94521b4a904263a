public import Hummingbird
internal import Foundation

/// Name-value pairs in `application/x-www-form-urlencoded` form — a URL's query or a form body —
/// decoded as browsers and OAuth clients encode them: `+` is a space, and names are percent-decoded
/// as well as values.
public struct FormEncoded: Sendable {
    /// The decoded names, in order, repeats included.
    public let names: [String]
    /// Names that appeared more than once.
    public let repeated: Set<String>
    private let values: [String: String]

    public init(_ text: Substring) {
        var names: [String] = []
        var values: [String: String] = [:]
        var repeated = Set<String>()
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            names.append(name)
            if values[name] == nil { values[name] = parts.count > 1 ? Self.decode(parts[1]) : "" } else { repeated.insert(name) }
        }
        self.names = names
        self.values = values
        self.repeated = repeated
    }

    /// The first value of a name (empty when it was sent without one), nil when absent.
    public subscript(name: String) -> String? { values[name] }

    /// Every name with its first value.
    public var fields: [String: String] { values }

    private static func decode(_ text: Substring) -> String {
        // The gateway has refused malformed escapes already; a stray one is kept as written.
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

extension Request {
    /// The URL's query as form-encoded pairs (`+` is a space), as HTML forms and OAuth clients send it.
    public var formQuery: FormEncoded { FormEncoded(uri.query.map { Substring($0) } ?? "") }
}
