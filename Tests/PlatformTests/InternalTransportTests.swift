import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import MutualTLS
import Platform
import ServiceLifecycle
import Synchronization
import Testing

@Suite("Internal transport")
struct InternalTransportTests {
    /// The sign-in answers 303 to the client's redirect URI with the authorization code: the gateway
    /// must hand that to the browser, never follow it (which failed every sign-in through a separate
    /// gateway, and would have fetched the client's URI, code and all, from inside the platform).
    @Test func aRedirectIsPassedBackNotFollowed() async throws {
        let followed = Atomic<Int>(0)
        let router = Router()
        router.post("/oauth/authorize") { _, _ -> Response in
            Response(status: .seeOther, headers: [.location: "/callback?code=secret-code"])
        }
        router.get("/callback") { _, _ -> Response in
            followed.add(1, ordering: .relaxed)
            return Response(status: .ok)
        }
        let port = Mutex(0)
        let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                      onServerRunning: { channel in port.withLock { $0 = channel.localAddress!.port! } },
                                      logger: Logger(label: "backend") { _ in SwiftLogNoOpLogHandler() })
        let group = ServiceGroup(services: [application], logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let client = try InternalTransport.insecure.client(as: ServiceIdentity(region: "jp-tokyo", role: .gateway))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while port.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(20)) }
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port.withLock { $0 })/oauth/authorize")
            request.method = .POST
            let response = try await client.execute(request, timeout: .seconds(10))
            #expect(response.status.code == 303)
            #expect(response.headers.first(name: "Location") == "/callback?code=secret-code")
            #expect(followed.load(ordering: .relaxed) == 0)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        try await client.shutdown()
    }
}
