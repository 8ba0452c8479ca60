/// A fact of solidarity finance as its event recorded it, read back by the fact's own reader.
public enum FinanceFact: Sendable, Equatable {
    /// `programme.defined`: the definition with its version.
    case programme(FundingProgramme)
    /// `valuation.set`: the rate.
    case valuation(ValuationRate)
    /// `rate.set`: the exchange rate.
    case rate(ExchangeRate)
    /// `campaign.created`, `campaign.opened`, `campaign.settled`: the campaign.
    case campaign(Campaign)
    /// `gift.pledged`, `.collected`, `.cancelled`, `.errored`, `.dropped`, `.refunded`: the gift with its matches.
    case gift(Gift)
    /// `pool.created`: the pool.
    case pool(MatchingPool)
}

/// The events of solidarity finance, v1. Each writes `{"after": <the fact>}`:
/// `programme.defined` (the programme's definition with its version), `valuation.set` (the
/// rate), `rate.set` (`{"from", "to", "rate", "on"}`), `campaign.created`, `campaign.opened`,
/// `campaign.settled` (the campaign), `gift.pledged`, `gift.collected`, `gift.cancelled`,
/// `gift.errored`, `gift.dropped`, `gift.refunded` (the gift, with its matches), `pool.created`
/// (the pool). Nothing is deleted: a refund or a release is a compensating event.
public enum FinanceEvents {
    /// The v1 payload of a fact.
    public static func payload(_ after: JSON) -> JSON { ["after": after] }

    /// The fact a payload records, read by the fact's own reader, and as its event says: a
    /// gift event's gift is in the status the event names and carries that status's day (what
    /// the finance figures read), a campaign event's campaign is in the status the event leaves
    /// it in (a settled one with its day). Anything else is a `storage` error naming the event
    /// and the field under `after.`, never a default.
    public static func decode(_ r: PayloadReader) throws(CDSError) -> FinanceFact {
        let after = try r.part("after")
        guard let type = EventType(rawValue: r.type) else { throw PayloadReader.failure(r.seq, r.type, "type", "is not an event type of this release") }
        let fact: FinanceFact
        do throws(CDSError) {
            fact = try read(.object(after.object), type)
        } catch {
            let field = error.details["field"]?.stringValue ?? ""
            throw field.isEmpty ? r.failure("after", error.message) : after.failure(field, error.details["reason"]?.stringValue ?? error.message)
        }
        switch fact {
        case .gift(let g):
            guard let status = GiftStatus.allCases.first(where: { $0.event == type }) else { throw r.failure("type", "is not a gift event") }
            guard g.status == status else { throw after.failure("status", "is \(g.status.rawValue), but the event is \(type.rawValue)") }
            guard g.day(of: status) != nil else { throw after.failure("\(status.rawValue)_on", "is missing: a \(type.rawValue) gift carries its day") }
        case .campaign(let c):
            switch type {
            case .campaignCreated where c.status != .draft, .campaignOpened where c.status != .open:
                throw after.failure("status", "is \(c.status.rawValue), but the event is \(type.rawValue)")
            case .campaignSettled where !c.status.isSettled:
                throw after.failure("status", "is \(c.status.rawValue), not a settled status")
            case .campaignSettled where c.settledOn == nil:
                throw after.failure("settled_on", "is missing: a settled campaign carries its day")
            default: break
            }
        default: break
        }
        return fact
    }

    /// The fact of an event of `type`, by its reader; the reader's error names the field.
    static func read(_ json: JSON, _ type: EventType) throws(CDSError) -> FinanceFact {
        switch type {
        case .programmeDefined: return .programme(try FundingProgramme(stored: json))
        case .valuationSet: return .valuation(try ValuationRate(json: json, path: ""))
        case .rateSet: return .rate(try ExchangeRate(json: json, path: ""))
        case .campaignCreated, .campaignOpened, .campaignSettled: return .campaign(try Campaign(json: json))
        case .giftPledged, .giftCollected, .giftCancelled, .giftErrored, .giftDropped, .giftRefunded: return .gift(try Gift(json: json))
        case .poolCreated: return .pool(try MatchingPool(json: json))
        default: throw CDSError.invalid("type", "\(type.rawValue) is not a finance event")
        }
    }

    /// The gift a gift event recorded (``decode(_:)``).
    public static func gift(_ r: PayloadReader) throws(CDSError) -> Gift {
        guard case .gift(let g) = try decode(r) else { throw r.failure("type", "is not a gift event") }
        return g
    }
}
