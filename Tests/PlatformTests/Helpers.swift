import HummingbirdTesting
import Platform
import Foundation
import ServerKit
import Sovereignty
import Testing

enum ServerKitIdentity {
    static func make(region: Region, catalog: RegionCatalog) -> CellIdentity {
        CellIdentity(region: region, catalog: catalog)
    }
}

enum RegionalIDFactory {
    static func user(code: String) throws -> RegionalID {
        RegionalID.generate(kind: .user, regionCode: code, millisecondsSince1970: UInt64(Date().timeIntervalSince1970 * 1000))
    }
}

extension Platform {
    /// The Prometheus exposition, read from the operations listener's router.
    func metricsText() async throws -> String {
        try await operationsApplication(host: "127.0.0.1", port: 0).test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get).text
        }
    }
}
