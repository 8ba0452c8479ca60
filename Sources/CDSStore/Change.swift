import CDSCore

/// Who changes something and when: the `actor` and `at` every mutating method takes.
public struct Change: Sendable {
    /// The member who acts (recorded in the event log); checked to exist.
    public var actor: String?
    /// When the fact happened; nil means now.
    public var at: Instant?
    /// A change by `actor` at `at`.
    public init(actor: String? = nil, at: Instant? = nil) { self.actor = actor; self.at = at }
}
