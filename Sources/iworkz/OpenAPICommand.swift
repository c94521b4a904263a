import ArgumentParser
import Platform

/// `iworkz openapi`: prints the API document.
struct OpenAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openapi",
        abstract: "Print the OpenAPI 3.1 document of the platform's HTTP API."
    )

    func run() async throws {
        try await Self.reportingFailures {
            do throws(PlatformError) {
                print(try ConfigDirectory.openAPIDocument(), terminator: "")
            } catch {
                throw Failure(error.message)
            }
        }
    }
}
