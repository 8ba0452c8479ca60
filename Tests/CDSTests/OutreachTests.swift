import CDS
import CDSCore
import CDSStore
import Foundation
import Testing

/// The water project of Anzi with its engineering need, and the engineer in Lyon who offers to do it.
struct OutreachWorld {
    let db: CDSDatabase
    let project: String, need: String, engineer: String

    init(path: String = ":memory:", now: String = "2026-06-10T10:00:00Z") throws {
        db = try CDSDatabase(path: path, options: OpenOptions(store: StoreOptions(now: Instant(now)), trusted: true))
        project = try db.ok("project.create", #"{"title": {"fr": "Eau potable du douar Ait Ali", "ar": "الماء الشروب"}, "communes": ["09.581.03.03"], "sector": "EAU"}"#)["id"]?.stringValue ?? ""
        need = try OutreachWorld.need(db, project)
        engineer = try OutreachWorld.member(db, "Brahim Ait Ouarab", email: "brahim@example.org")
    }

    static func need(_ db: CDSDatabase, _ project: String, _ text: String = "Conception hydraulique") throws -> String {
        try db.ok("need.create", #"{"project": "\#(project)", "kind": "skill", "description": "\#(text)", "skills": ["2142"], "quantity": {"unit": "person_days", "amount": 10}}"#)["id"]?.stringValue ?? ""
    }

    /// A member of Lyon speaking Tachelhit, Arabic and French, with an offer for the need's skill.
    static func member(_ db: CDSDatabase, _ name: String, email: String?, consent: Bool = true, country: String = "FR") throws -> String {
        let mail = email.map { #", "email": "\#($0)""# } ?? ""
        let consents = consent ? #", "consents": [{"purpose": "contact", "version": "v1"}]"# : ""
        let m = try db.ok("member.create", #"{"name": "\#(name)", "gender": "m", "roles": ["diaspora"], "residence_country": "\#(country)", "residence_city": "Lyon", "origin": "09.581.03.03", "languages": ["shi", "ar", "fr"], "skills": ["2142"]\#(mail)\#(consents)}"#)["id"]?.stringValue ?? ""
        _ = try db.ok("offer.create", #"{"member": "\#(m)", "kind": "skill", "skills": ["2142"], "capacity": {"unit": "person_days", "amount": 10}, "contact_consent": true}"#)
        return m
    }

    func send(_ need: String? = nil, _ extra: String = "") throws -> JSON {
        try db.ok("outreach.send", #"{"need": "\#(need ?? self.need)", "params": {"link": "https://cds.example.org/n"}\#(extra)}"#)
    }

    func messages(_ filter: String = "") throws -> [JSON] { try db.ok("outbox.list", "{\(filter)}")["items"]?.arrayValue ?? [] }
}

@Suite("Outreach: audiences and the outbox")
struct OutreachTests {
    @Test("the audience of a need: members whose consent to be contacted is in force, in their language, with the match explanation as reason")
    func audience() throws {
        let w = try OutreachWorld()
        let silent = try OutreachWorld.member(w.db, "Sans consentement", email: "x@example.org", consent: false)
        let a = try w.db.ok("outreach.audience", #"{"need": "\#(w.need)", "locale": "en"}"#)
        let members = a["members"]?.arrayValue ?? []
        #expect(members.compactMap { $0["member"]?.stringValue } == [w.engineer])
        #expect(!members.contains { $0["member"]?.stringValue == silent })
        #expect(members.first?["language"] == "fr", "a member of France who speaks French is written to in French")
        #expect(members.first?["channels"] == .strings(["email"]))
        #expect((members.first?["reason"]?.stringValue ?? "").isEmpty == false)
        #expect((members.first?["components"]?.arrayValue ?? []).contains { $0["component"] == "skills" })
        #expect(try w.db.ok("outreach.audience", #"{"project": "\#(w.project)"}"#)["members"]?.arrayValue?.count == 1)
        #expect(try w.db.err("outreach.audience", #"{"need": "\#(w.need)", "project": "\#(w.project)"}"#)["details"]?["field"] == "need")
    }

    @Test("a member with no offer is in the audience when the matcher scores her profile: the need's skill, its commune of origin, its languages")
    func audienceFromProfiles() throws {
        let w = try OutreachWorld()
        let profile = try w.db.ok("member.create", #"{"name": "Itto", "gender": "f", "roles": ["diaspora"], "residence_country": "BE", "origin": "09.581.03.03", "languages": ["ar", "fr"], "skills": ["2142"], "consents": [{"purpose": "contact", "version": "v1"}]}"#)["id"]?.stringValue ?? ""
        let unrelated = try w.db.ok("member.create", #"{"name": "Said", "gender": "m", "roles": ["diaspora"], "residence_country": "BE", "origin": "09.541.11.33", "skills": ["2411"], "consents": [{"purpose": "contact", "version": "v1"}]}"#)["id"]?.stringValue ?? ""
        let members = try w.db.ok("outreach.audience", #"{"need": "\#(w.need)"}"#)["members"]?.arrayValue ?? []
        let mine = members.first { $0["member"]?.stringValue == profile }
        #expect(mine?["source"] == "profile" && mine?["offer"] == .null && mine?["language"] == "fr")
        #expect((mine?["components"]?.arrayValue ?? []).contains { $0["reason"] == "origin_commune" })
        #expect(members.first { $0["member"]?.stringValue == w.engineer }?["source"] == "offer")
        #expect(!members.contains { $0["member"]?.stringValue == unrelated })
    }

    @Test("the host takes a message rendered in French, delivers it, and acknowledgements are idempotent under retries")
    func takeAndAcknowledge() throws {
        let w = try OutreachWorld()
        let sent = try w.send()
        let id = sent["queued"]?.arrayValue?.first?["id"]?.stringValue ?? ""
        #expect(sent["queued"]?.arrayValue?.count == 1)
        #expect(try w.db.err("outbox.ack", #"{"id": "\#(id)", "status": "delivered"}"#)["code"] == "conflict", "never taken")
        let taken = try w.db.ok("outbox.next", #"{"limit": 10}"#)["messages"]?.arrayValue ?? []
        #expect(taken.count == 1)
        let m = taken.first
        #expect(m?["address"] == "brahim@example.org" && m?["language"] == "fr" && m?["channel"] == "email")
        #expect(m?["text"]?.stringValue?.contains("Bonjour Brahim Ait Ouarab") == true)
        #expect(m?["text"]?.stringValue?.contains("Conception hydraulique") == true && m?["text"]?.stringValue?.contains("Anzi") == true)
        #expect(m?["text"]?.stringValue?.contains("https://cds.example.org/n") == true)
        #expect(try w.db.ok("outbox.next")["messages"]?.arrayValue?.isEmpty == true, "taken, it is not given twice within the lease")
        let first = try w.db.ok("outbox.ack", #"{"id": "\#(id)", "status": "delivered"}"#)
        let events = try w.db.eventCount()
        #expect(try w.db.ok("outbox.ack", #"{"id": "\#(id)", "status": "delivered"}"#) == first)
        #expect(try w.db.eventCount() == events, "a retried acknowledgement writes nothing")
        #expect(try w.db.err("outbox.ack", #"{"id": "\#(id)", "status": "failed", "reason": "bounced"}"#)["code"] == "conflict")
        #expect(try w.db.err("outbox.ack", #"{"id": "msg_never", "status": "delivered"}"#)["code"] == "not_found")
    }

    @Test("a message taken and never acknowledged is given again after the lease")
    func leaseExpires() throws {
        let tmp = TempDB()
        let w = try OutreachWorld(path: tmp.path)
        _ = try w.send()
        #expect(try w.db.ok("outbox.next")["messages"]?.arrayValue?.count == 1)
        let later = try tmp.open(OpenOptions(store: StoreOptions(now: Instant("2026-06-10T10:20:00Z")), trusted: true))
        let again = try later.ok("outbox.next")["messages"]?.arrayValue ?? []
        #expect(again.count == 1 && again.first?["attempt"] == 2)
    }

    @Test("a withdrawn consent stops pending messages in the same transaction")
    func withdrawnConsentStopsMessages() throws {
        let w = try OutreachWorld()
        _ = try w.send()
        let other = try OutreachWorld.need(w.db, w.project, "Suivi de chantier")
        _ = try w.send(other)
        #expect(try w.messages().filter { $0["status"] == "pending" }.count == 2)
        let before = try w.db.eventCount()
        _ = try w.db.ok("consent.withdraw", #"{"member": "\#(w.engineer)", "purpose": "contact"}"#)
        #expect(try w.messages().allSatisfy { $0["status"] == "cancelled" && $0["outcome"] == "consent_withdrawn" })
        // One transaction: the consent's event and the cancellations follow one another, recorded at the same instant.
        let log = try w.db.ok("event.list", #"{"after": \#(before)}"#)["items"]?.arrayValue ?? []
        #expect(log.compactMap { $0["type"]?.stringValue } == ["consent.withdrawn", "message.cancelled", "message.cancelled"])
        #expect(Set(log.compactMap { $0["recorded_at"]?.stringValue }).count == 1)
        #expect(try w.db.ok("outbox.next")["messages"]?.arrayValue?.isEmpty == true)
        // Inside a batch that fails after the withdrawal, neither the withdrawal nor the cancellations stay.
        _ = try w.db.ok("consent.give", #"{"member": "\#(w.engineer)", "purpose": "contact", "version": "v2"}"#)
        _ = try w.send(try OutreachWorld.need(w.db, w.project, "Étude de sol"))
        let batch = try w.db.err("batch", #"{"calls": [{"method": "consent.withdraw", "params": {"member": "\#(w.engineer)", "purpose": "contact"}}, {"method": "member.get", "params": {"id": "mbr_none"}}]}"#)
        #expect(batch["code"] != nil)
        #expect(try w.messages(#""status": "pending""#).count == 1)
    }

    @Test("the cap per week holds under concurrent outreach from two threads; past it, a digest")
    func weeklyCapUnderConcurrency() throws {
        let tmp = TempDB()
        let w = try OutreachWorld(path: tmp.path)
        _ = try w.db.ok("outreach.configure", #"{"weekly_cap": 2}"#)
        var needs: [String] = [w.need]
        for i in 0..<7 { needs.append(try OutreachWorld.need(w.db, w.project, "Besoin \(i)")) }
        let db = w.db
        let halves = [Array(needs.prefix(4)), Array(needs.suffix(4))]
        DispatchQueue.concurrentPerform(iterations: 2) { t in
            for n in halves[t] {
                _ = db.call("outreach.send", #"{"need": "\#(n)", "params": {"link": "https://cds.example.org"}}"#)
            }
        }
        let all = try w.messages(#""member": "\#(w.engineer)", "limit": 1000"#)
        let counted = Dictionary(grouping: all.filter { $0["status"] != "digested" && $0["status"] != "cancelled" }) { $0["not_before"]?.stringValue.flatMap(Instant.init).map(OutreachSettings.weekStart) ?? 0 }
        #expect(counted.values.allSatisfy { $0.count <= 2 }, "at most 2 a week: \(counted.mapValues(\.count))")
        #expect(all.filter { $0["status"] == "pending" && $0["template"] == "need.call" }.count == 2)
        #expect(all.filter { $0["status"] == "digested" }.count == 6)
        #expect(all.filter { $0["template"] == "digest" }.count == 1, "one digest the next week takes every item past the cap")
        // The digest of a later week carries the items still open, in one message.
        let later = try tmp.open(OpenOptions(store: StoreOptions(now: Instant("2026-06-15T10:00:00Z")), trusted: true))
        let out = try later.ok("outbox.next", #"{"limit": 10}"#)["messages"]?.arrayValue ?? []
        let digest = out.first { $0["template"] == "digest" }
        #expect(digest?["subject"] == "6 projets vous attendent")
        #expect(digest?["text"]?.stringValue?.contains("Besoin 6") == true)
    }

    @Test("a covered need sends nothing more: its messages are cancelled and a new outreach is refused")
    func coveredNeedSendsNothing() throws {
        let w = try OutreachWorld()
        let id = try w.send()["queued"]?.arrayValue?.first?["id"]?.stringValue ?? ""
        _ = try w.db.ok("need.update", #"{"id": "\#(w.need)", "status": "covered"}"#)
        #expect(try w.db.ok("outbox.next")["messages"]?.arrayValue?.isEmpty == true)
        let m = try w.db.ok("outbox.get", #"{"id": "\#(id)"}"#)
        #expect(m["status"] == "cancelled" && m["outcome"] == "need_covered")
        let before = try w.db.eventCount()
        #expect(try w.db.err("outreach.send", #"{"need": "\#(w.need)", "params": {"link": "x"}}"#)["code"] == "conflict")
        #expect(try w.db.eventCount() == before)
    }

    @Test("erasing a member removes her from every audience and pending message")
    func erasureRemovesFromOutreach() throws {
        let w = try OutreachWorld()
        let id = try w.send()["queued"]?.arrayValue?.first?["id"]?.stringValue ?? ""
        _ = try w.db.ok("member.erase", #"{"id": "\#(w.engineer)"}"#)
        #expect(try w.db.ok("outreach.audience", #"{"need": "\#(w.need)"}"#)["members"]?.arrayValue?.isEmpty == true)
        let m = try w.db.ok("outbox.get", #"{"id": "\#(id)"}"#)
        #expect(m["status"] == "cancelled" && m["outcome"] == "member_erased")
        #expect(m["params"] == .object(JSONObject()) && m["reason"] == .array([]))
        #expect(try w.db.ok("outbox.next")["messages"]?.arrayValue?.isEmpty == true)
        #expect(try w.send()["queued"]?.arrayValue?.isEmpty == true)
    }

    @Test("bad outreach is refused with clear errors and stores nothing: a missing template parameter, an unknown channel or template")
    func badOutreach() throws {
        let w = try OutreachWorld()
        let before = try w.db.eventCount()
        let missing = try w.db.err("outreach.send", #"{"need": "\#(w.need)"}"#)
        #expect(missing["code"] == "invalid_params" && missing["details"]?["field"] == "params.link")
        #expect(try w.db.err("outreach.send", #"{"need": "\#(w.need)", "params": {"link": "x", "colour": "red"}}"#)["details"]?["field"] == "params.colour")
        #expect(try w.db.err("outreach.send", #"{"need": "\#(w.need)", "params": {"link": "x"}, "channel": "fax"}"#)["details"]?["field"] == "channel")
        #expect(try w.db.err("outreach.send", #"{"need": "\#(w.need)", "params": {"link": "x"}, "template": "spam"}"#)["details"]?["field"] == "template")
        #expect(try w.db.err("outreach.send", #"{"project": "\#(w.project)", "params": {"link": "x"}, "template": "need.call"}"#)["details"]?["field"] == "template")
        #expect(try w.db.err("outbox.ack", #"{"id": "msg_x", "status": "lost"}"#)["details"]?["field"] == "status")
        #expect(try w.db.eventCount() == before)
        #expect(try w.messages().isEmpty)
        // An acknowledgement for a message never taken: a conflict, and the message stays pending.
        let id = try w.send()["queued"]?.arrayValue?.first?["id"]?.stringValue ?? ""
        let queued = try w.db.eventCount()
        let never = try w.db.err("outbox.ack", #"{"id": "\#(id)", "status": "failed", "reason": "bounced"}"#)
        #expect(never["code"] == "conflict" && never["details"]?["status"] == "pending")
        #expect(try w.db.eventCount() == queued)
        #expect(try w.db.ok("outbox.get", #"{"id": "\#(id)"}"#)["status"] == "pending")
        #expect(try w.db.err("outbox.ack", #"{"id": "\#(id)", "status": "failed"}"#)["details"]?["field"] == "reason", "a failure says why")
    }

    @Test("a message is not given in the member's quiet hours, in her time zone")
    func quietHours() throws {
        // 21:30 UTC is 23:30 in Lyon in June (summer time): quiet until 08:00 local, 06:00 UTC.
        let w = try OutreachWorld(now: "2026-06-10T21:30:00Z")
        let m = try w.send()["queued"]?.arrayValue?.first
        #expect(m?["not_before"] == "2026-06-11T06:00:00Z")
        #expect(try w.db.ok("outbox.next")["messages"]?.arrayValue?.isEmpty == true)
        #expect(ZoneRule.of(country: "FR").offset(at: Instant("2026-01-10T12:00:00Z") ?? Instant(millisecondsSinceEpoch: 0)) == 60)
        #expect(ZoneRule.of(country: "MA").offset(at: Instant("2026-06-10T12:00:00Z") ?? Instant(millisecondsSinceEpoch: 0)) == 60)
    }

    @Test("a message due in the day waits while the member's quiet hours last, when the host asks at night")
    func quietHoursAtTakeTime() throws {
        let tmp = TempDB()
        let w = try OutreachWorld(path: tmp.path)
        let id = try w.send()["queued"]?.arrayValue?.first?["id"]?.stringValue ?? ""
        let night = try tmp.open(OpenOptions(store: StoreOptions(now: Instant("2026-06-10T22:00:00Z")), trusted: true))
        #expect(try night.ok("outbox.next")["messages"]?.arrayValue?.isEmpty == true, "midnight in Lyon")
        #expect(try night.ok("outbox.get", #"{"id": "\#(id)"}"#)["status"] == "pending")
        let morning = try tmp.open(OpenOptions(store: StoreOptions(now: Instant("2026-06-11T07:00:00Z")), trusted: true))
        #expect(try morning.ok("outbox.next")["messages"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [id], "09:00 in Lyon")
    }

    @Test("a template in fr, ar and en with its parameters checked")
    func templates() throws {
        let t = try MessageTemplate.named("need.call")
        #expect(t.hostParameters == ["link"])
        let values = ["name": "N", "project": "P", "commune": "Anzi", "need": "B", "reason": "R", "link": "L"]
        for l in Locale.allCases { #expect(t.render(l, values) != nil) }
        #expect(t.render(.ar, ["name": "N"]) == nil)
        #expect(throws: CDSError.self) { try t.check(hostParams: [:]) }
    }

    @Test("outreach indicators: people reached and those who responded within 30 days, by circle, channel and country")
    func outreachIndicators() throws {
        let w = try OutreachWorld()
        let id = try w.send()["queued"]?.arrayValue?.first?["id"]?.stringValue ?? ""
        _ = try w.db.ok("outbox.next")
        // Delivered the day after her offer: that offer is no response to it.
        _ = try w.db.ok("outbox.ack", #"{"id": "\#(id)", "status": "delivered", "at": "2026-06-11T10:05:00Z"}"#)
        var r = try w.db.ok("outreach.indicators", #"{"as_of": "2026-06-30", "provenance": true}"#)
        #expect(r["reached"] == 1 && r["responded"] == 0)
        _ = try w.db.ok("offer.create", #"{"member": "\#(w.engineer)", "kind": "network", "capacity": {"unit": "units", "amount": 1}, "at": "2026-06-20T10:00:00Z"}"#)
        r = try w.db.ok("outreach.indicators", #"{"as_of": "2026-06-30", "provenance": true}"#)
        #expect(r["responded"] == 1 && r["responded_ids"] == .strings([w.engineer]))
        #expect(r["by_channel"]?.arrayValue?.first?["key"] == "email" && r["by_country"]?.arrayValue?.first?["key"] == "FR")
        #expect(r["by_circle"]?.arrayValue?.first?["key"] == "0")
        #expect(try w.db.ok("outreach.indicators", #"{"as_of": "2026-06-01"}"#)["reached"] == 0)
    }
}
