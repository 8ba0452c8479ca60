@_spi(Tooling) import CDS
import CDSCore
import CDSStore
import Foundation
import GRDB
import Testing

/// The event log's payloads: typed, versioned, written and read by the event types of
/// CDSCore/Events, and unchanged from release 0.1.0 so that its databases still read.
@Suite("Event payloads")
struct EventPayloadTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/release-0.1.0.sqlite")

    /// A copy of the release's database, opened (and migrated) by this build.
    static func openFixture(_ tmp: TempDB) throws -> CDSDatabase {
        try FileManager.default.copyItem(atPath: fixture.path, toPath: tmp.path)
        return try tmp.open()
    }

    static func instant(_ s: String) throws -> Instant { try #require(Instant(s)) }
    static func date(_ s: String) throws -> LocalDate { try #require(LocalDate(s)) }

    /// The storage error decoding `payload` as an event of `type` throws, if any.
    static func decodeError(seq: Int64 = 7, _ type: String, _ payload: String) -> CDSError? {
        do { _ = try LoggedEvent.decode(seq: seq, type: type, payload: payload); return nil } catch { return error }
    }

    @Test("an event payload written by the release still decodes")
    func releasePayloadsDecode() throws {
        let tmp = TempDB()
        let db = try Self.openFixture(tmp)
        let raw = try IndicatorTests.rawEvents(db.store)
        #expect(raw.count == 185)
        #expect(Set(raw.map(\.type)).count == 18)
        for (n, e) in raw.enumerated() {
            #expect(throws: Never.self, "\(e.type)") { try LoggedEvent.decode(seq: Int64(n + 1), type: e.type, payload: e.payload.text) }
        }
        #expect(try db.store.indicatorEvents().count == 185)
        #expect(try db.ok("audit.verify")["ok"] == true)
    }

    @Test("renaming an API field does not change the stored payload: each event type writes release 0.1.0's text")
    func payloadsKeepTheReleaseShape() throws {
        // Literals copied from the fixture database written by release 0.1.0 (events 2, 4, 12, 42 and 180).
        let at = try Self.instant("2026-01-05T09:30:00Z")
        var m = Member(id: "mbr_2cky3j0s583v1be4", name: "Samira Ait Lahcen", email: "samira.facilitation@example.org", gender: .f,
                       roles: [.facilitator, .admin], residenceCountry: "MA", residenceCity: "Agadir", languages: ["ar", "shi", "fr", "en"],
                       skills: ["2421", "S1.3"], organizations: [Membership(organization: "org_yq3fhx78meg95y9r", role: "coordinatrice")],
                       consents: [Consent(purpose: .processing, version: "2026-01", givenAt: at)], createdAt: at, updatedAt: at)
        #expect(MemberCreated.payload(m).text == #"{"after":{"id":"mbr_2cky3j0s583v1be4","name":"Samira Ait Lahcen","email":"samira.facilitation@example.org","phone":null,"gender":"f","roles":["facilitator","admin"],"residence_country":"MA","residence_city":"Agadir","origin":null,"heart_diaspora":false,"languages":["ar","shi","fr","en"],"skills":["2421","S1.3"],"adc_commune":null,"invited_by":null,"organizations":[{"organization":"org_yq3fhx78meg95y9r","role":"coordinatrice"}],"consents":[{"purpose":"processing","version":"2026-01","given_at":"2026-01-05T09:30:00Z","withdrawn_at":null}],"competences":[],"created_at":"2026-01-05T09:30:00Z","updated_at":"2026-01-05T09:30:00Z","erased_at":null}}"#)

        let a = Agreement(id: "agr_7qn5711s46y2bpxj", organization: "org_vrh1y1aavkjwp7hm", signedOn: try Self.date("2026-01-12"), endsOn: nil, reference: "CDS-SM/2026/1")
        #expect(AgreementSigned.payload(a).text == #"{"after":{"id":"agr_7qn5711s46y2bpxj","organization":"org_vrh1y1aavkjwp7hm","signed_on":"2026-01-12","ends_on":null,"ended_on":null,"end_reason":null,"reference":"CDS-SM/2026/1","in_force":true}}"#)

        let c = Competence(id: "cmp_9x3ydyxc68gw4wb1", member: "mbr_ja7bkhqr3dzh80ke", competence: .projectEngineering, attestedOn: try Self.date("2026-02-25"),
                           attestedBy: "mbr_2cky3j0s583v1be4", module: "Module 1 — formation des ADC")
        #expect(CompetenceAttested.payload(c).text == #"{"after":{"id":"cmp_9x3ydyxc68gw4wb1","member":"mbr_ja7bkhqr3dzh80ke","competence":"project_engineering","attested_on":"2026-02-25","by":"mbr_2cky3j0s583v1be4","module":"Module 1 — formation des ADC"}}"#)

        let pledged = Contribution(id: "ctb_p49pc2dvq66wkh26", project: "prj_gh6h3k5khjt7gc8f", need: "ned_0ds711chem4rvdq1", member: nil, organization: "org_r04crm31q67cv2hq",
                                   kind: .finance, quantity: Quantity(unit: .money, amount: 20_000_000, currency: "MAD"), pledgedOn: try Self.date("2026-05-25"),
                                   note: "Promesse enregistrée lors de la mobilisation", at: try Self.instant("2026-05-25T13:00:00Z"))
        #expect(ContributionPledged.payload(pledged).text == #"{"after":{"id":"ctb_p49pc2dvq66wkh26","project":"prj_gh6h3k5khjt7gc8f","need":"ned_0ds711chem4rvdq1","member":null,"organization":"org_r04crm31q67cv2hq","kind":"finance","quantity":{"unit":"money","amount":20000000,"currency":"MAD"},"status":"pledged","pledged_on":"2026-05-25","confirmed_on":null,"delivered_on":null,"cancelled_on":null,"note":"Promesse enregistrée lors de la mobilisation","match":null,"created_at":"2026-05-25T13:00:00Z","updated_at":"2026-05-25T13:00:00Z"}}"#)

        let i = Interaction(id: "int_dcmnmhmhs11hh25k", kind: .webinar, on: try Self.date("2026-04-18"), member: nil, diasporaOrganization: "org_r04crm31q67cv2hq",
                            organization: "org_kyedsjr4c8rrm1ef", localMember: nil, project: nil, note: nil, createdAt: try Self.instant("2026-04-18T18:00:00Z"))
        #expect(InteractionRecorded.payload(i).text == #"{"after":{"id":"int_dcmnmhmhs11hh25k","kind":"webinar","on":"2026-04-18","member":null,"diaspora_organization":"org_r04crm31q67cv2hq","organization":"org_kyedsjr4c8rrm1ef","local_member":null,"project":null,"note":null,"created_at":"2026-04-18T18:00:00Z"}}"#)

        // A change records only the changed fields, under their v1 names.
        var moved = m
        moved.residenceCountry = "FR"
        moved.updatedAt = try Self.instant("2026-02-01T00:00:00Z")
        #expect(MemberUpdated.payload(before: m, after: moved).text == #"{"before":{"residence_country":"MA"},"after":{"residence_country":"FR"}}"#)
        m.erasedAt = nil
    }

    @Test("a payload is read back as the facts it was written with")
    func payloadsRoundTrip() throws {
        let at = try Self.instant("2026-03-01T10:00:00Z")
        let m = Member(id: "mbr_x", name: "Aicha", gender: .f, roles: [.diaspora], residenceCountry: "BE", origin: "09.541.11.33", createdAt: at, updatedAt: at)
        let e = try LoggedEvent.decode(seq: 1, type: EventType.memberCreated.rawValue, payload: MemberCreated.payload(m).text)
        var f = MemberFacts()
        f.roles = ["diaspora"]; f.heartDiaspora = false; f.gender = "f"; f.residenceCountry = "BE"; f.origin = .some("09.541.11.33"); f.adcCommune = .some(nil)
        f.invitedBy = .some(nil)
        #expect(e == .member(f, creation: true))
        var c = Contribution(id: "ctb_x", project: "prj_x", need: nil, member: "mbr_x", organization: nil, kind: .skill,
                             quantity: Quantity(unit: .personDays, amount: 4), pledgedOn: try Self.date("2026-03-01"), note: nil, at: at)
        let before = c
        try c.move(to: .confirmed, on: try Self.date("2026-03-04"))
        let moved = try LoggedEvent.decode(seq: 2, type: EventType.contributionMoved(to: .confirmed).rawValue,
                                           payload: ContributionMoved.payload(before: before, after: c).text)
        #expect(moved == .contributionMoved(.confirmed, on: try Self.date("2026-03-04")))
    }

    @Test("a payload with a missing field is a storage error naming the event")
    func missingFieldIsStorageError() throws {
        let created = #"{"after":{"id":"mbr_x","roles":["diaspora"],"residence_country":"FR","origin":null,"heart_diaspora":false,"adc_commune":null}}"#
        let e = try #require(Self.decodeError(seq: 7, "member.created", created))
        #expect(e.code == .storage)
        #expect(e.details["seq"] == 7)
        #expect(e.details["type"] == "member.created")
        #expect(e.details["field"] == "after.gender")
        #expect(e.message.contains("event 7 (member.created)"))
        // A change need not repeat what it leaves alone.
        #expect(Self.decodeError("member.updated", #"{"before":{},"after":{"residence_country":"FR"}}"#) == nil)
        #expect(Self.decodeError(seq: 9, "contribution.confirmed", #"{"before":{},"after":{"status":"confirmed"}}"#)?.details["field"] == "after.confirmed_on")
        #expect(Self.decodeError("agreement.signed", #"{"before":{}}"#)?.details["field"] == "after")
    }

    @Test("a payload of the wrong type, unreadable, of an unknown version or event type is a storage error naming the event")
    func unreadablePayloadIsStorageError() throws {
        let cases: [(type: String, payload: String, field: String)] = [
            ("member.updated", #"{"after":{"roles":"diaspora"}}"#, "after.roles"),
            ("member.updated", #"{"after":{"roles":["diaspora", 3]}}"#, "after.roles"),
            ("contribution.pledged", #"{"after":{"project":"p","member":null,"organization":"o","kind":"finance","quantity":{"unit":"money","amount":"12","currency":"MAD"},"pledged_on":"2026-01-01"}}"#, "after.quantity.amount"),
            ("agreement.ended", #"{"after":{"ended_on":"2026-13-01"}}"#, "after.ended_on"),
            ("project.updated", #"{"after":{"partners":[{"role":"lead"}]}}"#, "after.partners[0].organization"),
            ("project.transitioned", #"{"after":{"stage":"ready"},"from":"idea"}"#, "to"),
            ("interaction.recorded", #"{"after":{"on":"2026-01-01""#, "payload"),
            ("member.erased", #"[1]"#, "payload"),
            ("member.erased", #"{"version":2,"after":{"erased_at":"2026-01-01T00:00:00Z"}}"#, "version"),
            ("member.renamed", #"{"after":{}}"#, "type"),
        ]
        for c in cases {
            let e = Self.decodeError(seq: 42, c.type, c.payload)
            #expect(e?.code == .storage, "\(c.payload)")
            #expect(e?.details["field"] == .string(c.field), "\(c.payload)")
            #expect(e?.details["seq"] == 42)
        }
    }

    @Test("a damaged payload in the log makes indicators answer a storage error naming the event, never a default")
    func damagedLogIsStorageError() throws {
        let tmp = TempDB()
        do {
            let db = try tmp.open()
            _ = try db.diaspora()
        }
        let q = try GRDBQueue(tmp.path)
        try q.execute("DROP TRIGGER event_is_append_only_update")
        try q.execute(#"UPDATE event SET payload = json_remove(payload, '$.after.gender') WHERE type = 'member.created'"#)
        let db = try tmp.open()
        let e = try db.err("indicators.compute", #"{"as_of": "2026-06-30"}"#)
        #expect(e["code"] == "storage")
        #expect(e["details"]?["type"] == "member.created")
        #expect(e["details"]?["field"] == "after.gender")
    }

    @Test("a project's history and replay read its events through their types: a damaged payload is a storage error naming the event")
    func damagedProjectHistoryIsStorageError() throws {
        let tmp = TempDB()
        let id: String
        do {
            let db = try tmp.open()
            id = try db.ok("project.create", #"{"title": {"fr": "Eau"}, "communes": ["09.581.03.03"]}"#)["id"]?.stringValue ?? ""
            let items = try db.ok("project.history", #"{"id": "\#(id)"}"#)["items"]?.arrayValue ?? []
            #expect(items.count == 1)
            #expect(items.first?["changes"]?["communes"] == ["09.581.03.03"])
            #expect(items.first?["from"] == .null)
        }
        let q = try GRDBQueue(tmp.path)
        try q.execute("DROP TRIGGER event_is_append_only_update")
        try q.execute(#"UPDATE event SET payload = '{"before":{}}' WHERE type = 'project.created'"#)
        let db = try tmp.open()
        let e = try db.err("project.history", #"{"id": "\#(id)"}"#)
        #expect(e["code"] == "storage")
        #expect(e["details"]?["type"] == "project.created")
        #expect(e["details"]?["field"] == "after")
        #expect(throws: CDSError.self) { try db.store.replayProject(id) }
    }

    @Test("every creation in the release's log is written again to the same text by its event type")
    func releaseCreationsRewriteIdentically() throws {
        let tmp = TempDB()
        let db = try Self.openFixture(tmp)
        var checked = 0
        for e in try IndicatorTests.rawEvents(db.store) {
            guard let after = e.payload["after"] else { continue }
            let again: JSON
            switch e.type {
            case "need.created": again = NeedEvents.created(try Need(json: after))
            case "offer.created": again = OfferEvents.created(try Offer(json: after))
            case "contribution.pledged": again = ContributionPledged.payload(try Contribution(json: after))
            case "interaction.recorded": again = InteractionRecorded.payload(try Interaction(json: after))
            default: continue
            }
            #expect(again.text == e.payload.text, "\(e.type) \(e.subject)")
            checked += 1
        }
        #expect(checked > 20)

        let at = try Self.instant("2026-01-11T10:00:00Z")
        let o = Organization(id: "org_e8cy6hdfpafpfr69", kind: .commune, name: "Commune d'Anzi", country: "MA", territory: "09.581.03.03", city: nil,
                             email: nil, website: nil, sectors: [], createdAt: at, updatedAt: at)
        #expect(OrganizationEvents.created(o).text == #"{"after":{"id":"org_e8cy6hdfpafpfr69","kind":"commune","name":"Commune d'Anzi","country":"MA","territory":"09.581.03.03","city":null,"email":null,"website":null,"sectors":[],"created_at":"2026-01-11T10:00:00Z","updated_at":"2026-01-11T10:00:00Z"}}"#)
        let m = Match(id: "mch_e57gagkdr8nn6zb8", need: "ned_xdvpxm29emdb2tc9", offer: "ofr_g1ndkgz9b973yptz", project: "prj_r92yf2xbpg6jcrb8",
                      member: "mbr_tj8m9q8hk0nh908p", organization: nil, score: 0.625, explanation: ["why": "here"], at: at)
        #expect(MatchEvents.payload(m).text == #"{"after":{"id":"mch_e57gagkdr8nn6zb8","need":"ned_xdvpxm29emdb2tc9","offer":"ofr_g1ndkgz9b973yptz","project":"prj_r92yf2xbpg6jcrb8","member":"mbr_tj8m9q8hk0nh908p","organization":null,"status":"proposed","score":0.625,"contribution":null}}"#)
    }

    @Test("settings events keep release 0.1.0's shape: a target by its value, weights by component name")
    func settingPayloadsKeepTheReleaseShape() {
        #expect(IndicatorTargetSet.payload(target: 60).text == #"{"after":{"target":60}}"#)
        #expect(IndicatorTargetSet.payload(target: 0.5).text == #"{"after":{"target":0.5}}"#)
        #expect(MatchWeightsSet.payload(before: .standard, after: MatchWeights(skills: 50, territory: 20, time: 10, capacity: 10, sector: 10)).text
                == #"{"before":{"skills":40,"territory":25,"time":15,"capacity":10,"sector":10},"after":{"skills":50,"territory":20,"time":10,"capacity":10,"sector":10}}"#)
        #expect(MatchWeightsSet.payload(before: .standard, after: .standard).text == JSON.object(["before": MatchWeights.standard.json, "after": MatchWeights.standard.json]).text)
    }

    @Test("a project's log shape is release 0.1.0's: every project of the release's database is written again to its stored text")
    func projectSnapshotKeepsTheReleaseShape() throws {
        let tmp = TempDB()
        _ = try Self.openFixture(tmp)
        let docs = try GRDBQueue(tmp.path).queue.read { db in try String.fetchAll(db, sql: "SELECT doc FROM project ORDER BY seq") }
        #expect(docs.count > 3)
        for doc in docs {
            #expect(ProjectEvents.snapshot(try Project(json: try JSON.parse(doc))).text == doc)
        }
    }

    @Test("learning events write their v1 shape; module.completed and competence.revoked read back as an attestation with its origin and a revocation")
    func learningPayloads() throws {
        let at = try Self.instant("2026-02-01T09:00:00Z")
        var e = Enrollment(id: "enr_x", module: "mod_x", member: "mbr_x", criteriaVersion: 2, enrolledAt: at)
        let completed = ModuleCompleted.payload(e, competence: .communication, completedOn: try Self.date("2026-02-20"), recordedOn: try Self.date("2026-12-15"), record: "cmp_x")
        #expect(completed.text == #"{"after":{"enrollment":"enr_x","module":"mod_x","competence":"communication","criteria_version":2,"completed_on":"2026-02-20","recorded_on":"2026-12-15","record":"cmp_x"}}"#)
        #expect(try LoggedEvent.decode(seq: 1, type: "module.completed", payload: completed.text)
                == .competenceAttested(competence: "communication", attestedOn: try Self.date("2026-02-20"),
                                       origin: CompetenceOrigin(kind: "module", id: "enr_x", module: "mod_x", criteriaVersion: 2)))
        let revoked = CompetenceRevoked.payload(competence: .communication, revokedOn: try Self.date("2026-06-01"), reason: "Erreur")
        #expect(revoked.text == #"{"after":{"competence":"communication","revoked_on":"2026-06-01","reason":"Erreur"}}"#)
        #expect(try LoggedEvent.decode(seq: 2, type: "competence.revoked", payload: revoked.text) == .competenceRevoked(competence: "communication", revokedOn: try Self.date("2026-06-01")))
        #expect(Self.decodeError("competence.revoked", #"{"after":{"competence":"communication","revoked_on":"2026-06-01","reason":""}}"#)?.details["field"] == "after.reason")
        #expect(Self.decodeError("module.completed", #"{"after":{"enrollment":"enr_x","module":"mod_x","competence":"communication","completed_on":"2026-02-20","recorded_on":"2026-12-15"}}"#)?.details["field"] == "after.criteria_version")
        let session = LearningSession(id: "ses_x", event: "lev_x", on: try Self.date("2026-02-05"), place: nil, link: "https://visio.example.org")
        let event = LearningEvent(id: "lev_x", space: nil, kind: .webinar, title: "Webinaire", sessions: [session], createdAt: at)
        e.assignment = .returned
        let samples: [(EventType, JSON)] = [
            (.sessionScheduled, LearningEvents.sessionScheduled(session)),
            (.registrationRecorded, LearningEvents.registered(event: "lev_x", member: "mbr_x")),
            (.moduleCreated, LearningEvents.moduleCreated(TrainingModule(id: "mod_x", space: nil, competence: .communication, title: "Module", versions: [], createdAt: at))),
            (.criteriaPublished, LearningEvents.criteriaPublished(module: "mod_x", version: 1, criteria: ModuleCriteria(sessions: ["ses_x"]))),
            (.enrollmentCreated, LearningEvents.enrolled(e)), (.assignmentSubmitted, LearningEvents.assignment(enrollment: "enr_x", status: .submitted, note: nil)),
            (.assignmentReviewed, LearningEvents.assignment(enrollment: "enr_x", status: .returned, note: "Ajoutez le budget")),
        ]
        #expect(LearningEvents.attendance(session, member: "mbr_x", status: .present).text == #"{"after":{"session":"ses_x","event":"lev_x","on":"2026-02-05","member":"mbr_x","status":"present"}}"#)
        let post = Post(id: "pst_x", thread: "thr_x", parent: nil, author: "mbr_x", body: "Bonjour", state: .held, createdAt: at)
        #expect(PostEvents.created(post, space: "spc_x").text == #"{"after":{"id":"pst_x","thread":"thr_x","space":"spc_x","parent":null,"author":"mbr_x","state":"held"}}"#)
        #expect(try LoggedEvent.decode(seq: 4, type: "post.created", payload: PostEvents.created(post, space: "spc_x").text) == .postCreated(space: "spc_x", author: "mbr_x", state: .held))
        #expect(try LoggedEvent.decode(seq: 5, type: "post.moderated", payload: PostEvents.moderated(id: "pst_x", from: .held, to: .visible, reason: nil).text) == .postModerated(state: .visible))
        #expect(try LoggedEvent.decode(seq: 6, type: "thread.created", payload: PostEvents.threadCreated(id: "thr_x", space: "spc_x", title: "T", held: true).text) == .heldThread)
        #expect(Self.decodeError("post.moderated", #"{"after":{"id":"pst_x","state":"archived"}}"#)?.details["field"] == "after.state")
        let space = LearningSpace(id: "spc_x", kind: .thematic, name: "Eau", theme: "eau", languages: ["fr"], access: .open, createdAt: at)
        let res = LearningResource(id: "res_x", space: "spc_x", kind: .guide, title: "Guide", language: "ar", original: "res_o", tags: ["eau"], createdAt: at)
        #expect(ResourceEvents.created(res).text == #"{"after":{"id":"res_x","space":"spc_x","kind":"guide","language":"ar","original":"res_o","sector":null,"tags":["eau"]}}"#)
        #expect(try LoggedEvent.decode(seq: 7, type: "resource.created", payload: ResourceEvents.created(res).text) == .resourceCreated(space: "spc_x", language: "ar"))
        #expect(try LoggedEvent.decode(seq: 8, type: "resource.used", payload: ResourceEvents.used(res, member: "mbr_x", action: .downloaded).text) == .resourceUsed(member: "mbr_x"))
        #expect(Self.decodeError("resource.used", #"{"after":{"resource":"res_x","member":"mbr_x","action":"liked","language":"ar"}}"#)?.details["field"] == "after.action")
        #expect(try LoggedEvent.decode(seq: 9, type: "space.created", payload: PostEvents.spaceCreated(space).text) == .spaceCreated(territory: nil))
        #expect(try LoggedEvent.decode(seq: 10, type: "learning_event.created", payload: LearningEvents.eventCreated(event).text) == .learningEventCreated(space: nil))
        #expect(try LoggedEvent.decode(seq: 11, type: "attendance.recorded", payload: LearningEvents.attendance(session, member: "mbr_x", status: .present).text)
                == .attendanceRecorded(event: "lev_x", member: "mbr_x", status: "present"))
        let more: [(EventType, JSON)] = [(.spaceMemberAdded, PostEvents.memberAdded(space: "spc_x", member: "mbr_x", role: .participant)),
                                         (.postFlagged, PostEvents.flagged(post: "pst_x", member: "mbr_y")),
                                         (.threadCreated, PostEvents.threadCreated(id: "thr_x", space: "spc_x", title: "T", held: false))]
        for (type, payload) in samples + more {
            #expect(try LoggedEvent.decode(seq: 3, type: type.rawValue, payload: payload.text) == .activity, "\(type.rawValue)")
        }
    }

    /// One sample of each of the 13 finance event types, as the store writes them.
    static func financeSamples() throws -> [(EventType, JSON, FinanceFact)] {
        let at = try instant("2026-06-01T09:00:00Z")
        let june = try date("2026-06-02"), july = try date("2026-07-01")
        let programme = try FundingProgramme(stored: try JSON.parse(#"{"id": "anzi_fund", "version": 2, "builtin": false, "name": {"fr": "Fonds d'Anzi"}, "funder": "Commune d'Anzi", "currency": "MAD", "max_share_bp": 3000, "source": "Délibération", "read_on": "2026-03-01"}"#))
        let valuation = ValuationRate(key: "volunteer_day", kind: .volunteerTime, unitValue: Money(minor: 12000, currency: "MAD"), from: try date("2026-01-01"))
        let rate = try ExchangeRate(from: "EUR", to: "MAD", rate: "10.85", on: try date("2026-01-01"))
        var campaign = Campaign(id: "cmp_x", project: "prj_x", need: nil, title: try LocalizedText(json: ["fr": "Le réseau d'eau"], field: "title", max: Limits.name),
                                model: .allOrNothing, goal: Money(minor: 100000, currency: "EUR"), opensOn: try date("2026-06-01"), closesOn: try date("2026-06-30"), at: at)
        let created = campaign
        campaign.status = .open
        let opened = campaign
        campaign.status = .succeeded
        campaign.settledOn = july
        let pool = MatchingPool(id: "pol_x", organization: "org_x", member: nil, name: "Abondement", amount: Money(minor: 3000, currency: "EUR"), campaign: "cmp_x",
                                project: nil, rateBP: 10000, capPerDonor: 2000, opensOn: try date("2026-06-01"), closesOn: try date("2026-06-30"), at: at)
        let pledged = Gift(id: "gft_x", campaign: "cmp_x", member: "mbr_x", organization: nil, amount: Money(minor: 5000, currency: "EUR"),
                           original: Money(minor: 54250, currency: "MAD"), rate: rate, pledgedOn: june, at: at)
        var collected = pledged
        try collected.move(to: .collected, on: june)
        collected.matches = [GiftMatch(pool: "pol_x", amount: 2000, wanted: 5000, limitedBy: .capPerDonor)]
        var refunded = collected
        try refunded.move(to: .refunded, on: july)
        var cancelled = pledged, errored = pledged
        try cancelled.move(to: .cancelled, on: june)
        try errored.move(to: .errored, on: june)
        var dropped = errored
        try dropped.move(to: .dropped, on: july)
        return [
            (.programmeDefined, programme.json, .programme(programme)), (.valuationSet, valuation.json, .valuation(valuation)), (.rateSet, rate.json, .rate(rate)),
            (.campaignCreated, created.json, .campaign(created)), (.campaignOpened, opened.json, .campaign(opened)), (.campaignSettled, campaign.json, .campaign(campaign)),
            (.poolCreated, pool.json, .pool(pool)), (.giftPledged, pledged.json, .gift(pledged)), (.giftCollected, collected.json, .gift(collected)),
            (.giftRefunded, refunded.json, .gift(refunded)), (.giftCancelled, cancelled.json, .gift(cancelled)), (.giftErrored, errored.json, .gift(errored)),
            (.giftDropped, dropped.json, .gift(dropped)),
        ]
    }

    @Test("finance events write {\"after\": the fact} and read back as the fact they were written with, each of the 13 types")
    func financePayloadsRoundTrip() throws {
        let samples = try Self.financeSamples()
        #expect(Set(samples.map(\.0.rawValue)).count == 13)
        for (type, fact, expected) in samples {
            let text = FinanceEvents.payload(fact).text
            #expect(text == #"{"after":"# + fact.text + "}")
            #expect(try FinanceEvents.decode(PayloadReader(seq: 3, type: type.rawValue, text: text)) == expected, "\(type.rawValue)")
            #expect(try LoggedEvent.decode(seq: 3, type: type.rawValue, payload: text) == .activity, "\(type.rawValue)")
        }
    }

    @Test("a finance event reads only what it says: a gift event's gift in another status or without that status's day, or a damaged field, is a storage error naming it")
    func financeEventReadsOnlyWhatItSays() throws {
        let samples = try Self.financeSamples()
        func damaged(_ type: EventType, _ edit: (inout JSONObject) -> Void) throws -> String {
            var o = try #require(samples.first { $0.0 == type }?.1.objectValue)
            edit(&o)
            return FinanceEvents.payload(.object(o)).text
        }
        let cases: [(EventType, String, String)] = [
            (.giftCollected, try damaged(.giftCollected) { $0["status"] = "pledged" }, "after.status"),
            (.giftCollected, try damaged(.giftCollected) { $0["collected_on"] = .null }, "after.collected_on"),
            (.giftRefunded, try damaged(.giftRefunded) { $0["refunded_on"] = nil }, "after.refunded_on"),
            (.giftRefunded, try damaged(.giftRefunded) { $0["amount"] = ["minor": "5000", "currency": "EUR"] }, "after.amount.minor"),
            (.giftCollected, try damaged(.giftCollected) { $0["matches"] = [["pool": "pol_x", "wanted": 5000]] }, "after.matches[0].amount"),
            (.giftPledged, try damaged(.giftPledged) { $0["pledged_on"] = "2026-02-30" }, "after.pledged_on"),
            (.campaignSettled, try damaged(.campaignSettled) { $0["status"] = "open" }, "after.status"),
            (.campaignSettled, try damaged(.campaignSettled) { $0["settled_on"] = .null }, "after.settled_on"),
            (.campaignOpened, try damaged(.campaignOpened) { $0["status"] = "draft" }, "after.status"),
            (.rateSet, try damaged(.rateSet) { $0["rate"] = "dix" }, "after.rate"),
            (.valuationSet, try damaged(.valuationSet) { $0["unit_value"] = ["minor": 0, "currency": "MAD"] }, "after.unit_value.minor"),
            (.poolCreated, try damaged(.poolCreated) { $0["rate_bp"] = nil }, "after.rate_bp"),
            (.programmeDefined, try damaged(.programmeDefined) { $0["max_total"] = 100; $0["max_amount"] = 200 }, "after.max_amount"),
            (.giftDropped, #"{"before":{}}"#, "after"),
        ]
        for (type, payload, field) in cases {
            let e = Self.decodeError(seq: 11, type.rawValue, payload)
            #expect(e?.code == .storage && e?.details["field"] == .string(field) && e?.details["seq"] == 11 && e?.details["type"] == .string(type.rawValue),
                    "\(type.rawValue) \(payload): \(e?.message ?? "no error")")
        }
    }

    @Test("a damaged gift event in the log makes the finance figures from the log answer a storage error naming the event, never a default")
    func damagedGiftEventIsStorageError() throws {
        let tmp = TempDB()
        do {
            let db = try tmp.open()
            _ = try db.ok("organization.create", #"{"kind": "commune", "territory": "09.581.03.03"}"#)
            let giver = try db.diaspora()
            let project = try db.ok("project.create", #"{"title": {"fr": "Eau"}, "communes": ["09.581.03.03"]}"#)["id"]?.stringValue ?? ""
            let campaign = try db.ok("campaign.create", #"{"project": "\#(project)", "title": {"fr": "Eau"}, "model": "keep_it_all", "goal": {"minor": 100000, "currency": "EUR"}, "opens_on": "2026-06-01", "closes_on": "2026-06-30"}"#)["id"]?.stringValue ?? ""
            try db.ok("campaign.open", #"{"id": "\#(campaign)"}"#)
            try db.ok("gift.create", #"{"campaign": "\#(campaign)", "member": "\#(giver)", "amount": {"minor": 5000, "currency": "EUR"}, "on": "2026-06-02", "collected": true}"#)
            #expect(try db.store.financeIndicators(asOf: try Self.date("2026-12-31"), territory: nil, reportingCurrency: nil, fromLog: true).gifts.count == 1)
        }
        let q = try GRDBQueue(tmp.path)
        try q.execute("DROP TRIGGER event_is_append_only_update")
        try q.execute(#"UPDATE event SET payload = json_remove(payload, '$.after.collected_on') WHERE type = 'gift.collected'"#)
        let db = try tmp.open()
        #expect {
            try db.store.financeIndicators(asOf: try Self.date("2026-12-31"), territory: nil, reportingCurrency: nil, fromLog: true)
        } throws: { error in
            let e = error as? CDSError
            return e?.code == .storage && e?.details["type"] == "gift.collected" && e?.details["field"] == "after.collected_on"
        }
        let e = try db.err("indicators.compute", #"{"as_of": "2026-06-30"}"#)
        #expect(e["code"] == "storage" && e["details"]?["field"] == "after.collected_on", "\(e.text)")
    }
}

