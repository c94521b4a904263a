public import HTTPTypes
public import Instrumentation
public import NIOHTTP1

/// Reads W3C trace context (`traceparent`, `tracestate`) from an incoming request's headers.
public struct HTTPFieldsExtractor: Extractor {
    public init() {}

    public func extract(key: String, from carrier: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { carrier[$0] }
    }
}

/// Writes trace context into a request about to be sent with AsyncHTTPClient, replacing any value a
/// client sent: the next hop's parent is the span that sends it.
public struct HTTPHeadersInjector: Injector {
    public init() {}

    public func inject(_ value: String, forKey key: String, into carrier: inout HTTPHeaders) {
        carrier.replaceOrAdd(name: key, value: value)
    }
}
