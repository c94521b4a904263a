import Foundation
import Sovereignty
import Testing

@Suite("Regional identifiers")
struct RegionalIDTests {
    /// A deterministic generator so failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func roundTripsThroughText() throws {
        var rng = SplitMix(state: 7)
        for kind in RegionalID.Kind.allCases {
            for millis: UInt64 in [0, 1_764_000_000_000, 0xFFFF_FFFF_FFFF] {
                let id = RegionalID.generate(kind: kind, regionCode: "KR1", millisecondsSince1970: millis, using: &rng)
                let text = id.description
                #expect(text.hasPrefix("\(kind.rawValue)_kr1_"))
                let parsed = try RegionalID.parse(text)
                #expect(parsed == id)
                #expect(parsed.millisecondsSince1970 == millis)
                #expect(parsed.regionCode == "kr1")
                #expect(RegionalID(text) == id)
            }
        }
    }

    @Test func carriesVersionAndVariantBits() {
        var rng = SplitMix(state: 1)
        for _ in 0..<200 {
            let uuid = RegionalID.generate(kind: .user, regionCode: "jp1", millisecondsSince1970: 1, using: &rng).uuid
            let characters = Array(uuid)
            #expect(characters[14] == "7")
            #expect("89ab".contains(characters[19]))
            #expect(UUID(uuidString: uuid) != nil)
        }
    }

    @Test func sortsByCreationTime() {
        var rng = SplitMix(state: 3)
        let earlier = RegionalID.generate(kind: .job, regionCode: "jp1", millisecondsSince1970: 1_000, using: &rng)
        let later = RegionalID.generate(kind: .job, regionCode: "jp1", millisecondsSince1970: 1_001, using: &rng)
        #expect(earlier.uuid < later.uuid)
    }

    @Test func checksTheKind() throws {
        let id = RegionalID.generate(kind: .job, regionCode: "eu1", millisecondsSince1970: 5)
        #expect(throws: SovereigntyError.self) { try RegionalID.parse(id.description, kind: .user) }
        #expect(try RegionalID.parse(id.description, kind: .job) == id)
    }

    @Test(arguments: [
        "",
        "usr",
        "usr_jp1",
        "usr_jp1_",
        "usr__0193a6b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
        "xyz_jp1_0193a6b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
        "USR_jp1_0193a6b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
        "usr_JP1_0193a6b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
        "usr_jpx_0193a6b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
        "usr_jp12_0193a6b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
        "usr_jp1_0193A6B2-7C4D-7E8F-9A0B-1C2D3E4F5A6B",
        "usr_jp1_0193a6b2-7c4d-4e8f-9a0b-1c2d3e4f5a6b",
        "usr_jp1_0193a6b2-7c4d-7e8f-ca0b-1c2d3e4f5a6b",
        "usr_jp1_0193a6b27c4d7e8f9a0b1c2d3e4f5a6b",
        "usr_jp1_0193a6b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b_x",
        "usr_jp1_0193a6b2-7c4d-7e8f-9a0b-1c2d3e4f5a6g",
        "usr_jp1_../../etc/passwd",
        "usr_jp1_0193a6b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b\n",
    ])
    func rejectsMalformedText(text: String) {
        #expect(RegionalID(text) == nil)
        let error = #expect(throws: SovereigntyError.self) { try RegionalID.parse(text) }
        #expect(error?.code == .malformedIdentifier)
    }

    @Test func decodesOnlyValidIdentifiers() throws {
        let id = RegionalID.generate(kind: .application, regionCode: "sg1", millisecondsSince1970: 42)
        let data = try JSONEncoder().encode([id])
        #expect(try JSONDecoder().decode([RegionalID].self, from: data) == [id])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([RegionalID].self, from: Data(#"["usr_jp1_nope"]"#.utf8))
        }
    }
}
