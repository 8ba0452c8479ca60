import CDS
import CDSCore
import CDSStore
import Testing

/// A small CDS for the circles: the commune of Anzi, its ADC, a facilitator, on a fixed clock.
struct CircleWorld {
    let db: CDSDatabase
    let commune: String, adc: String, facilitator: String

    static let now = Instant("2026-06-10T10:00:00Z") ?? Instant(millisecondsSinceEpoch: 0)

    init(path: String = ":memory:") throws {
        db = try CDSDatabase(path: path, options: OpenOptions(store: StoreOptions(now: CircleWorld.now), trusted: true))
        commune = try db.ok("organization.create", #"{"kind": "commune", "territory": "09.581.03.03", "at": "2026-01-10T10:00:00Z"}"#)["id"]?.stringValue ?? ""
        adc = try db.ok("member.create", #"{"name": "Youssef Oubaha", "gender": "m", "roles": ["adc"], "residence_country": "MA", "adc_commune": "09.581.03.03", "at": "2026-01-20T09:00:00Z"}"#)["id"]?.stringValue ?? ""
        facilitator = try db.ok("member.create", #"{"name": "Samira", "gender": "f", "roles": ["facilitator"], "residence_country": "MA", "at": "2026-01-05T09:00:00Z"}"#)["id"]?.stringValue ?? ""
    }

    /// An invitation by a member (`by`) or an organization; answers its code.
    func invite(by: String? = nil, organization: String? = nil, email: String? = nil, at: String = "2026-03-01T10:00:00Z", extra: String = "") throws -> String {
        var p = #""channel": "email", "at": "\#(at)""#
        if let by { p += #", "by": "\#(by)""# }
        if let organization { p += #", "organization": "\#(organization)""# }
        if let email { p += #", "email": "\#(email)""# }
        // Open until the year's end unless the test says otherwise (the clock reads June).
        p += extra.contains("expires_at") ? ", " + extra : #", "expires_at": "2027-01-01T00:00:00Z""# + (extra.isEmpty ? "" : ", " + extra)
        return try db.ok("invitation.create", "{\(p)}")["code"]?.stringValue ?? ""
    }

    /// Accepts a code with a new diaspora member's profile; answers her id.
    func join(_ code: String, name: String, origin: String = "09.581.03.03", at: String = "2026-03-02T10:00:00Z") throws -> String {
        try db.ok("invitation.accept", #"{"code": "\#(code)", "at": "\#(at)", "profile": {"name": "\#(name)", "gender": "f", "roles": ["diaspora"], "residence_country": "FR", "origin": "\#(origin)", "consents": [{"purpose": "contact", "version": "v1"}]}}"#)["member"]?["id"]?.stringValue ?? ""
    }

    /// The circle figures on a date.
    func circles(_ extra: String = "") throws -> JSON { try db.ok("circle.indicators", #"{"as_of": "2026-12-31", "provenance": true\#(extra)}"#) }
}

@Suite("Invitations and circles")
struct MobilizationTests {
    @Test("members brought in by a commune, an ADC or a facilitator form the first circle, those they bring the second, as of any date")
    func circlesFollowInvitations() throws {
        let w = try CircleWorld()
        let a = try w.join(try w.invite(by: w.adc), name: "Aicha")
        let b = try w.join(try w.invite(organization: w.commune), name: "Fadma")
        let c = try w.join(try w.invite(by: w.facilitator), name: "Itto")
        let d = try w.join(try w.invite(by: a, at: "2026-04-01T10:00:00Z"), name: "Hanane", at: "2026-04-02T10:00:00Z")
        let e = try w.join(try w.invite(by: d, at: "2026-05-01T10:00:00Z"), name: "Zineb", origin: "09.541.11.33", at: "2026-05-02T10:00:00Z")
        let r = try w.circles()
        #expect(r["members"] == 5)
        let circles = r["circles"]?.arrayValue ?? []
        #expect(circles.map { $0["circle"]?.intValue ?? 0 } == [1, 2, 3])
        #expect(circles.first?["member_ids"] == .strings([a, b, c].sorted()))
        #expect(circles.dropFirst().first?["member_ids"] == .strings([d]))
        #expect(circles.last?["member_ids"] == .strings([e]))
        let byInviter = Dictionary(uniqueKeysWithValues: (r["inviters"]?.arrayValue ?? []).map { ($0["inviter"]?.stringValue ?? "", $0) })
        #expect(byInviter[w.commune]?["kind"] == "organization" && byInviter[w.commune]?["members"] == 1)
        #expect(byInviter[a]?["members"] == 1 && byInviter[a]?["circle"] == 1)
        // As of a date before the later acceptances, and per territory (the members' origin).
        #expect(try w.db.ok("circle.indicators", #"{"as_of": "2026-03-31"}"#)["members"] == 3)
        #expect(try w.db.ok("circle.indicators", #"{"as_of": "2026-02-28"}"#)["members"] == 0)
        #expect(try w.circles(#", "territory": "09.541""#)["members"] == 1)
        #expect(try w.circles(#", "territory": "09.581""#)["members"] == 4)
        let path = try w.db.ok("circle.get", #"{"member": "\#(e)"}"#)
        #expect(path["circle"] == 3)
        #expect(path["chain"]?.arrayValue?.compactMap { $0["inviter"]?.stringValue } == [d, a, w.adc])
        #expect(try w.db.ok("circle.get", #"{"member": "\#(a)"}"#)["brought_in"] == .strings([d]))
        #expect(try w.db.ok("member.get", #"{"id": "\#(d)"}"#)["invited_by"] == .string(a))
    }

    @Test("a member who joined on her own starts a tree: she is circle 0 and those she brings are the first circle")
    func rootsStartTrees() throws {
        let w = try CircleWorld()
        let root = try w.db.diaspora("Brahim")
        let x = try w.join(try w.invite(by: root), name: "Said")
        let r = try w.circles()
        #expect(r["roots"]?.intValue ?? 0 >= 1 && r["root_ids"]?.arrayValue?.contains(.string(root)) == true)
        #expect(r["circles"]?.arrayValue?.first?["member_ids"] == .strings([x]))
    }

    @Test("a person invited twice counts once, with her first inviter")
    func invitedTwiceCountsOnce() throws {
        let w = try CircleWorld()
        let first = try w.invite(by: w.adc, email: "aicha@example.org")
        let second = try w.invite(organization: w.commune, email: "aicha@example.org")
        let aicha = try w.join(first, name: "Aicha")
        #expect(try w.db.ok("member.get", #"{"id": "\#(aicha)"}"#)["email"] == "aicha@example.org")
        let again = try w.db.ok("invitation.accept", #"{"code": "\#(second)", "member": "\#(aicha)", "at": "2026-03-05T10:00:00Z"}"#)
        #expect(again["linked"] == false)
        #expect(again["invitation"]?["status"] == "accepted")
        let r = try w.circles()
        #expect(r["members"] == 1)
        #expect(r["circles"]?.arrayValue?.first?["member_ids"] == .strings([aicha]))
        #expect(r["inviters"]?.arrayValue?.compactMap { $0["inviter"]?.stringValue } == [w.adc])
    }

    @Test("a cycle is refused: nobody is brought in by one she brought in, and nothing is stored")
    func cycleRefused() throws {
        let w = try CircleWorld()
        let root = try w.db.diaspora("Brahim")
        let b = try w.join(try w.invite(by: root), name: "B")
        let c = try w.join(try w.invite(by: b), name: "C")
        let code = try w.invite(by: c)
        let before = try w.db.eventCount()
        let e = try w.db.err("invitation.accept", #"{"code": "\#(code)", "member": "\#(root)"}"#)
        #expect(e["code"] == "conflict" && e["details"]?["reason"] == "cycle", "\(e)")
        #expect(try w.db.err("member.update", #"{"id": "\#(root)", "invited_by": "\#(c)"}"#)["details"]?["reason"] == "cycle")
        #expect(try w.db.err("member.update", #"{"id": "\#(c)", "invited_by": "\#(root)"}"#)["details"]?["field"] == "invited_by")
        #expect(try w.db.eventCount() == before)
        let pending = try w.db.ok("invitation.list", #"{"by": "\#(c)"}"#)
        #expect(pending["items"]?.arrayValue?.first?["status"] == "pending", "\(pending)")
        #expect(try w.db.ok("member.get", #"{"id": "\#(root)"}"#)["invited_by"] == .null)
    }

    @Test("an expired or used code is refused, an unknown one is not found, and nothing is stored")
    func expiredOrUsedRefused() throws {
        let w = try CircleWorld()
        let code = try w.invite(by: w.adc, extra: #""expires_at": "2026-03-10T00:00:00Z""#)
        let before = try w.db.eventCount()
        let late = try w.db.err("invitation.accept", #"{"code": "\#(code)", "at": "2026-03-11T10:00:00Z", "profile": {"name": "A", "gender": "f", "roles": ["diaspora"], "residence_country": "FR"}}"#)
        #expect(late["code"] == "conflict" && late["details"]?["reason"] == "expired")
        #expect(try w.db.eventCount() == before)
        #expect(try w.db.ok("invitation.list", #"{"status": "expired"}"#)["items"]?.arrayValue?.count == 1)
        let used = try w.invite(by: w.adc)
        _ = try w.join(used, name: "B")
        let after = try w.db.eventCount()
        let twice = try w.db.err("invitation.accept", #"{"code": "\#(used)", "profile": {"name": "C", "gender": "f", "roles": ["diaspora"], "residence_country": "FR"}}"#)
        #expect(twice["code"] == "conflict" && twice["details"]?["reason"] == "used")
        #expect(try w.db.err("invitation.accept", #"{"code": "NOPE-NOPE-NOPE", "member": "\#(w.adc)"}"#)["code"] == "not_found")
        #expect(try w.db.eventCount() == after)
        #expect(try w.db.ok("member.list", #"{"q": "C"}"#)["items"]?.arrayValue?.isEmpty == true)
    }

    @Test("bad invitations are refused with clear errors and store nothing: a member who exists, an unknown channel, two inviters")
    func badInvitations() throws {
        let w = try CircleWorld()
        _ = try w.db.diaspora("Naima", extra: #""email": "naima@example.org""#)
        let before = try w.db.eventCount()
        let exists = try w.db.err("invitation.create", #"{"by": "\#(w.adc)", "channel": "email", "email": "naima@example.org"}"#)
        #expect(exists["code"] == "conflict" && exists["details"]?["field"] == "email")
        #expect(try w.db.err("invitation.create", #"{"by": "\#(w.adc)", "channel": "pigeon"}"#)["details"]?["field"] == "channel")
        #expect(try w.db.err("invitation.create", #"{"by": "\#(w.adc)", "organization": "\#(w.commune)", "channel": "sms"}"#)["details"]?["field"] == "by")
        #expect(try w.db.err("invitation.create", #"{"channel": "sms"}"#)["details"]?["field"] == "by")
        #expect(try w.db.err("invitation.create", #"{"by": "mbr_nobody", "channel": "sms"}"#)["details"]?["field"] == "by")
        #expect(try w.db.err("invitation.create", #"{"by": "\#(w.adc)", "channel": "sms", "expires_at": "2020-01-01T00:00:00Z"}"#)["details"]?["field"] == "expires_at")
        #expect(try w.db.err("invitation.create", #"{"by": "\#(w.adc)", "channel": "email", "email": "not-an-address"}"#)["details"]?["field"] == "email")
        let code = try w.invite(by: w.adc)
        #expect(try w.db.err("invitation.accept", #"{"code": "\#(code)"}"#)["details"]?["field"] == "member")
        let both = try w.db.err("invitation.accept", #"{"code": "\#(code)", "member": "\#(w.adc)", "profile": {"name": "X", "gender": "f", "roles": ["diaspora"], "residence_country": "FR"}}"#)
        #expect(both["details"]?["field"] == "member", "\(both)")
        #expect(try w.db.eventCount() == before + 1)
    }

    @Test("migrants mobilized are counted per circle and per inviter, each once")
    func migrantsPerCircle() throws {
        let w = try CircleWorld()
        let a = try w.join(try w.invite(by: w.adc), name: "Aicha")
        let b = try w.join(try w.invite(by: a), name: "Brahim")
        let p = try w.db.ok("project.create", #"{"title": {"fr": "Eau"}, "communes": ["09.581.03.03"]}"#)["id"]?.stringValue ?? ""
        for m in [b, b] {
            let c = try w.db.ok("contribution.create", #"{"project": "\#(p)", "member": "\#(m)", "kind": "finance", "quantity": {"unit": "money", "amount": 100000, "currency": "EUR"}, "on": "2026-06-01"}"#)
            _ = try w.db.ok("contribution.update", #"{"id": "\#(c["id"]?.stringValue ?? "")", "status": "confirmed", "on": "2026-06-05"}"#)
        }
        let r = try w.circles()
        #expect(r["migrants"] == 1)
        let second = r["circles"]?.arrayValue?.first { $0["circle"] == 2 }
        #expect(second?["migrants"] == 1 && second?["migrant_ids"] == .strings([b]))
        #expect(r["inviters"]?.arrayValue?.first { $0["inviter"]?.stringValue == a }?["migrants"] == 1)
    }

    @Test("erasing a member keeps the circle figures and wipes the contact her invitation held")
    func erasureKeepsCircles() throws {
        let w = try CircleWorld()
        let code = try w.invite(by: w.adc, email: "itto@example.org", extra: #""name": "Itto Ait", "phone": "+33 6 00 00 00 00""#)
        let itto = try w.join(code, name: "Itto")
        _ = try w.join(try w.invite(by: itto), name: "Hanane")
        let before = try w.circles()
        _ = try w.db.ok("member.erase", #"{"id": "\#(itto)"}"#)
        #expect(try w.circles() == before)
        let inv = try w.db.ok("invitation.list", #"{"by": "\#(w.adc)"}"#)["items"]?.arrayValue?.first
        #expect(inv?["email"] == .null && inv?["name"] == .null && inv?["phone"] == .null)
        #expect(try w.db.ok("audit.verify")["ok"] == true)
    }

    @Test("a revoked invitation's code is refused")
    func revoked() throws {
        let w = try CircleWorld()
        let inv = try w.db.ok("invitation.create", #"{"by": "\#(w.adc)", "channel": "link"}"#)
        _ = try w.db.ok("invitation.revoke", #"{"id": "\#(inv["id"]?.stringValue ?? "")"}"#)
        let e = try w.db.err("invitation.accept", #"{"code": "\#(inv["code"]?.stringValue ?? "")", "member": "\#(w.facilitator)"}"#)
        #expect(e["details"]?["reason"] == "revoked")
    }

    @Test("invitation.accepted is read back as who brought whom; a payload without its inviter is a storage error")
    func acceptedPayload() throws {
        let at = Instant("2026-03-01T10:00:00Z") ?? Instant(millisecondsSinceEpoch: 0)
        let i = Invitation(id: "inv_x", code: "ABCD-EFGH-JKLM", inviterMember: nil, inviterOrganization: "org_c", channel: .sms, name: nil, email: nil,
                           phone: nil, note: nil, createdAt: at, expiresAt: Instant(millisecondsSinceEpoch: at.millisecondsSinceEpoch + 1000))
        let e = try LoggedEvent.decode(seq: 1, type: "invitation.accepted", payload: InvitationAccepted.payload(i, member: "mbr_x", linked: true, at: at).text)
        #expect(e == .invitationAccepted(member: "mbr_x", inviter: .organization("org_c"), linked: true))
        let damaged = #"{"after": {"id": "inv_x", "member": "mbr_x", "by": null, "organization": null, "linked": true, "accepted_at": "2026-03-01T10:00:00Z"}}"#
        #expect(throws: CDSError.self) { try LoggedEvent.decode(seq: 1, type: "invitation.accepted", payload: damaged) }
        #expect(InvitationCreated.payload(i).text.contains("ABCD") == false, "the code stays out of the log")
    }
}
