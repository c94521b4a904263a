public import Platform
import Logging
import ServiceLifecycle
import Synchronization
public import NIOCore
import NIOPosix

/// The platform's real HTTP server on a free loopback port, for tests that need sockets.
public enum LiveServer {
    /// Runs `body` with the bound port while the server runs, then shuts it down gracefully.
    public static func run<T: Sendable>(_ platform: Platform, _ body: @Sendable (Int) async throws -> T) async throws -> T {
        let port = BoundPort()
        let application = platform.application(host: "127.0.0.1", port: 0) { bound in port.value.withLock { $0 = bound } }
        let service = ServiceGroup(services: [application] + platform.services, logger: Logger(label: "test"))
        let ended = BoundPort()
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                defer { ended.value.withLock { $0 = 1 } }
                try await service.run()
                return nil
            }
            while port.value.withLock({ $0 }) == 0 {
                // A service group that ended before the listener bound has failed to start: its error
                // ends the test here rather than a wait that runs into the test's time limit.
                if ended.value.withLock({ $0 }) != 0 {
                    _ = try await group.next()
                    throw LiveServerError("the platform's services ended before the listener was bound")
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            let result: T
            do {
                result = try await body(port.value.withLock { $0 })
            } catch {
                await service.triggerGracefulShutdown()
                throw error
            }
            await service.triggerGracefulShutdown()
            try await group.waitForAll()
            return result
        }
    }
}

/// The port a server bound, shared by reference with the closure that learns it.
/// A number set from one task and read from another: the bound port, or whether the services ended.
final class BoundPort: Sendable {
    let value = Mutex<Int>(0)
}

/// A raw TCP connection that writes bytes as given and keeps what the server sends back.
public final class RawConnection: Sendable {
    public let channel: any Channel
    private let received: Received

    public static func connect(port: Int) async throws -> RawConnection {
        let received = Received()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(received) } }
            .connect(host: "127.0.0.1", port: port).get()
        return RawConnection(channel: channel, received: received)
    }

    private init(channel: any Channel, received: Received) {
        self.channel = channel
        self.received = received
    }

    public func send(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text))
    }

    /// Everything received so far, as text.
    public var text: String { received.bytes.withLock { String(decoding: $0, as: UTF8.self) } }

    public var isOpen: Bool { channel.isActive }

    private final class Received: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let bytes = Mutex<[UInt8]>([])

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            bytes.withLock { $0.append(contentsOf: buffer.readableBytesView) }
        }
    }
}

/// A live server that could not be started.
public struct LiveServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
