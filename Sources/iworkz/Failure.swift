import ArgumentParser
import Foundation

/// An error an operator must fix: printed as one line on standard error, exit status 1.
struct Failure: Error, CustomStringConvertible {
    let message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}

extension AsyncParsableCommand {
    /// Runs the body, turning a ``Failure`` into a one-line message and exit status 1.
    static func reportingFailures(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let failure as Failure {
            FileHandle.standardError.write(Data("error: \(failure.message)\n".utf8))
            throw ExitCode.failure
        }
    }
}
