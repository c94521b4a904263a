public import Logging
public import Foundation
internal import Sovereignty
internal import ObjectStorage
public import ServiceLifecycle
internal import UserService

/// Applies the documents' lifecycle rules (archive after 90 days, expire replaced versions) to every
/// cell's object store at start and then once a day, until graceful shutdown. An S3 bucket whose
/// service implements lifecycle rules is also given them (each pass sends them again, so a change
/// reaches it within a day); this pass applies them either way.
public struct DocumentLifecycleService: Service {
    let cells: [Cell]
    let interval: Duration
    let logger: Logger

    public init(cells: [Cell], interval: Duration = .seconds(86_400), logger: Logger) {
        self.cells = cells
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await sweep()
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// One pass over every cell; a failing cell is logged and does not stop the others.
    public func sweep(now: Date = Date()) async {
        for cell in cells {
            do {
                let report = try await cell.documents.applyLifecycle(now: now)
                if report.archived + report.expired > 0 {
                    logger.info("document lifecycle applied", metadata: [
                        "region": "\(cell.region.id)", "archived": "\(report.archived)", "expired": "\(report.expired)",
                    ])
                }
            } catch {
                logger.error("document lifecycle failed", metadata: ["region": "\(cell.region.id)", "error": "\(error)"])
            }
        }
    }
}
