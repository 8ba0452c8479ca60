/// The hash chain of the event log: each event's hash covers the previous event's hash,
/// so that changing, removing or reordering any past event breaks every later link.
public enum EventChain {
    /// The `prev_hash` of the first event.
    public static let genesis = String(repeating: "0", count: 64)

    /// The hash of the payload text, which the chain covers (so a payload can be redacted
    /// for erasure while its hash stays and the chain still verifies).
    public static func payloadHash(_ payload: String) -> String { SHA256.hex(payload) }

    /// The hash of one event, from its fields and the previous event's hash.
    public static func hash(prev: String, seq: Int64, recordedAt: Int64, occurredAt: Int64, actor: String?,
                            type: String, subject: String, payloadHash: String) -> String {
        SHA256.hex([prev, String(seq), String(recordedAt), String(occurredAt), actor ?? "", type, subject, payloadHash].joined(separator: "\n"))
    }
}
