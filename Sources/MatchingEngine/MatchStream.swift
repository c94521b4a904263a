public import Foundation
public import Hummingbird
internal import JobService
internal import Sovereignty
internal import NIOCore
public import ServerKit
internal import ServiceLifecycle

/// `GET /api/v1/matching/stream`: server-sent events, one `match` event per new posting in the
/// worker's cell that they may take and that scores at least `min_score` (default 60), with a
/// comment line every 15 seconds so proxies keep the connection open.
extension MatchingRoutes {
    enum StreamItem: Sendable {
        case match(MatchNotifier.Event)
        case heartbeat
    }

    struct StreamedMatch: Encodable {
        let job: JobSummary
        let score: Double
        let explanation: [Contribution]
        let eligibility: EligibilityDecision
    }

    struct JobSummary: Encodable {
        let id: String
        let title: String
        let originRegion: String

        enum CodingKeys: String, CodingKey {
            case id, title
            case originRegion = "origin_region"
        }
    }

    func stream(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let notifier else { throw Problem.notFound("real-time matching is not enabled in this cell") }
        let query = try await workerQuery(context)
        var minimumScore = 60.0
        if let text = request.formQuery["min_score"] {
            guard let value = Double(text), (0...100).contains(value) else {
                throw Problem.validationFailed([.init(pointer: "?min_score", detail: "must be a number from 0 to 100")])
            }
            minimumScore = value
        }
        let (id, events) = notifier.subscribe(query, minimumScore: minimumScore, person: context.principal?.userID.description)
        let heartbeat = heartbeatInterval
        let body = ResponseBody { writer in
            defer { notifier.unsubscribe(id) }
            let (merged, continuation) = AsyncStream.makeStream(of: StreamItem.self)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await event in events { continuation.yield(.match(event)) }
                    continuation.finish()
                }
                group.addTask {
                    while true {
                        try await Task.sleep(for: heartbeat)
                        continuation.yield(.heartbeat)
                    }
                }
                group.addTask {
                    // A server shutting down ends the stream, so it does not wait for clients to leave.
                    try? await gracefulShutdown()
                    continuation.finish()
                }
                defer { group.cancelAll() }
                try await writer.write(ByteBuffer(string: ": connected\n\n"))
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                for await item in merged {
                    switch item {
                    case .heartbeat:
                        try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    case .match(let event):
                        let payload = StreamedMatch(
                            job: JobSummary(id: event.job.id.description, title: event.job.content.title,
                                            originRegion: event.job.originRegion.rawValue),
                            score: event.match.score, explanation: event.match.explanation, eligibility: event.match.eligibility)
                        let json = String(decoding: try encoder.encode(payload), as: UTF8.self)
                        try await writer.write(ByteBuffer(string: "event: match\nid: \(event.job.id)\ndata: \(json)\n\n"))
                    }
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
    }
}
