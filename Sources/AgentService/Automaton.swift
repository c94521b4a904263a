/// Aho–Corasick over Unicode scalars: every occurrence of every pattern in one pass over the text.
struct Automaton: Sendable {
    private var next: [[Unicode.Scalar: Int32]] = [[:]]
    private var fail: [Int32] = [0]
    /// Patterns ending at each state, including those reached through failure links.
    private var outputs: [[Int32]] = [[]]
    /// Length in scalars of each pattern.
    let lengths: [Int]

    init(patterns: [[Unicode.Scalar]]) {
        lengths = patterns.map(\.count)
        for (index, pattern) in patterns.enumerated() where !pattern.isEmpty {
            var state = 0
            for scalar in pattern {
                if let existing = next[state][scalar] {
                    state = Int(existing)
                } else {
                    next.append([:])
                    fail.append(0)
                    outputs.append([])
                    next[state][scalar] = Int32(next.count - 1)
                    state = next.count - 1
                }
            }
            outputs[state].append(Int32(index))
        }
        // Breadth-first: a state's failure link is the longest proper suffix that is also a prefix.
        var queue = Array(next[0].values)
        var head = 0
        while head < queue.count {
            let state = Int(queue[head])
            head += 1
            for (scalar, child) in next[state] {
                queue.append(child)
                var link = Int(fail[state])
                while link != 0, next[link][scalar] == nil { link = Int(fail[link]) }
                let target = next[link][scalar].map(Int.init) ?? 0
                fail[Int(child)] = Int32(state == 0 ? 0 : target == Int(child) ? 0 : target)
                outputs[Int(child)] += outputs[Int(fail[Int(child)])]
            }
        }
    }

    /// Calls `found(end, pattern)` for every occurrence; `end` is exclusive.
    func search(_ text: [Unicode.Scalar], _ found: (Int, Int) -> Void) {
        var state = 0
        for (position, scalar) in text.enumerated() {
            while state != 0, next[state][scalar] == nil { state = Int(fail[state]) }
            state = next[state][scalar].map(Int.init) ?? 0
            for pattern in outputs[state] { found(position + 1, Int(pattern)) }
        }
    }
}
