/// Which roles may connect to which, inside a region and across regions: only where the platform
/// makes calls. What each may then ask is checked again by route (the public API answers the gateway
/// only; each internal route names its callers).
///
/// The gateway calls every role of every region. Every role reads the signing keys each region's
/// backend-api publishes, so the matching engine and the agent may connect to any backend-api; the
/// engine's other calls (the catalog feed, workers' profiles) its own region's backend-api answers
/// alone. Across regions backend-api calls backend-api (catalog replication, application delivery,
/// erasure notices, candidate cards). No role calls the matching engine, the agent or the gateway
/// but the gateway, and a role never calls itself.
public struct PeerPolicy: Sendable {
    public init() {}

    public func allows(caller: ServiceIdentity, callee: ServiceIdentity) -> Bool {
        switch (caller.role, callee.role) {
        case (.gateway, let callee): callee != .gateway
        case (.matchingEngine, .backendAPI), (.aiAgent, .backendAPI): true
        case (.backendAPI, .backendAPI): caller.region != callee.region
        default: false
        }
    }
}
