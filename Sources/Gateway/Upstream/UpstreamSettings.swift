/// How an HTTP upstream treats its endpoints.
public struct UpstreamSettings: Sendable {
    /// Time to open a connection to an endpoint.
    public var connectTimeout: Duration = .seconds(2)
    /// Time for the whole exchange with one endpoint.
    public var requestTimeout: Duration = .seconds(30)
    /// Endpoints tried for an idempotent request (GET, HEAD, PUT, DELETE, OPTIONS) that failed on the
    /// network or with 502/503/504; other requests are sent once.
    public var attempts: Int = 2
    /// Consecutive failures after which an endpoint is taken out of rotation (passive outlier ejection).
    public var ejectAfterFailures: Int = 3
    /// How long an ejected endpoint stays out before it is tried again, unless a health check brings it
    /// back sooner.
    public var ejectionDuration: Duration = .seconds(30)
    /// Interval of the active health checks (`GET <endpoint>/health`), and their timeout.
    public var healthCheckInterval: Duration = .seconds(5)
    public var healthCheckTimeout: Duration = .seconds(2)
    /// Largest body relayed, either way.
    public var maxBodyBytes: Int = 64 << 20

    public init() {}
}
