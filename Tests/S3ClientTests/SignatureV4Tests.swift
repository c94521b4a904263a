import Foundation
import S3Client
import Testing

/// The signer reproduces AWS's published Signature Version 4 examples: the general test suite's
/// vectors and the S3 documentation's worked examples.
@Suite("Signature V4")
struct SignatureV4Tests {
    static let suiteCredentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let s3Credentials = AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    /// 2015-08-30T12:36:00Z and 2013-05-24T00:00:00Z.
    static let suiteDate = Date(timeIntervalSince1970: 1_440_938_160)
    static let s3Date = Date(timeIntervalSince1970: 1_369_353_600)
    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let method: String
        let path: String
        let query: [(name: String, value: String)]
        let headers: [(name: String, value: String)]
        let s3: Bool
        let signedHeaders: String
        let signature: String
        var testDescription: String { name }
    }

    static let vectors: [Vector] = [
        Vector(name: "get-vanilla", method: "GET", path: "/", query: [], headers: [("Host", "example.amazonaws.com")], s3: false,
               signedHeaders: "host;x-amz-date", signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        Vector(name: "post-vanilla", method: "POST", path: "/", query: [], headers: [("Host", "example.amazonaws.com")], s3: false,
               signedHeaders: "host;x-amz-date", signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        Vector(name: "get-vanilla-query-order-key-case", method: "GET", path: "/", query: [("Param2", "value2"), ("Param1", "value1")],
               headers: [("Host", "example.amazonaws.com")], s3: false,
               signedHeaders: "host;x-amz-date", signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        Vector(name: "S3 GET object with a range", method: "GET", path: "/test.txt", query: [],
               headers: [("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9"), ("x-amz-content-sha256", emptyHash)], s3: true,
               signedHeaders: "host;range;x-amz-content-sha256;x-amz-date",
               signature: "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"),
        Vector(name: "S3 list objects", method: "GET", path: "/", query: [("max-keys", "2"), ("prefix", "J")],
               headers: [("Host", "examplebucket.s3.amazonaws.com"), ("x-amz-content-sha256", emptyHash)], s3: true,
               signedHeaders: "host;x-amz-content-sha256;x-amz-date",
               signature: "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"),
    ]

    @Test(arguments: vectors)
    func reproducesThePublishedSignature(_ vector: Vector) {
        let signer = vector.s3 ? SignatureV4(credentials: Self.s3Credentials, region: "us-east-1", service: "s3")
            : SignatureV4(credentials: Self.suiteCredentials, region: "us-east-1", service: "service")
        let added = signer.sign(.init(method: vector.method, encodedPath: vector.path, query: vector.query, headers: vector.headers,
                                      payloadHash: Self.emptyHash),
                                date: vector.s3 ? Self.s3Date : Self.suiteDate)
        let authorization = added.first { $0.name == "Authorization" }?.value ?? ""
        let scope = vector.s3 ? "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request" : "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request"
        #expect(authorization == "AWS4-HMAC-SHA256 Credential=\(scope), SignedHeaders=\(vector.signedHeaders), Signature=\(vector.signature)")
        #expect(added.first { $0.name == "x-amz-date" }?.value == (vector.s3 ? "20130524T000000Z" : "20150830T123600Z"))
    }

    @Test func aDifferentSecretOrBodyGivesAnotherSignature() {
        let request = SignatureV4.Request(method: "GET", encodedPath: "/", headers: [("Host", "example.amazonaws.com")], payloadHash: Self.emptyHash)
        let signature = { (signer: SignatureV4, request: SignatureV4.Request) in
            signer.sign(request, date: Self.suiteDate).first { $0.name == "Authorization" }?.value
        }
        let right = SignatureV4(credentials: Self.suiteCredentials, region: "us-east-1", service: "service")
        let wrong = SignatureV4(credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "another"), region: "us-east-1", service: "service")
        #expect(signature(right, request) != signature(wrong, request))
        var withBody = request
        withBody.payloadHash = SignatureV4.payloadHash(Data("body".utf8))
        #expect(signature(right, request) != signature(right, withBody))
    }

    @Test func pathsAreEncodedOncePerSegment() {
        #expect(SignatureV4.encodePath("/bucket/a b/ü~x.pdf") == "/bucket/a%20b/%C3%BC~x.pdf")
        #expect(SignatureV4.encode("a/b+c=") == "a%2Fb%2Bc%3D")
    }
}
