import Foundation
import Gateway
import Platform

/// The public edge (the gateway, alone or all-in-one). Keys:
/// - `tlsCert`, `tlsKey`: a PEM certificate chain and its key; with both, the listener serves HTTPS
///   only (TLS 1.3, HSTS);
/// - `maxInFlight`, `maxConnectionsPerAddress`: override `server.yaml`'s load-shedding and
///   per-address connection limits;
/// - `redisUrl`: `redis://host:port` shared by replicas (rate limits, response cache, match events);
///   `redisNamespace`: its channel prefix (default `iworkz`).
struct EdgeSettings {
    let tls: EdgeTLS?
    let maxInFlight: Int?
    let maxConnectionsPerAddress: Int?
    let redisURL: String?
    let redisNamespace: String

    init(_ settings: Settings) {
        switch (settings.string("tlsCert"), settings.string("tlsKey")) {
        case (nil, nil):
            tls = nil
        case (let certificate?, let key?):
            do throws(PlatformError) {
                tls = try EdgeTLS(certificatePath: certificate, keyPath: key)
            } catch {
                settings.add(error.message)
                tls = nil
            }
        default:
            settings.add("--tls-cert and --tls-key go together (IWORKZ_TLS_CERT, IWORKZ_TLS_KEY)")
            tls = nil
        }
        maxInFlight = settings.int("maxInFlight", in: 1...1_000_000)
        maxConnectionsPerAddress = settings.int("maxConnectionsPerAddress", in: 1...1_000_000)
        redisURL = settings.string("redisUrl")
        redisNamespace = settings.string("redisNamespace") ?? "iworkz"
    }

    /// The configuration's limits with this edge's overrides; their problems join the others.
    func apply(to config: inout LoadedConfiguration, settings: Settings) {
        if let maxInFlight { config.limits.maxInFlightRequests = maxInFlight }
        if let maxConnectionsPerAddress { config.limits.maxConnectionsPerAddress = maxConnectionsPerAddress }
        for problem in config.limits.problems { settings.add("server.yaml: \(problem)") }
    }
}
