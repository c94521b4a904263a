/// One page of a listing, newest change first, and where the next one starts.
public struct JobPage: Sendable {
    public var jobs: [Job]
    /// Where the next page starts; nil where the listing ends. A page with fewer postings than
    /// asked for may still have one (see ``SQLJobStore/list(_:)``).
    public var next: JobCursor?

    public init(jobs: [Job], next: JobCursor?) {
        self.jobs = jobs
        self.next = next
    }
}

/// A place in a cell's listing: postings are listed by the cell's change sequence, last written
/// first, and a cursor names the change number of the last posting already listed. It belongs to
/// the cell that gave it (each cell numbers the writes of its copy of the catalog); as text it is
/// the number in decimal, which clients pass back as they got it.
public struct JobCursor: Sendable, Hashable, LosslessStringConvertible {
    /// The next page holds the postings whose change number is below this one.
    public let sequence: Int64

    public init(sequence: Int64) {
        self.sequence = sequence
    }

    /// A cursor from its text: 1 to 19 decimal digits naming a positive number, nothing else.
    public init?(_ description: String) {
        guard (1...19).contains(description.utf8.count), description.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
              let value = Int64(description), value > 0 else { return nil }
        sequence = value
    }

    public var description: String { String(sequence) }
}
