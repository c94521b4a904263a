public import AsyncHTTPClient
public import Foundation
internal import Logging
internal import NIOCore
internal import NIOFoundationCompat
internal import NIOHTTP1
internal import Synchronization

/// The signing keys of issuers in other processes: every region's backend-api publishes its own
/// `/.well-known/jwks.json`, and a role verifying tokens of any region needs the union.
///
/// ``AccessTokenVerifier`` asks for keys only when a token names a `kid` it has not seen, at most once
/// a second; each ask fetches every source again (a second ask within a second is answered from
/// memory). A source that cannot be reached keeps the keys it published last, so one region down
/// never stops the others' tokens from verifying.
public final class RemoteKeySet: Sendable {
    public typealias JWKS = [String: [[String: String]]]

    let sources: [String]
    let client: HTTPClient
    let timeout: Duration
    let logger: Logger
    private let state = Mutex<(keys: [String: [[String: String]]], fetched: ContinuousClock.Instant?)>(([:], nil))

    /// - Parameter sources: JWKS URLs, such as `https://10.0.1.10:8443/.well-known/jwks.json`.
    public init(sources: [String], client: HTTPClient, timeout: Duration = .seconds(3)) {
        self.sources = sources
        self.client = client
        self.timeout = timeout
        logger = Logger(label: "iworkz.jwks")
    }

    /// The union of every source's keys.
    public func keys() async -> JWKS {
        let (perSource, fetched) = state.withLock { ($0.keys, $0.fetched) }
        if let fetched, ContinuousClock.now - fetched < .seconds(1) {
            return Self.union(perSource)
        }
        await refresh()
        return Self.union(state.withLock { $0.keys })
    }

    /// Fetches every source once, keeping a failing source's last keys.
    public func refresh() async {
        let fetched = await withTaskGroup(of: (String, [[String: String]]?).self) { group in
            for source in sources {
                group.addTask { (source, await self.fetch(source)) }
            }
            var results: [(String, [[String: String]]?)] = []
            for await result in group { results.append(result) }
            return results
        }
        state.withLock { state in
            for (source, keys) in fetched {
                if let keys { state.keys[source] = keys }
            }
            state.fetched = .now
        }
    }

    private func fetch(_ source: String) async -> [[String: String]]? {
        do {
            var request = HTTPClientRequest(url: source)
            request.method = .GET
            let response = try await client.execute(request, timeout: .init(timeout))
            let body = try await response.body.collect(upTo: 256 << 10)
            guard response.status == .ok,
                  let document = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
                  let keys = document["keys"] as? [[String: Any]] else {
                logger.warning("signing keys could not be read", metadata: ["jwks_source": "\(source)", "http_status": "\(response.status.code)"])
                return nil
            }
            return keys.map { $0.compactMapValues { $0 as? String } }
        } catch {
            logger.warning("signing keys could not be fetched", metadata: ["jwks_source": "\(source)", "error_type": "\(type(of: error))"])
            return nil
        }
    }

    private static func union(_ perSource: [String: [[String: String]]]) -> JWKS {
        var seen = Set<String>()
        var keys: [[String: String]] = []
        for (_, sourceKeys) in perSource.sorted(by: { $0.key < $1.key }) {
            for key in sourceKeys where seen.insert(key["kid"] ?? "").inserted {
                keys.append(key)
            }
        }
        return ["keys": keys]
    }
}
