public import Foundation
internal import NIOSSL
internal import PostgresNIO

/// Where a region's PostgreSQL database is, read from a URL such as
/// `postgres://iworkz:secret@db.internal:5432/iworkz_jp_tokyo?sslmode=verify-full&sslrootcert=/etc/iworkz/db-ca.pem`.
///
/// `sslmode` follows libpq: `disable`, `prefer` (the default: TLS when the server offers it),
/// `require` (TLS, certificate not checked), `verify-ca` (chain checked) and `verify-full` (chain
/// and host name checked). `sslrootcert` names the CA file for the two `verify-` modes (the
/// system's roots without it); `pool_size` caps the connections this process opens (default 20).
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// How much TLS the connection demands, as libpq's `sslmode` names it.
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public let host: String
    public let port: Int
    public let username: String
    public let password: String?
    public private(set) var database: String
    public let sslMode: SSLMode
    public let rootCertificatePath: String?
    public let poolSize: Int

    /// Parses a `postgres://` or `postgresql://` URL; the error names what is wrong in one line.
    public init(url text: String) throws(PostgresLocationError) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "postgres" || scheme == "postgresql" else {
            throw PostgresLocationError("a database URL starts with postgres://")
        }
        guard let host = components.host, !host.isEmpty else { throw PostgresLocationError("the database URL names no host") }
        let database = String(components.path.drop { $0 == "/" })
        guard Self.isPlainName(database) else {
            throw PostgresLocationError("the database URL's database name must be 1–63 letters, digits or _ (got \"\(database)\")")
        }
        var sslMode = SSLMode.prefer
        var rootCertificatePath: String?
        var poolSize = 20
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    throw PostgresLocationError("sslmode must be one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(value)\"")
                }
                sslMode = mode
            case "sslrootcert":
                rootCertificatePath = value
            case "pool_size":
                guard let size = Int(value), (1...500).contains(size) else {
                    throw PostgresLocationError("pool_size must be a whole number from 1 to 500, not \"\(value)\"")
                }
                poolSize = size
            default:
                throw PostgresLocationError("the database URL has an unknown parameter \"\(item.name)\" (known: sslmode, sslrootcert, pool_size)")
            }
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = components.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        self.password = components.password.flatMap { $0.removingPercentEncoding }
        self.database = database
        self.sslMode = sslMode
        self.rootCertificatePath = rootCertificatePath
        self.poolSize = poolSize
    }

    /// The URL for one region from a template: `{region}` becomes the region's id with `-` as `_`
    /// (`…/iworkz_{region}` → `…/iworkz_jp_tokyo`), since a database name is a plain identifier.
    public static func url(template: String, region: String) -> String {
        template.replacingOccurrences(of: "{region}", with: region.replacingOccurrences(of: "-", with: "_"))
    }

    /// The same server and settings, another database (the maintenance database `postgres` to create one).
    public func with(database: String) throws(PostgresLocationError) -> PostgresLocation {
        guard Self.isPlainName(database) else { throw PostgresLocationError("\(database.prefix(80)) is not a plain database name") }
        var copy = self
        copy.database = database
        return copy
    }

    /// The URL without its password, for logs and messages.
    public var description: String {
        "postgres://\(username)@\(host):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
    }

    /// Letters, digits and `_`, 1–63 of them: a database name that needs no quoting anywhere.
    static func isPlainName(_ name: String) -> Bool {
        (1...63).contains(name.utf8.count) && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
        }
    }

    func clientConfiguration() -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = switch sslMode {
        case .disable: .disable
        case .prefer: .prefer(tlsConfiguration)
        case .require, .verifyCA, .verifyFull: .require(tlsConfiguration)
        }
        var configuration = PostgresClient.Configuration(host: host, port: port, username: username, password: password,
                                                         database: database, tls: tls)
        configuration.options.maximumConnections = poolSize
        return configuration
    }

    /// The same settings for a single connection, which reports why it failed at once (the pool
    /// retries quietly instead).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS = switch sslMode {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: tlsConfiguration))
        case .require, .verifyCA, .verifyFull: .require(try NIOSSLContext(configuration: tlsConfiguration))
        }
        return PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
    }

    private var tlsConfiguration: TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        switch sslMode {
        case .disable, .prefer, .require:
            // libpq's meaning for prefer and require: encrypted, but whoever answers is trusted.
            tls.certificateVerification = .none
        case .verifyCA, .verifyFull:
            tls.certificateVerification = sslMode == .verifyCA ? .noHostnameVerification : .fullVerification
            if let rootCertificatePath { tls.trustRoots = .file(rootCertificatePath) }
        }
        return tls
    }
}

/// A database URL that cannot be used, with a one-line reason.
public struct PostgresLocationError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
