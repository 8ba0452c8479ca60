/// The events of solidarity finance, v1. Each writes `{"after": <the fact>}`:
/// `programme.defined` (the programme's definition with its version), `valuation.set` (the
/// rate), `rate.set` (`{"from", "to", "rate", "on"}`), `campaign.created`, `campaign.opened`,
/// `campaign.settled` (the campaign), `gift.pledged`, `gift.collected`, `gift.cancelled`,
/// `gift.errored`, `gift.dropped`, `gift.refunded` (the gift, with its matches), `pool.created`
/// (the pool). Nothing is deleted: a refund or a release is a compensating event.
public enum FinanceEvents {
    /// The v1 payload of a fact.
    public static func payload(_ after: JSON) -> JSON { ["after": after] }
    /// The fact a payload records.
    public static func decode(_ r: PayloadReader) throws(CDSError) -> PayloadReader { try r.part("after") }
    /// The fact a payload records, as JSON (read back by the fact's own reader).
    public static func fact(_ r: PayloadReader) throws(CDSError) -> JSON { .object(try r.part("after").object) }
}
