public import Foundation
internal import Synchronization

/// A byte-bounded least-recently-used cache in this process.
public final class MemoryCacheStore: ResponseCacheStore {
    private struct Entry {
        var value: CachedResponse
        var lastUse: UInt64
    }

    private struct State {
        var entries: [ResponseCacheKey: Entry] = [:]
        var bytes = 0
        var clock: UInt64 = 0
    }

    public let capacityBytes: Int
    private let state = Mutex(State())

    public init(capacityBytes: Int = 64 * 1024 * 1024) {
        self.capacityBytes = capacityBytes
    }

    public func get(_ key: ResponseCacheKey) async throws -> CachedResponse? {
        state.withLock { state in
            guard var entry = state.entries[key] else { return nil }
            guard entry.value.retainUntil > Date() else {
                state.bytes -= entry.value.size
                state.entries[key] = nil
                return nil
            }
            state.clock += 1
            entry.lastUse = state.clock
            state.entries[key] = entry
            return entry.value
        }
    }

    public func set(_ key: ResponseCacheKey, _ value: CachedResponse) async throws {
        guard value.size <= capacityBytes else { return }
        state.withLock { state in
            if let old = state.entries[key] { state.bytes -= old.value.size }
            state.clock += 1
            state.entries[key] = Entry(value: value, lastUse: state.clock)
            state.bytes += value.size
            while state.bytes > capacityBytes, let victim = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                state.bytes -= victim.value.value.size
                state.entries[victim.key] = nil
            }
        }
    }

    public func invalidate(tag: String) async throws {
        state.withLock { state in
            for (key, entry) in state.entries where key.tag == tag {
                state.bytes -= entry.value.size
                state.entries[key] = nil
            }
        }
    }

    /// Bytes held, for tests and metrics.
    public var bytes: Int { state.withLock { $0.bytes } }
    public var count: Int { state.withLock { $0.entries.count } }
}
