@testable import Gateway
import ServerKit
import Sovereignty
import Testing

/// A gateway in front of separate processes sends each OAuth request to the authorization server
/// of the region it concerns.
@Suite("OAuth forwarding")
struct OAuthForwardingTests {
    let forwarding = OAuthForwarding(catalog: try! RegionCatalog(yaml: RegionResolverTests.catalogYAML), upstreams: [:],
                                     fallback: RegionID("jp-tokyo"))

    func region(_ form: String, header: String? = nil) -> String {
        forwarding.region(for: FormEncoded(form[...]), header: header).rawValue
    }

    @Test func aCredentialNamesItsRegion() {
        #expect(region("grant_type=authorization_code&code=ac_kr1_abc&code_verifier=x") == "kr-seoul")
        #expect(region("grant_type=refresh_token&refresh_token=rt_eu1_abc") == "eu-west-1")
        #expect(region("token=rt_kr1_abc") == "kr-seoul")
        // A credential's region outranks what the header or the form claim.
        #expect(region("code=ac_kr1_abc&home_region=eu-west-1", header: "jp-tokyo") == "kr-seoul")
    }

    @Test func theSignInFormNamesTheHomeRegion() {
        #expect(region("email=a%40b.example&password=x&home_region=kr-seoul") == "kr-seoul")
    }

    @Test func otherwiseTheHeaderThenTheDefaultRegion() {
        #expect(region("grant_type=client_credentials", header: "eu-west-1") == "eu-west-1")
        #expect(region("grant_type=client_credentials") == "jp-tokyo")
        // Unknown regions and malformed credentials fall through to the default.
        #expect(region("code=ac_zz9_abc&home_region=mars-1", header: "mars-1") == "jp-tokyo")
        #expect(region("code=ac_kr1") == "jp-tokyo")
    }
}
