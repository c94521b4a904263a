public import Foundation
public import Hummingbird
internal import ServerKit

/// An `application/x-www-form-urlencoded` body, as OAuth2 endpoints receive them.
public struct FormBody: Sendable {
    public let fields: [String: String]
    /// Names that appeared more than once; OAuth2 forbids repeating a parameter (RFC 6749 §3.1).
    public let repeated: Set<String>

    public init(text: String) {
        let form = FormEncoded(Substring(text))
        self.fields = form.fields
        self.repeated = form.repeated
    }

    /// Reads a form body of at most `limit` bytes; nil when the content type is not a form.
    public static func read(_ request: Request, limit: Int = 16 * 1024) async throws -> FormBody? {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else { return nil }
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        return FormBody(text: String(buffer: buffer))
    }

    public subscript(name: String) -> String? {
        fields[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// Escapes text for HTML element content and double-quoted attributes.
enum HTML {
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
