import CDS
import CDSCore
import CDSStore
import Testing

@Suite("Learning spaces and discussions")
struct LearningSpaceTests {
    /// A world with a facilitator of a thematic space, an ADC in it and a diaspora member outside it.
    struct World {
        let file = TempDB()
        let w: LearningWorld
        /// A handle that is not trusted: the access table and the spaces' rules apply to its actors.
        let u: CDSDatabase
        let space: String, outsider: String
        var db: CDSDatabase { w.db }
        init(access: String = "open") throws {
            w = try LearningWorld(path: file.path)
            u = try CDSDatabase(path: file.path, options: OpenOptions(store: StoreOptions(now: LearningWorld.now)))
            space = try w.db.ok("space.create", #"{"kind": "thematic", "name": "Ingénierie de projet", "theme": "project_engineering", "languages": ["fr", "ar"], "access": "\#(access)", "at": "2026-01-12T09:00:00Z"}"#)["id"]?.stringValue ?? ""
            try w.db.ok("space.add_member", #"{"space": "\#(space)", "member": "\#(w.facilitator)", "role": "facilitator"}"#)
            try w.db.ok("space.add_member", #"{"space": "\#(space)", "member": "\#(w.adcs[0])", "role": "participant"}"#)
            outsider = try w.db.diaspora("Brahim")
        }
        func thread(by author: String, _ extra: String = "") throws -> JSON {
            try db.ok("thread.create", #"{"space": "\#(space)", "title": "Fiche projet", "author": "\#(author)", "body": "Comment chiffrer un budget ?", "actor": "\#(author)"\#(extra)}"#)
        }
    }

    @Test("space.list pages in creation order by its cursor and filters by kind; a page past the last is empty")
    func spaceListPagesByCursor() throws {
        let file = TempDB()
        let w = try LearningWorld(path: file.path)
        var made: [String] = []
        for (n, name) in ["Eau", "Argan", "Tourisme"].enumerated() {
            made.append(try w.db.ok("space.create", #"{"kind": "thematic", "name": "\#(name)", "theme": "t\#(n)", "languages": ["fr"]}"#)["id"]?.stringValue ?? "")
        }
        made.append(try w.db.ok("space.create", #"{"kind": "territorial", "name": "Anzi", "territory": "09.581.03.03", "languages": ["shi"]}"#)["id"]?.stringValue ?? "")
        let first = try w.db.ok("space.list", #"{"limit": 3}"#)
        #expect(first["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == Array(made.prefix(3)))
        let cursor = try #require(first["next_cursor"]?.stringValue)
        let second = try w.db.ok("space.list", #"{"limit": 3, "cursor": "\#(cursor)"}"#)
        #expect(second["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [made[3]])
        #expect(second["next_cursor"]?.isNull == true)
        #expect(try w.db.ok("space.list", #"{"kind": "thematic", "limit": 2}"#)["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == Array(made.prefix(2)))
        #expect(try w.db.ok("space.list", #"{"kind": "territorial"}"#)["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [made[3]])
    }

    @Test("a space is thematic with a theme or territorial with a territory, in known languages; open or by invitation")
    func spacesAreThematicOrTerritorial() throws {
        let file = TempDB()
        let w = try LearningWorld(path: file.path)
        let u = try CDSDatabase(path: file.path, options: OpenOptions(store: StoreOptions(now: LearningWorld.now)))
        let t = try w.db.ok("space.create", #"{"kind": "territorial", "name": "Anzi", "territory": "09.581.03.03", "languages": ["shi", "ar"], "access": "invitation"}"#)
        #expect(t["access"] == "invitation" && t["territory"] == "09.581.03.03")
        #expect(try w.db.err("space.create", #"{"kind": "territorial", "name": "Sans lieu", "languages": ["fr"]}"#)["details"]?["field"] == "territory")
        #expect(try w.db.err("space.create", #"{"kind": "thematic", "name": "Sans thème", "languages": ["fr"]}"#)["details"]?["field"] == "theme")
        #expect(try w.db.err("space.create", #"{"kind": "thematic", "name": "Eau", "theme": "eau", "languages": ["xx-nowhere"]}"#)["details"]?["field"] == "languages")
        #expect(try w.db.err("space.create", #"{"kind": "territorial", "name": "Nulle part", "territory": "99.999", "languages": ["fr"]}"#)["details"]?["field"] == "territory")
        #expect(try w.db.ok("space.list", #"{"territory": "09.581"}"#)["items"]?.arrayValue?.count == 1)
        // By invitation: a member cannot join by herself; a facilitator of the space adds her.
        let brahim = try w.db.diaspora("Brahim")
        let id = t["id"]?.stringValue ?? ""
        #expect(try u.err("space.join", #"{"space": "\#(id)", "member": "\#(brahim)", "actor": "\#(brahim)"}"#)["details"]?["rule"] == "space.invitation")
        try u.ok("space.add_member", #"{"space": "\#(id)", "member": "\#(w.facilitator)", "role": "facilitator", "actor": "\#(w.facilitator)"}"#)
        try u.ok("space.add_member", #"{"space": "\#(id)", "member": "\#(brahim)", "role": "participant", "actor": "\#(w.facilitator)"}"#)
        let members = try w.db.ok("space.get", #"{"id": "\#(id)"}"#)["members"]?.arrayValue ?? []
        #expect(Dictionary(uniqueKeysWithValues: members.map { ($0["member"]?.stringValue ?? "", $0["role"]?.stringValue ?? "") }) == [w.facilitator: "facilitator", brahim: "participant"])
        // A participant makes no one a facilitator.
        #expect(try u.err("space.add_member", #"{"space": "\#(id)", "member": "\#(w.adcs[0])", "role": "facilitator", "actor": "\#(brahim)"}"#)["details"]?["rule"] == "space.facilitator")
    }

    @Test("a post in a space the member is not in is refused, and nothing is stored")
    func postOutsideTheSpaceIsRefused() throws {
        let s = try World()
        let t = try s.thread(by: s.w.facilitator)
        let thread = t["id"]?.stringValue ?? ""
        let before = try s.db.eventCount()
        let e = try s.db.err("post.create", #"{"thread": "\#(thread)", "author": "\#(s.outsider)", "body": "Je passe", "actor": "\#(s.outsider)"}"#)
        #expect(e["code"] == "forbidden" && e["details"]?["rule"] == "space.member")
        #expect(try s.db.err("thread.create", #"{"space": "\#(s.space)", "title": "Moi aussi", "author": "\#(s.outsider)", "body": "Bonjour"}"#)["details"]?["rule"] == "space.member")
        // Nor may anyone write in another's name.
        #expect(try s.u.err("post.create", #"{"thread": "\#(thread)", "author": "\#(s.w.adcs[0])", "body": "Usurpé", "actor": "\#(s.outsider)"}"#)["code"] == "forbidden")
        #expect(try s.db.eventCount() == before)
        #expect(try s.db.ok("thread.get", #"{"id": "\#(thread)"}"#)["posts"]?.arrayValue?.count == 1)
        // Once she joins the open space, she may.
        try s.u.ok("space.join", #"{"space": "\#(s.space)", "member": "\#(s.outsider)", "actor": "\#(s.outsider)"}"#)
        try s.u.ok("post.create", #"{"thread": "\#(thread)", "author": "\#(s.outsider)", "body": "Je passe", "actor": "\#(s.outsider)"}"#)
    }

    @Test("a new participant's first post is held for a facilitator, counts in nothing and is seen only by her and the space's facilitators")
    func firstPostsAreHeld() throws {
        let s = try World()
        let adc = s.w.adcs[0]
        let t = try s.thread(by: adc, #", "at": "2026-03-03T10:00:00Z""#)
        let thread = t["id"]?.stringValue ?? "", first = t["post"]?["id"]?.stringValue ?? ""
        #expect(t["post"]?["state"] == "held")
        #expect(try s.u.err("thread.get", #"{"id": "\#(thread)", "actor": "\#(s.outsider)"}"#)["details"]?["rule"] == "thread.moderated")
        #expect(try s.u.ok("thread.get", #"{"id": "\#(thread)", "actor": "\#(adc)"}"#)["posts"]?.arrayValue?.count == 1)
        #expect(try s.db.ok("thread.list", #"{"space": "\#(s.space)"}"#)["items"]?.arrayValue?.first?["visible_posts"] == 0)
        // It counts in no indicator: a held post is no one's activity.
        let active = #"{"as_of": "2026-03-31", "indicators": ["active_members"], "provenance": true}"#
        #expect(try s.db.ok("indicators.compute", active)["indicators"]?.arrayValue?.first?["ids"]?.arrayValue?.contains(.string(adc)) == false)
        // No reply to a held post, no flag on it; it notifies no one (the outbox stays empty).
        #expect(try s.db.err("post.create", #"{"thread": "\#(thread)", "parent": "\#(first)", "author": "\#(s.w.facilitator)", "body": "Réponse"}"#)["details"]?["field"] == "parent")
        #expect(try s.db.err("post.flag", #"{"id": "\#(first)", "member": "\#(s.w.facilitator)", "reason": "x"}"#)["code"] == "conflict")
        #expect(try s.db.ok("outbox.list", #"{"member": "\#(s.w.facilitator)"}"#)["items"] == [])
        // Only a facilitator of the space lets it through; then her posts show at once.
        #expect(try s.u.err("post.moderate", #"{"id": "\#(first)", "state": "visible", "actor": "\#(s.outsider)"}"#)["details"]?["rule"] == "space.facilitator")
        let through = try s.u.ok("post.moderate", #"{"id": "\#(first)", "state": "visible", "actor": "\#(s.w.facilitator)"}"#)
        #expect(through["state"] == "visible" && through["moderated_by"] == .string(s.w.facilitator))
        #expect(try s.db.ok("post.create", #"{"thread": "\#(thread)", "parent": "\#(first)", "author": "\#(adc)", "body": "Merci"}"#)["state"] == "visible")
        #expect(try s.u.ok("thread.get", #"{"id": "\#(thread)", "actor": "\#(s.outsider)"}"#)["visible_posts"] == 2)
    }

    @Test("a held or removed thread is visible only to its author and the space's facilitators and staff, its title too")
    func heldOrRemovedThreadIsVisibleOnlyToAuthorAndFacilitators() throws {
        let s = try World()
        let adc = s.w.adcs[0]
        let held = try s.thread(by: adc)
        let heldId = held["id"]?.stringValue ?? "", heldPost = held["post"]?["id"]?.stringValue ?? ""
        let open = try s.thread(by: s.w.facilitator)["id"]?.stringValue ?? ""
        func listed(_ actor: String?) throws -> (ids: [String], withheld: JSON?) {
            let r = try s.u.ok("thread.list", #"{"space": "\#(s.space)""# + (actor.map { #", "actor": "\#($0)"}"# } ?? "}"))
            return ((r["items"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }, r["withheld"])
        }
        // A visitor and a member who is not its author: the held thread is left out (counted in withheld) and thread.get refuses it.
        for who in [nil, s.outsider] {
            let l = try listed(who)
            #expect(l.ids == [open] && l.withheld == 1, "\(who ?? "a visitor")")
            #expect(try s.u.err("thread.get", #"{"id": "\#(heldId)""# + (who.map { #", "actor": "\#($0)"}"# } ?? "}"))["details"]?["rule"] == "thread.moderated")
        }
        // Its author, the space's facilitator and staff see it.
        for who in [adc, s.w.facilitator] {
            let l = try listed(who)
            #expect(l.ids == [heldId, open] && l.withheld == nil)
            #expect(try s.u.ok("thread.get", #"{"id": "\#(heldId)", "actor": "\#(who)"}"#)["title"] == "Fiche projet")
        }
        #expect(try s.db.ok("thread.list", #"{"space": "\#(s.space)"}"#)["items"]?.arrayValue?.count == 2)
        // Removed, it stays out of others' sight; so does a thread whose opening post is hidden, until it is shown again.
        try s.u.ok("post.moderate", #"{"id": "\#(heldPost)", "state": "removed", "reason": "Hors sujet", "actor": "\#(s.w.facilitator)"}"#)
        #expect(try listed(s.outsider).ids == [open] && listed(adc).ids == [heldId, open])
        let openPost = try s.db.ok("thread.get", #"{"id": "\#(open)"}"#)["posts"]?.arrayValue?.first?["id"]?.stringValue ?? ""
        try s.u.ok("post.moderate", #"{"id": "\#(openPost)", "state": "hidden", "reason": "Signalé", "actor": "\#(s.w.facilitator)"}"#)
        #expect(try listed(nil).ids == [] && listed(nil).withheld == 2)
        try s.u.ok("post.moderate", #"{"id": "\#(openPost)", "state": "visible", "actor": "\#(s.w.facilitator)"}"#)
        #expect(try listed(nil).ids == [open])
    }

    @Test("erasing a member blanks what she wrote (posts, thread titles, flags, assignments and their reviews) and keeps the rows, so no count moves")
    func erasureBlanksPostsAndAssignments() throws {
        let s = try World()
        let adc = s.w.adcs[0]
        let t = try s.thread(by: adc, #", "at": "2026-03-03T10:00:00Z""#)
        let thread = t["id"]?.stringValue ?? "", first = t["post"]?["id"]?.stringValue ?? ""
        try s.db.ok("post.moderate", #"{"id": "\#(first)", "state": "visible", "actor": "\#(s.w.facilitator)", "at": "2026-03-03T12:00:00Z"}"#)
        let reply = try s.db.ok("post.create", #"{"thread": "\#(thread)", "parent": "\#(first)", "author": "\#(s.w.facilitator)", "body": "Voyez le guide", "at": "2026-03-04T09:00:00Z"}"#)
        let hers = try s.db.ok("post.create", #"{"thread": "\#(thread)", "author": "\#(adc)", "body": "Mon numéro : 06 12 34 56 78", "at": "2026-03-05T09:00:00Z"}"#)
        try s.db.ok("post.flag", #"{"id": "\#(reply["id"]?.stringValue ?? "")", "member": "\#(adc)", "reason": "Je conteste, signé Youssef", "at": "2026-03-05T10:00:00Z"}"#)
        let sessions = try s.w.webinar(["2026-02-05"])
        let m = try s.w.module("communication", sessions: sessions)
        let e = try s.w.enroll(adc, in: m, sessions: sessions)
        try s.w.attend(adc, sessions)
        try s.db.ok("enrollment.submit", #"{"id": "\#(e)", "submission": "Le plan de communication de la commune d'Anzi, par Youssef", "at": "2026-02-10T08:00:00Z"}"#)
        try s.db.ok("enrollment.review", #"{"id": "\#(e)", "status": "returned", "note": "Youssef, ajoutez le budget", "at": "2026-02-11T08:00:00Z", "actor": "\#(s.w.facilitator)"}"#)
        let indicators = #"{"as_of": "2026-12-31", "provenance": true, "disaggregate": "gender"}"#
        let before = (try s.db.ok("learning.indicators", indicators), try s.db.ok("indicators.compute", indicators))
        let counts = try s.db.ok("thread.get", #"{"id": "\#(thread)"}"#)["visible_posts"]
        try s.db.ok("member.erase", #"{"id": "\#(adc)"}"#)
        let after = try s.db.ok("thread.get", #"{"id": "\#(thread)"}"#)
        let bodies = Dictionary(uniqueKeysWithValues: (after["posts"]?.arrayValue ?? []).map { ($0["id"]?.stringValue ?? "", $0["body"]?.stringValue ?? "") })
        #expect(bodies == [first: "", reply["id"]?.stringValue ?? "": "Voyez le guide", hers["id"]?.stringValue ?? "": ""])
        #expect(after["title"] == .string(LearningErasure.title) && after["visible_posts"] == counts)
        let enrollment = try s.db.ok("enrollment.get", #"{"id": "\#(e)"}"#)
        #expect(enrollment["assignment"]?["status"] == "returned" && enrollment["assignment"]?["submission"] == .null && enrollment["assignment"]?["note"] == .null)
        // Nothing she wrote is left in the event log either, whose chain still verifies.
        let dump = try s.db.ok("event.list", #"{"limit": 1000}"#).text
        for text in ["Fiche projet", "Comment chiffrer", "06 12 34 56 78", "signé Youssef", "plan de communication", "ajoutez le budget"] {
            #expect(!dump.contains(text), "\(text) in the log")
        }
        #expect(try s.db.ok("audit.verify")["ok"] == true)
        #expect(try (s.db.ok("learning.indicators", indicators), s.db.ok("indicators.compute", indicators)) == before)
    }

    @Test("moderation states: visible ↔ hidden, anything → removed for good, with who and why; flags by members of the space")
    func moderationStates() throws {
        let s = try World()
        let t = try s.thread(by: s.w.facilitator)
        let post = t["post"]?["id"]?.stringValue ?? ""
        #expect(t["post"]?["state"] == "visible")
        try s.db.ok("post.flag", #"{"id": "\#(post)", "member": "\#(s.w.adcs[0])", "reason": "Hors sujet"}"#)
        #expect(try s.db.err("post.flag", #"{"id": "\#(post)", "member": "\#(s.w.adcs[0])", "reason": "Encore"}"#)["code"] == "conflict")
        #expect(try s.db.err("post.flag", #"{"id": "\#(post)", "member": "\#(s.outsider)", "reason": "x"}"#)["details"]?["rule"] == "space.member")
        #expect(try s.db.err("post.moderate", #"{"id": "\#(post)", "state": "hidden", "actor": "\#(s.w.facilitator)"}"#)["details"]?["field"] == "reason")
        let hidden = try s.db.ok("post.moderate", #"{"id": "\#(post)", "state": "hidden", "reason": "Signalé", "actor": "\#(s.w.facilitator)"}"#)
        #expect(hidden["state"] == "hidden" && hidden["reason"] == "Signalé" && hidden["flags"] == 1)
        #expect(try s.db.ok("thread.get", #"{"id": "\#(t["id"]?.stringValue ?? "")"}"#)["visible_posts"] == 0)
        try s.db.ok("post.moderate", #"{"id": "\#(post)", "state": "removed", "reason": "Données personnelles", "actor": "\#(s.w.facilitator)"}"#)
        #expect(try s.db.err("post.moderate", #"{"id": "\#(post)", "state": "visible", "actor": "\#(s.w.facilitator)"}"#)["code"] == "conflict")
        let history = try s.db.ok("event.list", #"{"subject": "\#(post)"}"#)["items"]?.arrayValue ?? []
        #expect(history.map { $0["type"] } == ["post.created", "post.flagged", "post.moderated", "post.moderated"])
    }

    @Test("the discussions of a space by invitation are for its members")
    func invitationSpaceIsPrivate() throws {
        let s = try World(access: "invitation")
        let t = try s.thread(by: s.w.facilitator)
        let id = t["id"]?.stringValue ?? ""
        #expect(try s.u.err("thread.get", #"{"id": "\#(id)", "actor": "\#(s.outsider)"}"#)["details"]?["rule"] == "space.member")
        #expect(try s.u.err("thread.list", #"{"space": "\#(s.space)"}"#)["details"]?["rule"] == "space.member")
        #expect(try s.u.ok("thread.get", #"{"id": "\#(id)", "actor": "\#(s.w.adcs[0])"}"#)["visible_posts"] == 1)
    }
}

@Suite("Learning resources")
struct LearningResourceTests {
    @Test("a resource is in one language; a translation links to its original, once per language; who used it is an event")
    func resourcesAndTranslations() throws {
        let s = try LearningSpaceTests.World()
        let guide = try s.db.ok("resource.create", #"{"space": "\#(s.space)", "kind": "guide", "title": "Monter une fiche projet", "language": "fr", "sector": "EAU", "tags": ["fiche", "budget"]}"#)
        let g = guide["id"]?.stringValue ?? ""
        let ar = try s.db.ok("resource.create", #"{"space": "\#(s.space)", "kind": "guide", "title": "إعداد بطاقة مشروع", "language": "ar", "original": "\#(g)"}"#)
        #expect(ar["original"] == .string(g))
        #expect(try s.db.ok("resource.get", #"{"id": "\#(g)"}"#)["translations"]?.arrayValue?.map { $0["language"] } == ["ar"])
        let refusals: [(String, String)] = [
            (#""kind": "guide", "title": "Autre", "language": "ar", "original": "\#(g)""#, "language"),
            (#""kind": "guide", "title": "Même langue", "language": "fr", "original": "\#(g)""#, "language"),
            (#""kind": "guide", "title": "De traduction", "language": "en", "original": "\#(ar["id"]?.stringValue ?? "")""#, "original"),
            (#""kind": "faq", "title": "Autre genre", "language": "en", "original": "\#(g)""#, "original"),
            (#""kind": "recording", "title": "Sans lien", "language": "fr""#, "url"),
            (#""kind": "guide", "title": "Langue inconnue", "language": "xx-nowhere""#, "language"),
            (#""kind": "guide", "title": "Secteur inconnu", "language": "fr", "sector": "NOWHERE""#, "sector"),
        ]
        let before = try s.db.eventCount()
        for (fields, field) in refusals {
            let e = try s.db.err("resource.create", #"{"space": "\#(s.space)", \#(fields)}"#)
            #expect(e["details"]?["field"] == .string(field), "\(fields): \(e)")
        }
        #expect(try s.db.eventCount() == before)
        #expect(try s.db.ok("resource.list", #"{"tag": "budget"}"#)["items"]?.arrayValue?.count == 1)
        #expect(try s.db.ok("resource.list", #"{"language": "ar"}"#)["items"]?.arrayValue?.count == 1)
        try s.u.ok("resource.use", #"{"id": "\#(g)", "member": "\#(s.outsider)", "action": "viewed", "actor": "\#(s.outsider)"}"#)
        #expect(try s.u.err("resource.use", #"{"id": "\#(g)", "member": "\#(s.w.adcs[0])", "action": "viewed", "actor": "\#(s.outsider)"}"#)["code"] == "forbidden")
        #expect(try s.db.ok("event.list", #"{"subject": "\#(g)", "type": "resource.used"}"#)["items"]?.arrayValue?.first?["payload"]?["after"]?["action"] == "viewed")
    }

    @Test("a space's own facilitators may create a resource in their space; its participants and the facilitators of another space may not")
    func spaceFacilitatorsCreateResources() throws {
        let s = try LearningSpaceTests.World()
        // The outsider, a diaspora member (not staff), becomes a facilitator of this space; the ADC stays a participant.
        try s.db.ok("space.add_member", #"{"space": "\#(s.space)", "member": "\#(s.outsider)", "role": "facilitator"}"#)
        let other = try s.db.ok("space.create", #"{"kind": "thematic", "name": "Argan", "theme": "argan", "languages": ["fr"]}"#)["id"]?.stringValue ?? ""
        let guide = #"{"space": "\#(s.space)", "kind": "guide", "title": "Chiffrer un budget", "language": "fr", "actor": "\#(s.outsider)"}"#
        let made = try s.u.ok("resource.create", guide)
        #expect(made["space"] == .string(s.space) && made["created_by"] == .string(s.outsider))
        let before = try s.db.eventCount()
        let participant = try s.u.err("resource.create", #"{"space": "\#(s.space)", "kind": "faq", "title": "FAQ", "language": "fr", "actor": "\#(s.w.adcs[0])"}"#)
        #expect(participant["code"] == "forbidden" && participant["details"]?["rule"] == "space.facilitator")
        let elsewhere = try s.u.err("resource.create", #"{"space": "\#(other)", "kind": "faq", "title": "FAQ", "language": "fr", "actor": "\#(s.outsider)"}"#)
        #expect(elsewhere["details"]?["rule"] == "space.facilitator")
        #expect(try s.u.err("resource.create", #"{"space": "\#(s.space)", "kind": "faq", "title": "FAQ", "language": "fr"}"#)["code"] == "forbidden", "a visitor")
        #expect(try s.db.eventCount() == before)
        // Staff (a facilitator of the CDS) adds resources to any space.
        try s.u.ok("resource.create", #"{"space": "\#(other)", "kind": "guide", "title": "Guide", "language": "fr", "actor": "\#(s.w.facilitator)"}"#)
    }

    @Test("a module may ask for resources to be used: completion waits for the first use, which may be its day")
    func moduleAsksForResources() throws {
        let s = try LearningSpaceTests.World()
        let g = try s.db.ok("resource.create", #"{"space": "\#(s.space)", "kind": "template", "title": "Modèle de budget", "language": "fr", "at": "2026-01-15T09:00:00Z"}"#)["id"]?.stringValue ?? ""
        let m = try s.db.ok("module.create", #"{"title": "Budget", "competence": "financial_management", "criteria": {"resources": ["\#(g)"]}, "at": "2026-01-20T09:00:00Z"}"#)["id"]?.stringValue ?? ""
        let e = try s.w.enroll(s.w.adcs[0], in: m, sessions: [])
        #expect(try s.db.err("enrollment.complete", #"{"id": "\#(e)"}"#)["details"]?["missing"]?.arrayValue?.map { $0["key"] } == ["resource.not_used"])
        try s.db.ok("resource.use", #"{"id": "\#(g)", "member": "\#(s.w.adcs[0])", "action": "downloaded", "at": "2026-02-03T10:00:00Z"}"#)
        try s.db.ok("resource.use", #"{"id": "\#(g)", "member": "\#(s.w.adcs[0])", "action": "viewed", "at": "2026-02-09T10:00:00Z"}"#)
        #expect(try s.db.ok("enrollment.complete", #"{"id": "\#(e)"}"#)["enrollment"]?["completed_on"] == "2026-02-03")
    }
}

@Suite("Learning indicators and credentials")
struct LearningIndicatorTests {
    /// The learning report on a day (trusted: with provenance).
    static func report(_ db: CDSDatabase, _ day: String, _ extra: String = "") throws -> [String: JSON] {
        let r = try db.ok("learning.indicators", #"{"as_of": "\#(day)", "provenance": true\#(extra)}"#)
        return Dictionary(uniqueKeysWithValues: (r["indicators"]?.arrayValue ?? []).map { ($0["id"]?.stringValue ?? "", $0) })
    }

    @Test("participants in learning (by gender and country), ADCs trained per commune, resources by language and active spaces, as of any date, per territory, with provenance")
    func learningIndicators() throws {
        let s = try LearningSpaceTests.World()
        let w = s.w
        let anzi = try s.db.ok("space.create", #"{"kind": "territorial", "name": "Anzi", "territory": "09.581.03.03", "languages": ["shi", "fr"], "at": "2026-01-12T09:00:00Z"}"#)["id"]?.stringValue ?? ""
        let guide = try s.db.ok("resource.create", #"{"space": "\#(anzi)", "kind": "guide", "title": "Guide", "language": "fr", "at": "2026-01-15T09:00:00Z"}"#)["id"]?.stringValue ?? ""
        try s.db.ok("resource.create", #"{"space": "\#(anzi)", "kind": "guide", "title": "Tasdlit", "language": "shi", "original": "\#(guide)", "at": "2026-03-15T09:00:00Z"}"#)
        try s.db.ok("resource.create", #"{"space": "\#(s.space)", "kind": "faq", "title": "FAQ", "language": "ar", "at": "2026-01-15T09:00:00Z"}"#)
        let sessions = try w.webinar(["2026-02-05", "2026-02-12"])
        try w.complete(w.adcs[0], "communication", sessions: sessions)     // Tafraout, m
        try w.complete(w.adcs[1], "communication", sessions: sessions)     // Anzi, f
        try s.db.ok("resource.use", #"{"id": "\#(guide)", "member": "\#(s.outsider)", "action": "viewed", "at": "2026-04-02T10:00:00Z"}"#)
        // A held post counts nowhere: the outsider joins and writes, and nobody lets it through.
        try s.db.ok("space.join", #"{"space": "\#(anzi)", "member": "\#(w.adcs[2])", "at": "2026-04-01T09:00:00Z"}"#)
        try s.db.ok("thread.create", #"{"space": "\#(anzi)", "title": "Question", "author": "\#(w.adcs[2])", "body": "Bonjour", "at": "2026-04-03T09:00:00Z"}"#)

        let feb = try Self.report(s.db, "2026-02-28")
        #expect(feb["learning_participants"]?["ids"] == .strings([w.adcs[0], w.adcs[1]].sorted()))
        #expect(feb["adcs_trained"]?["value"] == 2)
        #expect(feb["adcs_trained"]?["breakdown"] == [["key": "09.581.01.05", "value": 1], ["key": "09.581.03.03", "value": 1]])
        #expect(feb["resources_by_language"]?["breakdown"] == [["key": "ar", "value": 1], ["key": "fr", "value": 1]])
        #expect(feb["active_learning_spaces"]?["value"] == 0)
        let apr = try Self.report(s.db, "2026-04-30", #", "disaggregate": "gender""#)
        #expect(apr["learning_participants"]?["value"] == 3)
        #expect(apr["learning_participants"]?["ids"]?.arrayValue?.contains(.string(w.adcs[2])) == false)
        // The outsider was registered in December: in April her profile is not known yet.
        #expect(apr["learning_participants"]?["disaggregation"] == [["key": "f", "value": 1, "suppressed": false], ["key": "m", "value": 1, "suppressed": false],
                                                                   ["key": "undisclosed", "value": 1, "suppressed": false]])
        #expect(apr["resources_by_language"]?["value"] == 3)
        #expect(apr["active_learning_spaces"]?["ids"] == .strings([anzi]))
        // Ninety days later, nothing happened there since: the space is no longer active.
        #expect(try Self.report(s.db, "2026-07-02")["active_learning_spaces"]?["value"] == 0)
        // Per territory: Anzi's province holds the Anzi ADC, the Anzi space's two resources.
        let tiznit = try Self.report(s.db, "2026-04-30", #", "territory": "09.581.03.03""#)
        #expect(tiznit["adcs_trained"]?["ids"] == .strings([w.adcs[1]]))
        #expect(tiznit["resources_by_language"]?["breakdown"] == [["key": "fr", "value": 1], ["key": "shi", "value": 1]])
        // Erasing members changes no learning indicator.
        let before = try s.db.ok("learning.indicators", #"{"as_of": "2026-12-31", "provenance": true, "disaggregate": "country_of_residence"}"#)
        try s.db.ok("member.erase", #"{"id": "\#(s.outsider)"}"#)
        try s.db.ok("member.erase", #"{"id": "\#(w.adcs[1])"}"#)
        #expect(try s.db.ok("learning.indicators", #"{"as_of": "2026-12-31", "provenance": true, "disaggregate": "country_of_residence"}"#) == before)
        // Provenance is for ADCs and staff.
        #expect(try s.u.err("learning.indicators", #"{"provenance": true, "actor": "\#(s.outsider)"}"#)["code"] == "forbidden")
    }

    @Test("an attested competence exports as an unsigned Open Badges 3.0 OpenBadgeCredential: issuer, subject, achievement with criteria, valid from")
    func openBadgeCredential() throws {
        let w = try LearningWorld()
        let sessions = try w.webinar(["2026-02-05", "2026-02-12"])
        let done = try w.complete(w.adcs[0], "project_engineering", sessions: sessions)
        let id = done["competence"]?["id"]?.stringValue ?? ""
        let r = try w.db.ok("competence.credential", #"{"id": "\#(id)", "issuer": "https://cds.example.org"}"#)
        #expect(r["signed"] == false && (r["note"]?.stringValue ?? "").contains("unsigned"))
        let c = r["credential"] ?? .null
        #expect(c["type"] == ["VerifiableCredential", "OpenBadgeCredential"])
        #expect(c["@context"]?.arrayValue?.first == "https://www.w3.org/ns/credentials/v2")
        #expect(c["issuer"]?["id"] == "https://cds.example.org" && c["issuer"]?["type"] == ["Profile"])
        #expect(c["validFrom"] == "2026-02-20T00:00:00Z" && c["proof"] == nil)
        #expect(c["credentialSubject"]?["id"] == .string("urn:cds:member:\(w.adcs[0])"))
        let a = c["credentialSubject"]?["achievement"]
        #expect(a?["type"] == ["Achievement"] && a?["name"] == "Module project_engineering")
        #expect((a?["criteria"]?["narrative"]?.stringValue ?? "").contains("2 of 2 sessions"))
        #expect((a?["id"]?.stringValue ?? "").hasSuffix(":v1"))
        // By hand: the competence is the achievement; revoked, no credential.
        let manual = try w.db.ok("competence.attest", #"{"member": "\#(w.adcs[1])", "competence": "communication", "attested_on": "2026-03-01"}"#)["id"]?.stringValue ?? ""
        #expect(try w.db.ok("competence.credential", #"{"id": "\#(manual)"}"#)["credential"]?["credentialSubject"]?["achievement"]?["id"] == "urn:cds:competence:communication")
        try w.db.ok("competence.revoke", #"{"member": "\#(w.adcs[1])", "competence": "communication", "revoked_on": "2026-06-01", "reason": "Erreur de saisie"}"#)
        #expect(try w.db.err("competence.credential", #"{"id": "\#(manual)"}"#)["code"] == "conflict")
        #expect(try w.db.err("competence.credential", #"{"id": "cmp_nowhere"}"#)["code"] == "not_found")
    }
}
