@_spi(Tooling) import CDS
import CDSCore
import Foundation
import Testing

/// The access table, cell by cell: every method × every kind of caller × how she relates to
/// what the call names, checked against what the table (data) says; and the privacy rules a
/// portal relies on (no contact field for an anonymous visitor or another member, anywhere).
@Suite("Access control")
struct AccessTests {
    /// A small CDS on a file: a trusted handle built it; the tests call it untrusted.
    final class World {
        let file = TempDB()
        var ids: [String: String] = [:]
        static let email = "brahim.access@example.org", phone = "+33 6 12 34 56 78", city = "Villeurbanne-Access"

        init() throws {
            let db = try file.open()
            func id(_ method: String, _ params: String) throws -> String { try db.ok(method, fill(params))["id"]?.stringValue ?? "" }
            ids["org"] = try id("organization.create", #"{"kind": "commune", "territory": "09.581.03.03"}"#)
            ids["org2"] = try id("organization.create", #"{"kind": "commune", "territory": "09.581.01.05"}"#)
            ids["facilitator"] = try id("member.create", #"{"name": "Samira", "gender": "f", "roles": ["facilitator"], "residence_country": "MA"}"#)
            ids["admin"] = try id("member.create", #"{"name": "Hassan", "gender": "m", "roles": ["admin"], "residence_country": "MA"}"#)
            ids["adc"] = try id("member.create", #"{"name": "Youssef", "gender": "m", "roles": ["adc"], "residence_country": "MA", "adc_commune": "09.581.03.03"}"#)
            ids["other_adc"] = try id("member.create", #"{"name": "Fatima", "gender": "f", "roles": ["adc"], "residence_country": "MA", "adc_commune": "09.581.01.05"}"#)
            ids["rep"] = try id("member.create", #"{"name": "Aziz", "gender": "m", "roles": ["local_actor"], "residence_country": "MA", "organizations": [{"organization": "$org", "role": "président"}]}"#)
            ids["member"] = try id("member.create", #"{"name": "Brahim", "gender": "m", "roles": ["diaspora"], "residence_country": "FR", "residence_city": "\#(Self.city)", "email": "\#(Self.email)", "phone": "\#(Self.phone)", "origin": "09.581.03.03", "languages": ["fr"], "skills": ["2142"], "consents": [{"purpose": "processing", "version": "1"}, {"purpose": "contact", "version": "1"}]}"#)
            ids["other"] = try id("member.create", #"{"name": "Naima", "gender": "f", "roles": ["diaspora"], "residence_country": "BE", "consents": [{"purpose": "publication", "version": "1"}]}"#)
            ids["gone"] = try id("member.create", #"{"name": "Omar", "gender": "m", "roles": ["diaspora"], "residence_country": "FR"}"#)
            try db.ok("member.erase", fill(#"{"id": "$gone"}"#))
            ids["project"] = try id("project.create", #"{"title": {"fr": "Réseau d'eau potable"}, "communes": ["09.581.03.03"], "sector": "EAU", "adc": "$adc"}"#)
            ids["need"] = try id("need.create", #"{"project": "$project", "kind": "skill", "description": "Étude hydraulique", "skills": ["2142"], "quantity": {"unit": "person_days", "amount": 10}}"#)
            ids["offer"] = try id("offer.create", #"{"member": "$member", "kind": "skill", "description": "Conseil hydraulique", "skills": ["2142"], "capacity": {"unit": "person_days", "amount": 10}, "remote": true, "contact_consent": true}"#)
            ids["match"] = try id("match.propose", #"{"need": "$need", "offer": "$offer"}"#)
            ids["contribution"] = try id("contribution.create", #"{"project": "$project", "member": "$member", "kind": "finance", "quantity": {"unit": "money", "amount": 100000, "currency": "EUR"}, "on": "2026-06-01"}"#)
            ids["agreement"] = try id("agreement.sign", #"{"organization": "$org", "signed_on": "2026-01-13"}"#)
            let invitation = try db.ok("invitation.create", fill(#"{"by": "$member", "channel": "email", "name": "Karim", "email": "karim@example.org"}"#))
            ids["invitation"] = invitation["id"]?.stringValue
            ids["code"] = invitation["code"]?.stringValue
            try db.ok("outreach.send", fill(#"{"need": "$need", "params": {"link": "https://portail.example.org"}}"#))
            ids["message"] = try db.ok("outbox.list", fill(#"{"member": "$member"}"#))["items"]?.arrayValue?.first?["id"]?.stringValue
            ids["backup"] = file.dir.appendingPathComponent("backup.sqlite").path
            let event = try db.ok("learning_event.create", #"{"kind": "webinar", "title": "Ingénierie de projet", "sessions": [{"on": "2026-02-05", "link": "https://visio.example.org"}], "at": "2026-01-15T09:00:00Z"}"#)
            ids["learning_event"] = event["id"]?.stringValue
            ids["session"] = event["sessions"]?.arrayValue?.first?["id"]?.stringValue
            ids["module"] = try id("module.create", #"{"title": "Communication", "competence": "communication", "criteria": {"sessions": ["$session"], "assignment": "Un plan de communication"}, "at": "2026-01-20T09:00:00Z"}"#)
            try db.ok("learning_event.register", fill(#"{"event": "$learning_event", "member": "$member", "at": "2026-02-01T09:00:00Z"}"#))
            ids["enrollment"] = try id("enrollment.create", #"{"module": "$module", "member": "$member", "at": "2026-02-01T09:00:00Z"}"#)
            try db.ok("attendance.record", fill(#"{"session": "$session", "member": "$member", "status": "present", "at": "2026-02-05T18:00:00Z"}"#))
            try db.ok("enrollment.submit", fill(#"{"id": "$enrollment", "submission": "Mon plan", "at": "2026-02-10T09:00:00Z"}"#))
            ids["competence"] = try db.ok("competence.attest", fill(#"{"member": "$adc", "competence": "communication", "attested_on": "2026-02-01"}"#))["id"]?.stringValue
            ids["space"] = try id("space.create", #"{"kind": "thematic", "name": "Eau potable", "theme": "eau", "languages": ["fr", "ar"]}"#)
            try db.ok("space.join", fill(#"{"space": "$space", "member": "$member"}"#))
            let thread = try db.ok("thread.create", fill(#"{"space": "$space", "title": "Puits et citernes", "author": "$member", "body": "Qui a de l'expérience ?"}"#))
            ids["thread"] = thread["id"]?.stringValue
            ids["post"] = thread["post"]?["id"]?.stringValue
            ids["resource"] = try id("resource.create", #"{"space": "$space", "kind": "guide", "title": "Guide du puits", "language": "fr"}"#)
            ids["campaign"] = try id("campaign.create", #"{"project": "$project", "title": {"fr": "Le réseau d'eau"}, "model": "all_or_nothing", "goal": {"minor": 100000, "currency": "EUR"}, "opens_on": "2026-06-01", "closes_on": "2026-06-30"}"#)
            try db.ok("campaign.open", fill(#"{"id": "$campaign"}"#))
            ids["draft"] = try id("campaign.create", #"{"project": "$project", "title": {"fr": "Brouillon"}, "model": "keep_it_all", "goal": {"minor": 50000, "currency": "EUR"}, "opens_on": "2026-07-01", "closes_on": "2026-07-31"}"#)
            ids["pool"] = try id("pool.create", #"{"organization": "$org", "name": "Abondement d'Anzi", "amount": {"minor": 20000, "currency": "EUR"}, "campaign": "$campaign", "rate_bp": 10000, "opens_on": "2026-06-01", "closes_on": "2026-06-30"}"#)
            ids["gift"] = try id("gift.create", #"{"campaign": "$campaign", "member": "$member", "amount": {"minor": 5000, "currency": "EUR"}, "on": "2026-06-05", "collected": true}"#)
        }

        /// The text with every `$name` replaced by the world's id of that name.
        func fill(_ text: String) -> String {
            var t = text
            for (k, v) in ids.sorted(by: { $0.key.count > $1.key.count }) { t = t.replacingOccurrences(of: "$" + k, with: v) }
            return t
        }
    }

    /// The callers of the matrix, by the world's names (`nil`: an anonymous visitor).
    static let callers: [String?] = [nil, "member", "other", "adc", "other_adc", "rep", "facilitator", "admin"]

    /// A valid call of every method that `ContractTests.baselines` does not give.
    static let samples: [String: String] = [
        "meta.version": "{}", "meta.methods": "{}", "territory.get": #"{"code": "09.581.03.03"}"#, "territory.list": #"{"parent": "09.581"}"#,
        "reference.list": #"{"dataset": "pac_sectors"}"#, "organization.get": #"{"id": "$org"}"#, "organization.list": "{}",
        "member.get": #"{"id": "$member"}"#, "member.list": "{}", "member.export": #"{"id": "$member"}"#, "member.erase": #"{"id": "$member"}"#,
        "consent.withdraw": #"{"member": "$member", "purpose": "contact"}"#, "agreement.end": #"{"id": "$agreement", "ended_on": "2026-12-01"}"#,
        "agreement.get": #"{"id": "$agreement"}"#, "agreement.list": "{}", "project.get": #"{"id": "$project"}"#, "project.list": "{}",
        "project.checklist": #"{"id": "$project"}"#, "project.transition": #"{"id": "$project", "to": "identification"}"#,
        "project.endorse": #"{"id": "$project", "on": "2026-05-01"}"#, "project.history": #"{"id": "$project"}"#,
        "need.get": #"{"id": "$need"}"#, "need.list": "{}", "offer.get": #"{"id": "$offer"}"#, "offer.list": "{}",
        "match.need": #"{"need": "$need"}"#, "match.offer": #"{"offer": "$offer"}"#, "match.member": #"{"member": "$member"}"#,
        "match.all": "{}", "match.allocate": "{}", "match.propose": #"{"need": "$need", "offer": "$offer"}"#,
        "match.accept": #"{"id": "$match"}"#, "match.decline": #"{"id": "$match"}"#, "match.get": #"{"id": "$match"}"#, "match.list": "{}",
        "match.weights": "{}", "contribution.get": #"{"id": "$contribution"}"#, "contribution.list": "{}", "interaction.list": "{}",
        "indicators.definitions": "{}", "indicators.compute": #"{"as_of": "2026-12-31", "provenance": true}"#, "event.list": "{}", "audit.verify": "{}",
        "batch": #"{"calls": [{"method": "meta.version"}]}"#,
        "invitation.accept": #"{"code": "$code", "profile": {"name": "Karim", "gender": "m", "roles": ["diaspora"], "residence_country": "FR"}}"#,
        "invitation.get": #"{"id": "$invitation"}"#, "invitation.list": #"{"by": "$member"}"#, "invitation.revoke": #"{"id": "$invitation"}"#,
        "circle.get": #"{"member": "$member"}"#, "circle.indicators": #"{"provenance": true}"#, "outreach.templates": "{}", "outreach.settings": "{}",
        "outreach.configure": #"{"weekly_cap": 3}"#, "outreach.audience": #"{"need": "$need"}"#, "outbox.next": "{}",
        "outbox.ack": #"{"id": "$message", "status": "delivered"}"#, "outbox.get": #"{"id": "$message"}"#, "outbox.list": #"{"member": "$member"}"#,
        "outreach.indicators": #"{"provenance": true}"#,
        "space.create": #"{"kind": "territorial", "name": "Anzi", "territory": "09.581.03.03", "languages": ["shi"]}"#,
        "space.get": #"{"id": "$space"}"#, "space.list": "{}", "space.join": #"{"space": "$space", "member": "$other"}"#,
        "space.add_member": #"{"space": "$space", "member": "$other", "role": "participant"}"#,
        "thread.create": #"{"space": "$space", "title": "Citernes", "author": "$member", "body": "Et les citernes ?"}"#,
        "thread.get": #"{"id": "$thread"}"#, "thread.list": #"{"space": "$space"}"#,
        "post.create": #"{"thread": "$thread", "author": "$member", "body": "Une précision"}"#,
        "post.moderate": #"{"id": "$post", "state": "visible"}"#, "post.flag": #"{"id": "$post", "member": "$member", "reason": "Hors sujet"}"#,
        "competence.credential": #"{"id": "$competence"}"#, "learning.indicators": #"{"provenance": true}"#,
        "resource.create": #"{"space": "$space", "kind": "faq", "title": "FAQ", "language": "fr"}"#, "resource.get": #"{"id": "$resource"}"#,
        "resource.list": "{}", "resource.use": #"{"id": "$resource", "member": "$member", "action": "viewed"}"#,
        "learning_event.create": #"{"kind": "workshop", "title": "Atelier", "sessions": [{"on": "2026-03-01", "place": "Tiznit"}]}"#,
        "learning_event.add_session": #"{"event": "$learning_event", "on": "2026-03-01", "place": "Tiznit"}"#,
        "learning_event.get": #"{"id": "$learning_event"}"#, "learning_event.list": "{}",
        "learning_event.register": #"{"event": "$learning_event", "member": "$other"}"#,
        "attendance.record": #"{"session": "$session", "member": "$member", "status": "absent"}"#, "attendance.list": #"{"session": "$session"}"#,
        "module.create": #"{"title": "Plaidoyer", "competence": "fundraising", "criteria": {"assignment": "Un dossier"}}"#,
        "module.publish": #"{"id": "$module", "criteria": {"assignment": "Un plan révisé"}}"#,
        "module.get": #"{"id": "$module"}"#, "module.list": "{}",
        "enrollment.create": #"{"module": "$module", "member": "$other"}"#, "enrollment.get": #"{"id": "$enrollment"}"#,
        "enrollment.list": #"{"member": "$member"}"#, "enrollment.submit": #"{"id": "$enrollment", "submission": "Plan revu"}"#,
        "enrollment.review": #"{"id": "$enrollment", "status": "accepted"}"#, "enrollment.complete": #"{"id": "$enrollment"}"#,
        "competence.revoke": #"{"member": "$adc", "competence": "communication", "revoked_on": "2026-06-01", "reason": "Formation à refaire"}"#,
        "import.csv": #"{"entity": "members", "csv": "nom;genre;rôles;pays\nKarima;f;diaspora;FR\n", "dry_run": true}"#,
        "campaign.open": #"{"id": "$draft"}"#, "campaign.settle": #"{"id": "$campaign", "on": "2026-07-01"}"#,
        "campaign.get": #"{"id": "$campaign"}"#, "campaign.list": #"{"project": "$project"}"#,
        "gift.get": #"{"id": "$gift"}"#, "gift.list": #"{"campaign": "$campaign"}"#,
        "pool.get": #"{"id": "$pool"}"#, "pool.list": #"{"campaign": "$campaign"}"#,
        "programme.get": #"{"id": "pra_osim"}"#, "programme.list": "{}", "valuation.list": "{}", "rate.list": "{}",
        "project.funding_check": #"{"id": "$project", "on": "2026-06-01"}"#, "finance.indicators": #"{"as_of": "2026-12-31", "provenance": true}"#,
        "export.csv": #"{"entity": "members"}"#, "export.iati": #"{"projects": ["$project"], "check": true}"#, "backup": #"{"path": "$backup"}"#,
    ]

    /// The params of a method's sample call, with the world's ids.
    static func sample(_ method: String, _ world: World) -> String? {
        (samples[method] ?? ContractTests.baselines.first { $0.method == method }?.params).map(world.fill)
    }

    /// Whether `caller` stands in `relation` to the record `params[relation.param]` names,
    /// as the world was built (stated here, independently of the store's queries).
    static func holds(_ relation: Relation, caller: String, params: JSON, world: World) -> Bool {
        guard let named = params[relation.param]?.stringValue else { return false }
        let me = world.ids[caller]
        func `is`(_ name: String) -> Bool { named == world.ids[name] }
        switch relation {
        case .isActor: return named == me
        case .ownsOffer: return `is`("offer") && caller == "member"
        case .adcOfProject: return `is`("project") && caller == "adc"
        case .adcOfNeed: return `is`("need") && caller == "adc"
        case .adcOfContribution: return `is`("contribution") && caller == "adc"
        case .partyToMatch: return `is`("match") && (caller == "member" || caller == "adc")
        case .representsCommuneOf: return `is`("project") && caller == "rep"
        case .belongsTo: return `is`("org") && caller == "rep"
        case .invited: return `is`("invitation") && caller == "member"
        case .recipientOf: return `is`("message") && caller == "member"
        case .learnerOf: return `is`("enrollment") && caller == "member"
        case .holdsCompetence: return `is`("competence") && caller == "adc"
        case .adcOfCampaign: return (`is`("campaign") || `is`("draft")) && caller == "adc"
        case .adcOfGift: return `is`("gift") && caller == "adc"
        case .giverOf: return `is`("gift") && caller == "member"
        }
    }

    /// The roles each caller of the world has.
    static let roles: [String: Set<Role>] = [
        "member": [.diaspora], "other": [.diaspora], "adc": [.adc], "other_adc": [.adc], "rep": [.localActor], "facilitator": [.facilitator], "admin": [.admin],
    ]

    /// What the table says of one cell: admitted to the method, and to each restricted param given.
    static func expected(_ method: String, caller: String?, params: JSON, world: World) -> Bool {
        let viewer = caller.map { Viewer.member(world.ids[$0] ?? "", roles: roles[$0] ?? []) } ?? .anonymous
        let holds = { (r: Relation) -> Bool in caller.map { Self.holds(r, caller: $0, params: params, world: world) } ?? false }
        let rule = AccessTable.rule(method)
        guard AccessRule.admits(rule.grants, viewer, holds: holds) else { return false }
        for (name, grants) in rule.params where params[name] != nil && params[name] != .bool(false) {
            guard AccessRule.admits(grants, viewer, holds: holds) else { return false }
        }
        return true
    }

    @Test("every method has a rule in the access table, and each relation reads a param its method declares")
    func everyMethodHasARule() {
        for m in MethodTable.all {
            #expect(AccessTable.rules[m.name] != nil, "\(m.name) has no access rule")
            for g in m.access.grants + m.access.params.flatMap(\.grants) {
                if case .relation(let r) = g { #expect(m.declaredKeys.contains(r.param), "\(m.name): the relation reads \(r.param), which it does not declare") }
            }
            for p in m.access.params { #expect(m.declaredKeys.contains(p.name), "\(m.name): the restricted param \(p.name) is not declared") }
        }
        #expect(Set(AccessTable.rules.keys) == Set(MethodTable.all.map(\.name)), "the table names only methods that exist")
    }

    @Test("each method × caller × relation is refused exactly where the access table says, with the method's rule key")
    func matrix() throws {
        let world = try World()
        let reader = try world.file.open(OpenOptions())
        for m in MethodTable.all {
            guard let text = Self.sample(m.name, world) else { Issue.record("\(m.name) has no sample call in AccessTests"); continue }
            let params = try JSON.parse(text)
            for caller in Self.callers {
                var p = params.objectValue ?? JSONObject()
                if let caller { p["actor"] = .string(world.ids[caller] ?? "") }
                // A write runs on a copy of the world, so that no cell sees another's change.
                let copy = TempDB()
                let db: CDSDatabase
                if m.mutating {
                    try FileManager.default.copyItem(atPath: world.file.path, toPath: copy.path)
                    db = try copy.open(OpenOptions())
                } else {
                    db = reader
                }
                let answer = try JSON.parse(db.call(m.name, JSON.object(p).text).text)
                let error = answer["error"]
                let refusedByTable = error?["code"] == "forbidden" && error?["details"]?["rule"]?.stringValue?.hasPrefix(m.name) == true
                let want = Self.expected(m.name, caller: caller, params: params, world: world)
                #expect(refusedByTable == !want, "\(m.name) as \(caller ?? "anonymous"): the table says \(want ? "allowed" : "refused"), the call answered \(answer.text.prefix(300))")
            }
        }
    }

    @Test("an actor who does not exist or was erased is refused for every method; the trusted handle may call everything")
    func unknownAndErasedActors() throws {
        let world = try World()
        let db = try world.file.open(OpenOptions())
        for m in MethodTable.all {
            for (actor, rule) in [("mbr_nobody", "actor.unknown"), (world.ids["gone"] ?? "", "actor.erased")] {
                var p = (try JSON.parse(Self.sample(m.name, world) ?? "{}")).objectValue ?? JSONObject()
                p["actor"] = .string(actor)
                let e = try db.err(m.name, JSON.object(p).text)
                #expect(e["code"] == "forbidden" && e["details"]?["rule"]?.stringValue == rule, "\(m.name) as \(rule): \(e.text.prefix(200))")
            }
        }
        let trusted = try world.file.open()
        for m in MethodTable.all where !m.mutating {
            let answer = trusted.call(m.name, Self.sample(m.name, world) ?? "{}")
            #expect(!answer.text.contains("\"forbidden\""), "the trusted system calls \(m.name): \(answer.text.prefix(200))")
        }
    }

    @Test("an anonymous visitor and another member get no contact field anywhere: get, list, export, matches, history, events")
    func noContactFieldForOthers() throws {
        let world = try World()
        let db = try world.file.open(OpenOptions())
        let secrets = [World.email, World.phone, World.city]
        var reads = MethodTable.all.filter { !$0.mutating }.compactMap { m in Self.sample(m.name, world).map { (m.name, $0) } }
        reads += [("member.list", #"{"q": "Brahim"}"#), ("event.list", #"{"limit": 1000}"#), ("indicators.compute", #"{"as_of": "2026-12-31"}"#)]
        for caller in [nil, "other", "other_adc", "rep"] as [String?] {
            for (method, params) in reads {
                var p = (try JSON.parse(params)).objectValue ?? JSONObject()
                if let caller { p["actor"] = .string(world.ids[caller] ?? "") }
                let text = db.call(method, JSON.object(p).text).text
                for s in secrets { #expect(!text.contains(s), "\(method) as \(caller ?? "anonymous") shows \(s)") }
            }
        }
        // Who may see them does: herself, a facilitator, and the ADC once a match is accepted.
        for caller in ["member", "facilitator", "admin"] {
            let m = try db.ok("member.get", world.fill(#"{"id": "$member", "actor": "$\#(caller)"}"#))
            #expect(m["email"]?.stringValue == World.email && m["redacted"] == nil, "\(caller) sees the contact")
        }
        let before = try db.ok("member.get", world.fill(#"{"id": "$member", "actor": "$adc"}"#))
        #expect(before["email"] == nil && before["redacted"] == .strings(Visibility.contactFields), "the ADC sees no contact before a match is accepted")
        try db.ok("match.accept", world.fill(#"{"id": "$match", "actor": "$member"}"#))
        let after = try db.ok("member.get", world.fill(#"{"id": "$member", "actor": "$adc"}"#))
        #expect(after["email"]?.stringValue == World.email, "the ADC of the project sees the contact once the match is accepted")
        let otherADC = try db.ok("member.get", world.fill(#"{"id": "$member", "actor": "$other_adc"}"#))
        #expect(otherADC["email"] == nil, "another ADC still does not")
    }

    @Test("members who do not consent to publication are left out of an anonymous list, and the list says how many")
    func listsSayWhatTheyWithhold() throws {
        let world = try World()
        let db = try world.file.open(OpenOptions())
        let anonymous = try db.ok("member.list", #"{"limit": 100}"#)
        let names = Set((anonymous["items"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue })
        #expect(names == ["Naima"], "only the member who consents to publication: \(names)")
        #expect(anonymous["withheld"]?.intValue == 7, "the others are counted: \(anonymous["withheld"]?.text ?? "none")")
        let e = try db.err("member.get", world.fill(#"{"id": "$member"}"#))
        #expect(e["code"] == "forbidden" && e["details"]?["rule"] == "member.unpublished")
        let all = try world.file.open().ok("member.list", #"{"limit": 100}"#)
        #expect(all["items"]?.arrayValue?.count == 8 && all["withheld"] == nil, "the trusted system sees everyone")
        // The project is not published yet: an anonymous visitor neither sees it nor its need.
        #expect(try db.err("project.get", world.fill(#"{"id": "$project"}"#))["details"]?["rule"] == "project.unpublished")
        #expect(try db.ok("need.list")["withheld"]?.intValue == 1)
        #expect(try db.ok("project.get", world.fill(#"{"id": "$project", "actor": "$adc"}"#))["id"]?.stringValue == world.ids["project"])
        // Its commune's representative sees it, to endorse it; other members do not.
        #expect(try db.ok("project.get", world.fill(#"{"id": "$project", "actor": "$rep"}"#))["id"]?.stringValue == world.ids["project"])
        #expect(try db.err("project.get", world.fill(#"{"id": "$project", "actor": "$other"}"#))["details"]?["rule"] == "project.unpublished")
        // The matcher names no need of a project the caller may not open.
        let mine = try db.ok("match.member", world.fill(#"{"member": "$member", "actor": "$member"}"#))
        #expect(mine["matches"]?.arrayValue?.isEmpty == true && mine["withheld"]?.intValue == 1, "\(mine.text.prefix(300))")
        let staff = try db.ok("match.member", world.fill(#"{"member": "$member", "actor": "$facilitator"}"#))
        #expect(staff["matches"]?.arrayValue?.count == 1 && staff["withheld"] == nil)
    }

    @Test("only an admin or the trusted system grants the facilitator or admin role; the adc role needs a facilitator")
    func roleGrants() throws {
        let world = try World()
        let db = try world.file.open(OpenOptions())
        func create(_ roles: String, by actor: String?) -> JSON {
            let who = actor.map { #", "actor": "$\#($0)""# } ?? ""
            return (try? JSON.parse(db.call("member.create", world.fill(#"{"name": "Nouveau", "gender": "x", "residence_country": "MA", "roles": \#(roles)\#(who)}"#)).text)) ?? .null
        }
        #expect(create(#"["diaspora"]"#, by: nil)["result"] != nil, "anyone signs up as diaspora")
        for (roles, actor, allowed) in [(#"["facilitator"]"#, nil, false), (#"["facilitator"]"#, "facilitator", false), (#"["admin"]"#, "facilitator", false),
                                        (#"["facilitator"]"#, "admin", true), (#"["adc"]"#, nil, false), (#"["adc"]"#, "facilitator", true)] as [(String, String?, Bool)] {
            let r = create(roles, by: actor)
            #expect((r["result"] != nil) == allowed, "\(roles) by \(actor ?? "anonymous"): \(r.text.prefix(200))")
            if !allowed { #expect(r["error"]?["details"]?["rule"] == "member.roles") }
        }
        let selfPromotion = try db.err("member.update", world.fill(#"{"id": "$member", "roles": ["diaspora", "admin"], "actor": "$member"}"#))
        #expect(selfPromotion["details"]?["rule"] == "member.roles", "a member does not make herself an admin")
        try db.ok("member.update", world.fill(#"{"id": "$member", "roles": ["diaspora", "local_actor"], "actor": "$member"}"#))
    }

    @Test("a batch acts as its actor for every call, and no call of it may name another")
    func batchActsAsItsActor() throws {
        let world = try World()
        let db = try world.file.open(OpenOptions())
        let e = try db.err("batch", world.fill(#"{"actor": "$member", "calls": [{"method": "member.get", "params": {"id": "$other", "actor": "$facilitator"}}]}"#))
        #expect(e["details"]?["rule"] == "batch.actor")
        let refused = try db.err("batch", world.fill(#"{"actor": "$member", "calls": [{"method": "event.list"}]}"#))
        #expect(refused["details"]?["rule"] == "event.list" && refused["details"]?["index"] == .int(0), "an inner call is checked as the batch's actor")
        let mine = try db.ok("batch", world.fill(#"{"actor": "$member", "calls": [{"method": "member.get", "params": {"id": "$member"}}]}"#))
        #expect(mine["results"]?.arrayValue?.first?["email"]?.stringValue == World.email)
    }
}
