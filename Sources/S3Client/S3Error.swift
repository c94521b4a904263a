internal import Foundation

/// An S3 request that failed: the service's answer (status, its error code and message), or no answer.
public struct S3Error: Error, CustomStringConvertible, Sendable, Equatable {
    public let status: Int
    /// `NoSuchKey`, `SignatureDoesNotMatch`, `AccessDenied`, …; empty when the body named none.
    public let code: String
    public let message: String

    public init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String {
        "S3 answered \(status)\(code.isEmpty ? "" : " \(code)")\(message.isEmpty ? "" : ": \(message.prefix(200))")"
    }

    /// The error a response's XML body describes.
    static func from(status: Int, body: Data) -> S3Error {
        let document = S3XML.parse(body)
        return S3Error(status: status, code: document?.first("Code") ?? "", message: document?.first("Message") ?? "")
    }
}
