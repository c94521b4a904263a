internal import NIOCore

/// What a cluster's error reply asks of the client.
enum RedisClusterReply {
    /// `MOVED slot host:port`: the slot lives there now.
    case moved(slot: Int, to: RedisEndpoint)
    /// `ASK slot host:port`: this once, ask there (after `ASKING`); the slot is being migrated.
    case ask(slot: Int, to: RedisEndpoint)
    /// Nothing ran and the cluster is changing (a failover, a migration, a node loading): the same
    /// command may be sent again once the map is asked for again.
    case retry
    /// Anything else: the caller's answer.
    case final

    init(_ error: any Error, from target: RedisEndpoint) {
        guard let error = error as? RedisError else { self = .final; return }
        switch error {
        case .unreachable:
            self = .retry
        case .server(let message):
            let words = message.split(separator: " ")
            switch words.first {
            case "MOVED", "ASK":
                // An empty host (`MOVED 3999 :6380`) means "the address you reached me on".
                guard words.count == 3, let slot = Int(words[1]), (0..<RedisSlot.count).contains(slot),
                      let endpoint = RedisEndpoint(words[2].hasPrefix(":") ? Substring(target.host) + words[2] : words[2]) else {
                    self = .final
                    return
                }
                self = words.first == "MOVED" ? .moved(slot: slot, to: endpoint) : .ask(slot: slot, to: endpoint)
            case "TRYAGAIN", "CLUSTERDOWN", "LOADING", "READONLY", "MASTERDOWN":
                self = .retry
            default:
                self = .final
            }
        default:
            self = .final
        }
    }
}

extension RedisClient {
    /// Sends a command to the master of its key's slot, following `MOVED` and `ASK`, and waiting
    /// out a failover (within ``RedisConfiguration/clusterRetryWindow``) when the master cannot be
    /// reached or the cluster says to try again. A command whose connection dropped in flight is not
    /// sent again: it may have run.
    func send(_ command: [ByteBuffer], in cluster: RedisClusterTopology) async throws -> RESPValue {
        let slot = RedisSlot.routingKey(of: command).map(RedisSlot.of)
        let deadline = ContinuousClock.now + configuration.clusterRetryWindow
        var (target, pool) = try await cluster.route(slot)
        var asking = false
        var redirects = 0
        var backoff = Duration.milliseconds(25)
        while true {
            do {
                let connection = try await pool.connection()
                if asking {
                    return try await connection.pipeline([[ByteBuffer(string: "ASKING")], command])[1].get()
                }
                return try await connection.send(buffers: command)
            } catch {
                asking = false
                switch RedisClusterReply(error, from: target) {
                case .moved(let movedSlot, let endpoint):
                    await cluster.moved(slot: movedSlot, to: endpoint)
                    (target, pool) = (endpoint, try await cluster.pool(for: endpoint))
                case .ask(_, let endpoint):
                    (target, pool) = (endpoint, try await cluster.pool(for: endpoint))
                    asking = true
                case .retry:
                    guard ContinuousClock.now + backoff < deadline else { throw error }
                    try await Task.sleep(for: backoff)
                    backoff = min(backoff * 2, .milliseconds(400))
                    _ = try? await cluster.refresh()
                    (target, pool) = try await cluster.route(slot)
                case .final:
                    if error as? RedisError == .connectionClosed || error as? RedisError == .timeout {
                        // The node may be gone: the next command should find out where its slots went.
                        Task { _ = try? await cluster.refresh() }
                    }
                    throw error
                }
                redirects += 1
                guard redirects <= 16 else { throw error }
            }
        }
    }

    /// A pipeline split by the master each command's slot lives on, one round trip per master;
    /// a command answered with a redirect or "try again" is sent again on its own.
    func pipeline(_ commands: [[ByteBuffer]], in cluster: RedisClusterTopology) async throws -> [Result<RESPValue, any Error>] {
        var groups: [RedisEndpoint: [Int]] = [:]
        var targets: [RedisEndpoint] = []
        for command in commands {
            let target = try await cluster.master(for: RedisSlot.routingKey(of: command).map(RedisSlot.of))
            groups[target, default: []].append(targets.count)
            targets.append(target)
        }
        var results = [Result<RESPValue, any Error>](repeating: .failure(RedisError.connectionClosed), count: commands.count)
        try await withThrowingTaskGroup(of: [(Int, Result<RESPValue, any Error>)].self) { group in
            for (endpoint, indices) in groups {
                group.addTask {
                    let replies: [Result<RESPValue, any Error>]
                    do {
                        replies = try await cluster.pool(for: endpoint).connection().pipeline(indices.map { commands[$0] })
                    } catch {
                        replies = indices.map { _ in .failure(error) }
                    }
                    return Array(zip(indices, replies))
                }
            }
            for try await answered in group {
                for (index, reply) in answered { results[index] = reply }
            }
        }
        // Commands of one slot were sent in order; those that must go again are sent in order too.
        for index in results.indices {
            guard case .failure(let error) = results[index] else { continue }
            switch RedisClusterReply(error, from: targets[index]) {
            case .moved, .ask, .retry:
                do { results[index] = .success(try await send(commands[index], in: cluster)) } catch { results[index] = .failure(error) }
            case .final:
                break
            }
        }
        return results
    }
}
