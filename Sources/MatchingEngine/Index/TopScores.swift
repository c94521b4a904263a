/// The best `capacity` entries seen, by score (ties: the newer version first), in a min-heap.
struct TopScores {
    struct Entry {
        let score: Double
        let version: Int64
        let slot: Int32
    }

    let capacity: Int
    private(set) var heap: [Entry] = []

    init(capacity: Int) {
        self.capacity = capacity
        heap.reserveCapacity(capacity)
    }

    private static func worse(_ a: Entry, _ b: Entry) -> Bool {
        a.score != b.score ? a.score < b.score : a.version != b.version ? a.version < b.version : a.slot > b.slot
    }

    var isFull: Bool { capacity > 0 && heap.count >= capacity }

    /// The score an entry must beat to enter once the heap is full.
    var threshold: Double { heap.count < capacity ? -.infinity : heap[0].score }

    mutating func offer(_ entry: Entry) {
        guard capacity > 0 else { return }
        if heap.count < capacity {
            heap.append(entry)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.worse(heap[child], heap[parent]) else { break }
                heap.swapAt(child, parent)
                child = parent
            }
        } else if Self.worse(heap[0], entry) {
            heap[0] = entry
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < heap.count, Self.worse(heap[left], heap[smallest]) { smallest = left }
                if right < heap.count, Self.worse(heap[right], heap[smallest]) { smallest = right }
                guard smallest != parent else { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
    }

    /// Best first.
    var sorted: [Entry] { heap.sorted { Self.worse($1, $0) } }
}
