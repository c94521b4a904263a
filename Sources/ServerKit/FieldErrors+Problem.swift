public import Workforce

extension FieldErrors {
    /// The errors as RFC 9457 extension members.
    public var problems: [Problem.FieldError] {
        items.map { Problem.FieldError(pointer: $0.pointer, detail: $0.detail) }
    }
}
