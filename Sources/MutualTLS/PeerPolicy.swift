/// Which roles may call which, inside a region and across regions.
///
/// The gateway calls every role of every region; inside a region, backend-api calls the matching engine
/// and the agent, and they call it back (profiles, cards); across regions only backend-api calls
/// backend-api (application delivery and retraction, erasure notices, catalog replication) and the
/// matching engine asks backend-api for candidate cards. Anything else is refused.
public struct PeerPolicy: Sendable {
    public init() {}

    public func allows(caller: ServiceIdentity, callee: ServiceIdentity) -> Bool {
        if caller.role == .gateway { return callee.role != .gateway }
        if caller.region == callee.region {
            switch (caller.role, callee.role) {
            case (.backendAPI, .matchingEngine), (.backendAPI, .aiAgent), (.matchingEngine, .backendAPI), (.aiAgent, .backendAPI): return true
            default: return false
            }
        }
        switch (caller.role, callee.role) {
        case (.backendAPI, .backendAPI), (.matchingEngine, .backendAPI): return true
        default: return false
        }
    }
}
