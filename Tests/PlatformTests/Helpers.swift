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
