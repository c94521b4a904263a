internal import Gateway
internal import HummingbirdCore
internal import Observability
internal import NIOCore

/// The public listener's HTTP/1.1 server: header limits at the decoder, a connection cap per address,
/// read deadlines per request and an idle timeout, so slow or oversized requests never reach the
/// gateway. The all-in-one process and the gateway role serve the same way.
struct EdgeServer {
    let limits: ServerLimits
    let limiter: ConnectionLimiter
    let metrics: HTTPMetrics

    func builder() -> HTTPServerBuilder {
        let limiter = limiter
        let limits = limits
        let metrics = metrics
        return .http1(configuration: .init(
            additionalChannelHandlers: [
                limiter.handler(),
                RequestDeadlineHandler(
                    headerTimeout: .seconds(Int64(limits.headerTimeoutSeconds)), bodyTimeout: .seconds(Int64(limits.bodyTimeoutSeconds)),
                    onTimeout: { phase in metrics.recordSlowClient(phase: phase.rawValue) }),
            ],
            idleTimeout: .seconds(Int64(limits.idleTimeoutSeconds)),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: 8 * 1024, maxHeaderListSize: 32 * 1024, maxHeaderFieldCount: 100)))
    }
}
