import Synchronization

/// Stops long calls on request: `cds_interrupt` raises the generation, and every call that
/// began before it sees its token interrupted at its next checkpoint and answers the error
/// `interrupted`. Calls that begin afterwards are not affected.
public final class Interrupter: Sendable {
    private let generation = Atomic<Int>(0)

    /// An interrupter with nothing interrupted.
    public init() {}

    /// Interrupts every call in progress.
    public func interrupt() { generation.add(1, ordering: .sequentiallyConsistent) }

    /// The token of a call that begins now.
    public func token() -> InterruptToken { InterruptToken(interrupter: self, start: generation.load(ordering: .sequentiallyConsistent)) }

    fileprivate var current: Int { generation.load(ordering: .sequentiallyConsistent) }
}

/// What a long loop checks between steps of work.
public struct InterruptToken: Sendable {
    let interrupter: Interrupter?
    let start: Int

    /// A token that is never interrupted (for work no host can stop).
    public static let never = InterruptToken(interrupter: nil, start: 0)

    /// True once `cds_interrupt` was called after this token's call began.
    public var isInterrupted: Bool { interrupter.map { $0.current != start } ?? false }

    /// Throws `interrupted` if the call was interrupted.
    public func check() throws(CDSError) {
        if isInterrupted { throw CDSError.interrupted }
    }
}
