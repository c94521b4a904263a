internal import Foundation

extension RedisConfiguration {
    /// Parses `redis://` or `rediss://` (TLS) URLs:
    /// `rediss://[user[:password]@]host[:port][,host[:port]…][/db][?cluster=true&cacert=…&cert=…&key=…]`.
    ///
    /// Several hosts, or `cluster=true`, name a Redis Cluster (the hosts are seeds: any one that
    /// answers tells the client the rest). `cacert` is the CA file that signs the servers'
    /// certificates, `cert` and `key` a client certificate; user and password are percent-decoded.
    public init(url text: String) throws(RedisError) {
        func invalid(_ reason: String) -> RedisError { .invalidConfiguration(reason) }
        let scheme: String
        if text.hasPrefix("redis://") { scheme = "redis" } else if text.hasPrefix("rediss://") { scheme = "rediss" } else {
            throw invalid("expected redis://host[:port][/db] or rediss://…, got a malformed URL")
        }
        var rest = Substring(text.dropFirst(scheme.count + 3))
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let parts = credentials.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard let user = String(parts[0]).removingPercentEncoding,
                  let secret = parts.count == 2 ? String(parts[1]).removingPercentEncoding : "" else {
                throw invalid("the user or password is not percent-encoded correctly")
            }
            username = user.isEmpty ? nil : user
            password = parts.count == 2 ? secret : nil
        }
        var endpoints: [RedisEndpoint] = []
        for host in rest.split(separator: ",", omittingEmptySubsequences: false) {
            guard let endpoint = RedisEndpoint(host, defaultPort: 6379) else { throw invalid("'\(host.prefix(64))' is not host[:port]") }
            endpoints.append(endpoint)
        }
        guard let first = endpoints.first else { throw invalid("the URL names no host") }
        self.init(host: first.host, port: first.port, username: username, password: password, seeds: endpoints)
        if !path.isEmpty {
            guard path.utf8.count <= 5, let number = Int(path), number >= 0 else { throw invalid("database must be a number") }
            database = number
        }
        var tls = scheme == "rediss" ? RedisTLS() : nil
        isCluster = endpoints.count > 1
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            let name = String(parts[0])
            guard let value = parts.count == 2 ? String(parts[1]).removingPercentEncoding : nil, !value.isEmpty else {
                throw invalid("parameter '\(name.prefix(32))' needs a value")
            }
            switch name {
            case "cluster":
                guard let flag = ["true": true, "false": false][value] else { throw invalid("cluster must be true or false") }
                isCluster = flag
            case "cacert", "cert", "key":
                guard tls != nil else { throw invalid("\(name) needs a rediss:// URL") }
                switch name {
                case "cacert": tls?.caFile = value
                case "cert": tls?.certificateFile = value
                default: tls?.keyFile = value
                }
            default:
                throw invalid("unknown parameter '\(name.prefix(32))' (known: cluster, cacert, cert, key)")
            }
        }
        if (tls?.certificateFile == nil) != (tls?.keyFile == nil) { throw invalid("cert and key go together") }
        if isCluster && database != 0 { throw invalid("a Redis Cluster has database 0 only") }
        if endpoints.count > 1 && !isCluster { throw invalid("several hosts name a cluster; cluster=false contradicts them") }
        self.tls = tls
    }
}
