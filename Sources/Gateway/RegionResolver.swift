internal import Foundation
public import ServerKit
public import Sovereignty

/// Decides which cell serves a request, in the order the architecture fixes:
/// record id in the path, token claim, home region named in the body (registration), `X-Region`,
/// client country (`CF-IPCountry`), default region. A standby is served by its primary.
public struct RegionResolver: Sendable {
    /// Where the decision came from, for logs and the `X-Region-Source` header.
    public enum Source: String, Sendable {
        case recordID = "id"
        case token
        case body
        case header
        case clientCountry = "country"
        case `default`
    }

    public struct Resolution: Sendable, Equatable {
        /// The cell that serves the request.
        public let region: Region
        public let source: Source
    }

    /// What the resolver looks at.
    public struct Hints: Sendable {
        public var pathSegments: [String] = []
        public var principal: Principal?
        /// `home_region` of a JSON body.
        public var bodyHomeRegion: String?
        /// `country_of_residence` of a JSON body.
        public var bodyCountry: String?
        public var regionHeader: String?
        public var clientCountry: String?

        public init() {}
    }

    public let catalog: RegionCatalog

    public init(catalog: RegionCatalog) {
        self.catalog = catalog
    }

    public func resolve(_ hints: Hints) throws(Problem) -> Resolution {
        // A region that does not exist is the client's mistake even where something else decides.
        let requested = try hints.regionHeader.map { name throws(Problem) in
            guard let region = catalog.region(RegionID(name.trimmingCharacters(in: .whitespaces))) else {
                let known = catalog.regions.map(\.id.rawValue).joined(separator: ", ")
                throw Problem.unknownRegion("X-Region \(name.prefix(64)) is not a configured region; one of \(known)")
            }
            return region
        }
        if let id = try recordID(in: hints.pathSegments) {
            // A well-formed id of a region this deployment has no cell for names no record here.
            guard let region = catalog.region(code: id.regionCode) else {
                throw Problem.notFound("no record \(id): no configured region has the code \(id.regionCode)")
            }
            return serving(region, .recordID)
        }
        if let principal = hints.principal {
            guard let region = catalog.region(principal.homeRegion) else {
                throw Problem.unknownRegion("the token's region \(principal.homeRegion) is not configured")
            }
            return serving(region, .token)
        }
        if let name = hints.bodyHomeRegion {
            guard let region = catalog.region(RegionID(name)) else {
                throw Problem.unknownRegion("home_region \(name.prefix(64)) is not a configured region")
            }
            return serving(region, .body)
        }
        if let country = hints.bodyCountry, let region = catalog.region(country: country) {
            return serving(region, .body)
        }
        if let requested {
            return serving(requested, .header)
        }
        if let country = hints.clientCountry, let region = catalog.region(country: country) {
            return serving(region, .clientCountry)
        }
        return serving(catalog.region(catalog.defaultRegion)!, .default)
    }

    /// The first path segment that is a regional id; a segment that looks like one but is not valid is an error.
    private func recordID(in segments: [String]) throws(Problem) -> RegionalID? {
        for segment in segments {
            guard let prefix = segment.split(separator: "_", maxSplits: 1).first,
                  segment.contains("_"), RegionalID.Kind(rawValue: String(prefix)) != nil else { continue }
            do {
                return try RegionalID.parse(segment)
            } catch {
                throw Problem.malformedID("\(error.message): \(segment.prefix(80))")
            }
        }
        return nil
    }

    private func serving(_ region: Region, _ source: Source) -> Resolution {
        if region.role == .standby, let primary = region.standbyFor.flatMap(catalog.region) {
            return Resolution(region: primary, source: source)
        }
        return Resolution(region: region, source: source)
    }
}
