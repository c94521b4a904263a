/// Collects field-level validation problems as (JSON pointer, detail) pairs.
public struct FieldErrors: Sendable {
    public private(set) var items: [(pointer: String, detail: String)] = []

    public init() {}

    public var isEmpty: Bool { items.isEmpty }

    public mutating func add(_ pointer: String, _ detail: String) {
        items.append((pointer, detail))
    }

    public mutating func check(_ condition: Bool, _ pointer: String, _ detail: String) {
        if !condition { add(pointer, detail) }
    }

    /// Checks a string's length in characters, counting a missing string as empty.
    public mutating func checkLength(_ text: String?, _ pointer: String, min: Int = 1, max: Int) {
        let count = text?.count ?? 0
        if count < min || count > max { add(pointer, "must be \(min) to \(max) characters") }
    }

    /// Checks an ISO date `YYYY-MM-DD`.
    public mutating func checkDate(_ text: String?, _ pointer: String) {
        guard let text else { return }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let valid = parts.count == 3 && parts[0].count == 4 && parts[1].count == 2 && parts[2].count == 2
            && Int(parts[0]) != nil && (1...12).contains(Int(parts[1]) ?? 0) && (1...31).contains(Int(parts[2]) ?? 0)
        if !valid { add(pointer, "must be a date YYYY-MM-DD") }
    }
}
