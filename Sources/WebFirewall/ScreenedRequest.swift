internal import Foundation

/// A request's parts as the signatures see them: percent-decoded (strictly, then again while escapes
/// remain), form fields split and decoded, JSON escapes and HTML character references undone. A part that cannot be decoded makes
/// the request malformed; a part longer than the screening bound makes it unscreenable.
struct ScreenedRequest {
    enum Refusal: Error {
        case malformed(String)
        case tooLarge(String)
    }

    /// Headers that carry no free text an attack could ride on, or that are checked elsewhere
    /// (the token by the verifier, the user agent as its own target).
    static let unscreenedHeaders: Set<String> = [
        "authorization", "accept", "accept-encoding", "accept-language", "content-length", "content-type", "cache-control",
        "connection", "if-none-match", "if-match", "if-modified-since", "traceparent", "tracestate", "x-request-id", "user-agent",
        "host", "pragma", "upgrade-insecure-requests",
    ]

    /// The decoded parts by target, and per part made of lines (query and form fields, header
    /// values) the UTF-8 offsets of the line breaks that join them: no request carried those, so they
    /// must not count as line breaks sent. Arrays by target: a dictionary's hashing showed in a clean
    /// request's cost.
    var parts = PerTarget<String>()
    var joins = PerTarget<[Int]>()

    struct PerTarget<Value> {
        private var values = [Value?](repeating: nil, count: FirewallRule.Target.allCases.count)

        subscript(target: FirewallRule.Target) -> Value? {
            get { values[target.position] }
            set { values[target.position] = newValue }
        }
    }

    /// `lines` as one text, each decoded on its own, and where the joining line breaks are.
    private mutating func setLines(_ lines: [String], of target: FirewallRule.Target, maximumBytes: Int) throws(Refusal) {
        var text = "", offsets: [Int] = []
        for (index, line) in lines.enumerated() {
            if index > 0 {
                offsets.append(text.utf8.count)
                text += "\n"
            }
            text += HTMLEntities.decoded(line)
            guard text.utf8.count <= maximumBytes else { throw .tooLarge(target.rawValue) }
        }
        parts[target] = text
        if !offsets.isEmpty { joins[target] = offsets }
    }

    init(_ request: WebFirewall.Request, maximumBytes: Int) throws(Refusal) {
        func bounded(_ text: String, _ target: FirewallRule.Target) throws(Refusal) -> String {
            guard text.utf8.count <= maximumBytes else { throw .tooLarge(target.rawValue) }
            return text
        }
        do {
            parts[.path] = PercentDecoding.residual(try PercentDecoding.strict(request.rawPath[...], plusIsSpace: false))
        } catch {
            throw .malformed("the path has an invalid percent escape")
        }
        if let query = request.rawQuery, !query.isEmpty {
            do {
                try setLines(try PercentDecoding.formFields(query), of: .query, maximumBytes: maximumBytes)
            } catch let refusal as Refusal {
                throw refusal
            } catch {
                throw .malformed("the query has an invalid percent escape")
            }
        }
        var userAgent = "", headers: [String] = []
        for (name, value) in request.headers {
            let lowered = name.lowercased()
            if lowered == "user-agent" {
                userAgent = value
            } else if !Self.unscreenedHeaders.contains(lowered) {
                headers.append(PercentDecoding.residual(value, passes: 3))
            }
        }
        parts[.userAgent] = try bounded(userAgent, .userAgent)
        try setLines(headers, of: .headers, maximumBytes: maximumBytes)
        if let body = request.body, !body.isEmpty {
            guard body.count <= maximumBytes else { throw .tooLarge("body") }
            if Self.isForm(request.contentType) {
                let text = String(decoding: body, as: UTF8.self)
                do {
                    try setLines(try PercentDecoding.formFields(text), of: .body, maximumBytes: maximumBytes)
                } catch let refusal as Refusal {
                    throw refusal
                } catch {
                    throw .malformed("the form body has an invalid percent escape")
                }
            } else {
                // Whatever the declared type, text that is JSON is screened with its escapes undone, and
                // with percent escapes inside its strings decoded as a service might decode them.
                parts[.body] = HTMLEntities.decoded(PercentDecoding.residual(JSONText.unescaped(body)))
            }
        }
    }

    static func isForm(_ contentType: String?) -> Bool {
        contentType?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false
    }
}
