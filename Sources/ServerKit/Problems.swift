public import Hummingbird
public import HTTPTypes

/// The catalogue of problems shared by the gateway and every service, so each `type` has one meaning.
extension Problem {
    public static func malformedJSON(_ detail: String) -> Problem {
        Problem("malformed-json", status: .badRequest, title: "Body is not valid JSON", detail: detail)
    }

    public static func invalidBody(_ detail: String, errors: [FieldError] = []) -> Problem {
        Problem("invalid-body", status: .badRequest, title: "Body does not match the schema", detail: detail, errors: errors)
    }

    public static func unknownField(_ pointers: [String]) -> Problem {
        Problem("unknown-field", status: .badRequest, title: "Body has fields the API does not know",
                detail: "unknown field(s): \(pointers.joined(separator: ", "))",
                errors: pointers.map { .init(pointer: $0, detail: "not a field of this request") })
    }

    public static func validationFailed(_ errors: [FieldError]) -> Problem {
        Problem("validation-failed", status: .unprocessableContent, title: "Request is not valid",
                detail: errors.map { "\($0.pointer): \($0.detail)" }.joined(separator: "; "), errors: errors)
    }

    public static func bodyTooLarge(limit: Int) -> Problem {
        Problem("body-too-large", status: .contentTooLarge, title: "Body is too large",
                detail: "the body exceeds the limit of \(limit) bytes")
    }

    public static func unsupportedMediaType(_ found: String?) -> Problem {
        Problem("unsupported-media-type", status: .unsupportedMediaType, title: "Body must be JSON",
                detail: "Content-Type must be application/json, got \(found ?? "none")")
    }

    public static func unknownRegion(_ detail: String) -> Problem {
        Problem("unknown-region", status: .badRequest, title: "Region is not known", detail: detail)
    }

    public static func malformedID(_ detail: String) -> Problem {
        Problem("malformed-id", status: .badRequest, title: "Identifier is malformed", detail: detail)
    }

    public static func wrongCell(_ detail: String) -> Problem {
        Problem("wrong-cell", status: .misdirectedRequest, title: "Record belongs to another cell", detail: detail)
    }

    public static func noRoute(_ path: String) -> Problem {
        Problem("no-route", status: .notFound, title: "No route for this path", detail: "no routing rule matches \(path)")
    }

    public static func notFound(_ detail: String) -> Problem {
        Problem("not-found", status: .notFound, title: "Not found", detail: detail)
    }

    /// A 405; `allowed` fills the `Allow` header when the methods are known.
    public static func methodNotAllowed(_ detail: String, allowed: [String] = []) -> Problem {
        Problem("method-not-allowed", status: .methodNotAllowed, title: "Method not allowed", detail: detail,
                headers: allowed.isEmpty ? [:] : [.allow: allowed.joined(separator: ", ")])
    }

    /// A 401 with the RFC 6750 challenge; `error` is `invalid_token` or `invalid_request` when a token was sent.
    public static func unauthorized(_ detail: String, error: String? = nil) -> Problem {
        let challenge = error.map { "Bearer realm=\"iworkz\", error=\"\($0)\"" } ?? "Bearer realm=\"iworkz\""
        return Problem("unauthorized", status: .unauthorized, title: "Authentication required", detail: detail,
                       headers: [.wwwAuthenticate: challenge])
    }

    public static func forbidden(_ detail: String) -> Problem {
        Problem("forbidden", status: .forbidden, title: "Not allowed", detail: detail)
    }

    public static func conflict(_ slug: String, _ detail: String) -> Problem {
        Problem(slug, status: .conflict, title: "Conflict with the current state", detail: detail)
    }

    public static func homeRegionRequired(_ detail: String) -> Problem {
        Problem("home-region-required", status: .unprocessableContent, title: "Home region cannot be derived", detail: detail)
    }

    public static func regionNotAccepting(_ detail: String) -> Problem {
        Problem("region-not-accepting", status: .conflict, title: "Region does not accept new records", detail: detail)
    }

    /// No endpoint of a region's upstream can take the request now: the region is named, other regions
    /// are unaffected.
    public static func upstreamUnavailable(region: String, detail: String) -> Problem {
        Problem("upstream-unavailable", status: .serviceUnavailable, title: "Region unavailable",
                detail: "region \(region) cannot be reached: \(detail)", headers: [.retryAfter: "5"], members: ["region": region])
    }

    /// A store the request needs (the region's sessions in Redis, say) cannot be reached now; the
    /// request may be repeated shortly. Names the store's role, never its address.
    public static func storeUnavailable(_ store: String) -> Problem {
        Problem("store-unavailable", status: .serviceUnavailable, title: "Store unavailable",
                detail: "the \(store) cannot be reached now; retry shortly", headers: [.retryAfter: "5"])
    }

    public static func internalError() -> Problem {
        Problem("internal-error", status: .internalServerError, title: "Internal error",
                detail: "the server failed to handle the request; the request id identifies it in the logs")
    }
}
