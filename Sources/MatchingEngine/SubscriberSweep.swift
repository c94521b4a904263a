public import Logging
public import ServiceLifecycle
internal import Sovereignty

/// Ends the match streams of people who are gone. In one process an erasure ends its person's
/// streams at once (the cell's revocation list); a matching engine running apart hears of no
/// erasure, so every `interval` it asks the region, through the ``WorkerProfiles`` port, whether each
/// person with an open stream still has a profile, and ends the streams of those who do not.
public struct SubscriberSweep: Service {
    let notifier: MatchNotifier
    let profiles: any WorkerProfiles
    let interval: Duration
    let logger: Logger

    public init(notifier: MatchNotifier, profiles: any WorkerProfiles, interval: Duration = .seconds(15), logger: Logger) {
        self.notifier = notifier
        self.profiles = profiles
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                await sweep()
            }
        }
    }

    /// One pass; a person whose region cannot be asked keeps their stream until the next pass.
    public func sweep() async {
        for person in notifier.subscribedPersons {
            guard let id = try? RegionalID.parse(person) else { continue }
            do {
                if try await profiles.query(for: id) == nil { notifier.end(person: person) }
            } catch {
                logger.debug("cannot check a subscriber's profile", metadata: ["error": "\(error)"])
                return
            }
        }
    }
}
