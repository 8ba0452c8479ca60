/// The matcher's inputs written as bytes and read back (Snapshot.swift): the offers and
/// needs as the matcher sees them at a position of the log, so that a store opens its
/// matcher without reading and decoding every offer and need again.
public enum MatchSnapshot {
    /// The layout of the bytes; a change of the inputs' fields changes it.
    public static let layout = 1

    /// The offers and needs as bytes.
    public static func bytes(offers: [MatchOffer], needs: [MatchNeed]) -> [UInt8] {
        var w = SnapshotWriter()
        w.array(offers) { w, o in
            w.put(o.id); w.put(o.owner); w.put(o.ownerIsMember); w.put(o.kind.rawValue); w.put(o.skills); write(o.capacity, &w)
            w.array(o.windows) { w, x in w.put(x.from.daysSinceEpoch); w.put(x.until.daysSinceEpoch); w.put(x.travel) }
            w.put(o.remote); w.put(o.onSite); w.put(o.languages); w.put(o.origin); w.put(o.interests); w.put(o.sectors); w.put(o.abroad)
        }
        w.array(needs) { w, n in
            w.put(n.id); w.put(n.project); w.put(n.kind.rawValue); w.put(n.skills); write(n.remaining, &w)
            w.put(n.from?.daysSinceEpoch); w.put(n.until?.daysSinceEpoch); w.put(n.mode.rawValue)
            w.put(n.languages); w.put(n.communes); w.put(n.sector); w.put(n.declined)
        }
        return w.sealed(version: layout)
    }

    /// The offers and needs `bytes(offers:needs:)` wrote; damaged bytes, or bytes of another
    /// layout, answer a `storage` error.
    public static func inputs(_ bytes: [UInt8]) throws(CDSError) -> (offers: [MatchOffer], needs: [MatchNeed]) {
        var r = try SnapshotReader(sealed: bytes, version: layout)
        let offers = try r.array { r throws(CDSError) in
            MatchOffer(id: try r.get(), owner: try r.get(), ownerIsMember: try r.get(), kind: try r.term(), skills: try r.get(), capacity: try quantity(&r),
                       windows: try r.array { r throws(CDSError) in AvailabilityWindow(from: try r.date(), until: try r.date(), travel: try r.get()) },
                       remote: try r.get(), onSite: try r.get(), languages: try r.get(), origin: try r.get(), interests: try r.get(), sectors: try r.get(), abroad: try r.get())
        }
        let needs = try r.array { r throws(CDSError) in
            MatchNeed(id: try r.get(), project: try r.get(), kind: try r.term(), skills: try r.get(), remaining: try quantity(&r),
                      from: try r.get(Bool.self) ? try r.date() : nil, until: try r.get(Bool.self) ? try r.date() : nil, mode: try r.term(),
                      languages: try r.get(), communes: try r.get(), sector: try r.get(), declined: try r.get())
        }
        guard r.isAtEnd else { throw SnapshotReader.damage("bytes are left after the matcher's inputs") }
        return (offers, needs)
    }

    static func write(_ q: Quantity, _ w: inout SnapshotWriter) { w.put(q.unit.rawValue); w.put(q.amount); w.put(q.currency) }

    static func quantity(_ r: inout SnapshotReader) throws(CDSError) -> Quantity {
        Quantity(unit: try r.term(), amount: try r.get(), currency: try r.get())
    }
}
