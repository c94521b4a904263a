internal import Foundation
internal import JobService
public import Logging
internal import MatchingEngine
internal import NIOCore
internal import RedisClient
public import ServiceLifecycle
internal import Sovereignty

/// Job writes of one cell on a Redis channel (`<namespace>:jobs:<region>`): postings are public data,
/// so the whole posting travels and a replica needs no database read to index it.
struct RedisJobEventBus: JobEventBus {
    let client: RedisClient
    let channel: String

    func publish(_ job: Job) async throws {
        try await client.publish(channel, ByteBuffer(bytes: try JSONEncoder().encode(job)))
    }
}

/// Listens on a cell's job channel and feeds each posting to the cell's index and stream
/// subscribers; reconnects after a lost connection until graceful shutdown.
public struct RedisJobEventListener: Service {
    let client: RedisClient
    let channel: String
    let jobs: IndexingJobStore
    let logger: Logger
    /// Set once the first subscription is confirmed (postings written before it are in the index
    /// from the database already).
    let ready: @Sendable () -> Void

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var backoff = Duration.milliseconds(100)
            while !Task.isCancelled {
                do {
                    let subscription = try await client.subscribe(channel)
                    ready()
                    backoff = .milliseconds(100)
                    await withTaskCancellationHandler {
                        for await message in subscription {
                            guard let job = try? JSONDecoder().decode(Job.self, from: Data(message.payload.readableBytesView)) else {
                                logger.warning("an unreadable job event was ignored", metadata: ["channel": "\(channel)"])
                                continue
                            }
                            jobs.received(job)
                        }
                    } onCancel: {
                        Task { await subscription.close() }
                    }
                    if !Task.isCancelled { logger.warning("job event subscription lost; reconnecting", metadata: ["channel": "\(channel)"]) }
                } catch {
                    logger.warning("cannot subscribe to job events", metadata: ["channel": "\(channel)", "error": "\(error)"])
                    try? await Task.sleep(for: backoff)
                    backoff = min(backoff * 2, .seconds(5))
                }
            }
        }
    }
}
