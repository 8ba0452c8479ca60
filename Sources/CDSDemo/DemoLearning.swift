import CDSCore

/// The training of the demo's ADCs (February): the facilitator opens a learning space with
/// its guides, creates the modules project_engineering (three webinar sessions, at most one
/// missed, an assignment she reviews) and communication (three webinar sessions, at most
/// one missed); the ADCs register, their attendance is recorded, assignments are submitted
/// and reviewed, and the completed enrollments attest the competences (evidence:
/// module.completed). Two ADCs complete both modules; the third misses two sessions of
/// project engineering and completes only communication.
enum DemoLearning {
    /// One ADC's February: her attendance at the three sessions of each module, and her assignment.
    struct Learner {
        /// The key of the ADC in the demo's ids (`adc.anzi`…).
        let key: String
        /// Attendance at the project-engineering sessions; empty: not registered.
        let engineering: [String]
        /// Attendance at the communication sessions; empty: not registered.
        let communication: [String]
        /// The days she submits her assignment; a facilitator returns every one but the last.
        let submissions: [String]
    }

    static let learners: [Learner] = [
        Learner(key: "adc.anzi", engineering: ["present", "present", "present"], communication: ["present", "present", "excused"],
                submissions: ["2026-02-20"]),
        Learner(key: "adc.talmakante", engineering: ["present", "absent", "present"], communication: ["present", "present", "present"],
                submissions: ["2026-02-20", "2026-02-23"]),
        Learner(key: "adc.tafraout", engineering: ["present", "absent", "absent"], communication: ["present", "present", "present"], submissions: []),
    ]

    /// February: the space, the webinars, the modules and the enrollments, up to completion.
    static func training(_ call: (String, JSONObject) throws(CDSError) -> JSON, ids: inout [String: String]) throws(CDSError) -> [String] {
        let fac = ids["facilitator"] ?? ""
        func id(_ j: JSON) -> String { j["id"]?.stringValue ?? "" }
        func at(_ day: String, _ time: String = "09:00") -> JSON { .string("\(day)T\(time):00Z") }

        // The space of the ADCs' training, its facilitator and its guides (a translation names its original).
        let space = id(try call("space.create", ["kind": "thematic", "name": "Formation des ADC", "theme": "project engineering and communication",
                                                 "description": "Les modules d'ingénierie de projet et de communication des agents de développement communal",
                                                 "languages": ["fr", "ar", "shi"], "access": "invitation", "actor": .string(fac), "at": at("2026-02-02")]))
        ids["space.adc_training"] = space
        _ = try call("space.add_member", ["space": .string(space), "member": .string(fac), "role": "facilitator", "actor": .string(fac), "at": at("2026-02-02")])
        let guide = id(try call("resource.create", ["space": .string(space), "kind": "guide", "title": "Guide du montage de projet communal", "language": "fr",
                                                    "sector": "GOV", "tags": ["ingénierie", "budget"], "actor": .string(fac), "at": at("2026-02-02", "10:00")]))
        ids["resource.guide.fr"] = guide
        ids["resource.guide.ar"] = id(try call("resource.create", ["space": .string(space), "kind": "guide", "title": "دليل إعداد المشاريع الجماعية", "language": "ar",
                                                                   "original": .string(guide), "sector": "GOV", "tags": ["ingénierie"], "actor": .string(fac),
                                                                   "at": at("2026-02-02", "10:30")]))
        let template = id(try call("resource.create", ["space": .string(space), "kind": "template", "title": "Modèle de fiche projet", "language": "fr",
                                                       "sector": "GOV", "tags": ["ingénierie"], "actor": .string(fac), "at": at("2026-02-02", "11:00")]))

        // Two webinars of three sessions each, and the modules whose criteria name them.
        func webinar(_ title: String, _ days: [String], link: String) throws(CDSError) -> [String] {
            let e = try call("learning_event.create", ["kind": "webinar", "title": .string(title), "space": .string(space), "actor": .string(fac), "at": at("2026-02-02", "12:00"),
                                                       "sessions": .array(days.map { ["on": .string($0), "link": .string(link)] })])
            ids["event." + (title.contains("communication") ? "communication" : "engineering")] = id(e)
            return (e["sessions"]?.arrayValue ?? []).map(id)
        }
        let engineeringSessions = try webinar("Webinaire — ingénierie de projet", ["2026-02-05", "2026-02-12", "2026-02-19"], link: "https://visio.example.org/cds-sm/ingenierie")
        let communicationSessions = try webinar("Webinaire — communication", ["2026-02-09", "2026-02-16", "2026-02-23"], link: "https://visio.example.org/cds-sm/communication")
        let assignment = "La fiche d'un projet de votre commune : le problème, les bénéficiaires, le budget et son plan de financement"
        let modules: [(competence: String, title: String, sessions: [String], assignment: String?)] = [
            ("project_engineering", "Module 1 — ingénierie de projet", engineeringSessions, assignment),
            ("communication", "Module 2 — communication", communicationSessions, nil),
        ]
        var moduleIds: [String: String] = [:]
        for m in modules {
            var criteria: JSONObject = ["sessions": .strings(m.sessions), "max_missed": 1]
            if let a = m.assignment { criteria["assignment"] = .string(a) }
            let created = try call("module.create", ["title": .string(m.title), "competence": .string(m.competence), "space": .string(space),
                                                     "criteria": .object(criteria), "actor": .string(fac), "at": at("2026-02-02", "14:00")])
            moduleIds[m.competence] = id(created)
            ids["module." + m.competence] = id(created)
        }

        var lines = ["Training of the ADCs (February 2026): two webinars of three sessions, at most one missed; project engineering also asks for an assignment a facilitator reviews"]
        for l in learners {
            let adc = ids[l.key] ?? ""
            _ = try call("space.add_member", ["space": .string(space), "member": .string(adc), "role": "participant", "actor": .string(fac), "at": at("2026-02-03")])
            var outcomes: [String] = []
            for (competence, sessions, attendance) in [("project_engineering", engineeringSessions, l.engineering), ("communication", communicationSessions, l.communication)]
            where !attendance.isEmpty {
                let event = ids["event." + (competence == "communication" ? "communication" : "engineering")] ?? ""
                _ = try call("learning_event.register", ["event": .string(event), "member": .string(adc), "actor": .string(adc), "at": at("2026-02-03", "10:00")])
                let enrollment = id(try call("enrollment.create", ["module": .string(moduleIds[competence] ?? ""), "member": .string(adc), "actor": .string(adc),
                                                                   "at": at("2026-02-03", "10:05")]))
                ids["enrollment.\(l.key).\(competence)"] = enrollment
                for (session, status) in zip(sessions, attendance) {
                    let day = try call("learning_event.get", ["id": .string(event)])["sessions"]?.arrayValue?.first { id($0) == session }?["on"]?.stringValue ?? ""
                    _ = try call("attendance.record", ["session": .string(session), "member": .string(adc), "status": .string(status), "actor": .string(fac), "at": at(day, "18:00")])
                }
                if competence == "project_engineering" {
                    for (n, day) in l.submissions.enumerated() {
                        _ = try call("enrollment.submit", ["id": .string(enrollment), "submission": .string("https://docs.example.org/\(l.key)/fiche-projet-v\(n + 1).pdf"),
                                                           "actor": .string(adc), "at": at(day)])
                        let last = n == l.submissions.count - 1
                        var review: JSONObject = ["id": .string(enrollment), "status": .string(last ? "accepted" : "returned"), "actor": .string(fac),
                                                  "at": at(last ? "2026-02-2\(4 + n)" : day, last ? "11:00" : "17:00")]
                        if !last { review["note"] = "Il manque le plan de financement : qui apporte quoi, et quand" }
                        _ = try call("enrollment.review", review)
                    }
                }
                let progress = try call("enrollment.get", ["id": .string(enrollment)])
                if progress["progress"]?["complete"]?.boolValue == true {
                    let done = try call("enrollment.complete", ["id": .string(enrollment), "actor": .string(fac), "at": at("2026-02-26", "16:00")])
                    let returned = competence == "project_engineering" && l.submissions.count > 1 ? " (assignment returned once)" : ""
                    outcomes.append("\(competence) completed \(done["enrollment"]?["completed_on"]?.stringValue ?? "")\(returned)")
                } else {
                    let missing = (progress["progress"]?["missing"]?.arrayValue ?? []).compactMap { $0["key"]?.stringValue }
                    outcomes.append("\(competence) not completed (\(Set(missing).sorted().joined(separator: ", ")))")
                }
            }
            if !l.engineering.isEmpty { _ = try call("resource.use", ["id": .string(template), "member": .string(adc), "action": "downloaded", "actor": .string(adc), "at": at("2026-02-06")]) }
            let name = try call("member.get", ["id": .string(adc)])["name"]?.stringValue ?? ""
            lines.append("  \(name): " + outcomes.joined(separator: "; "))
        }

        // A question in the space: a new participant's first post is held until the facilitator lets it through.
        let youssef = ids["adc.anzi"] ?? ""
        let thread = try call("thread.create", ["space": .string(space), "title": "Chiffrer l'apport de la commune", "author": .string(youssef), "actor": .string(youssef),
                                                "body": "Comment valoriser dans le budget le terrain que la commune met à disposition ?", "at": at("2026-02-13", "08:00")])
        _ = try call("post.moderate", ["id": .string(thread["post"]?["id"]?.stringValue ?? ""), "state": "visible", "actor": .string(fac), "at": at("2026-02-13", "12:00")])
        return lines
    }

    /// November: the ADC of Irigh N'tahala, not trained yet, reads the guide in Arabic.
    static func autumn(_ call: (String, JSONObject) throws(CDSError) -> JSON, ids: [String: String]) throws(CDSError) {
        let adc = ids["adc.irigh"] ?? "", fac = ids["facilitator"] ?? ""
        _ = try call("space.add_member", ["space": .string(ids["space.adc_training"] ?? ""), "member": .string(adc), "role": "participant", "actor": .string(fac),
                                          "at": "2026-11-03T09:00:00Z"])
        _ = try call("resource.use", ["id": .string(ids["resource.guide.ar"] ?? ""), "member": .string(adc), "action": "viewed", "actor": .string(adc), "at": "2026-11-04T20:00:00Z"])
    }

    /// The year's learning report: the learning indicators, and the origin of each competent ADC's attestations.
    static func report(_ call: (String, JSONObject) throws(CDSError) -> JSON) throws(CDSError) -> [String] {
        let r = try call("learning.indicators", ["as_of": "2026-12-31", "provenance": true])
        var lines = ["Learning as of 2026-12-31:"]
        for i in r["indicators"]?.arrayValue ?? [] {
            let cells = (i["breakdown"]?.arrayValue ?? []).map { "\($0["key"]?.stringValue ?? "") \($0["value"]?.text ?? "")" }
            lines.append("  \((i["label"]?.stringValue ?? "").padding(44)) \(i["value"]?.text ?? "")" + (cells.isEmpty ? "" : " (" + cells.joined(separator: ", ") + ")"))
        }
        let seed = r["competent_adcs"]
        lines.append("  \((seed?["label"]?.stringValue ?? "").padding(44)) \(seed?["value"]?.text ?? "")")
        for e in seed?["evidence"]?.arrayValue ?? [] {
            let origins = (e["competences"]?.objectValue ?? JSONObject()).map { (k: String, v: JSON) in
                k + " by " + (v.arrayValue ?? []).map { $0["origin"]?.stringValue == "module" ? "module v\($0["criteria_version"]?.text ?? "")" : "hand" }.joined(separator: " and ")
            }
            lines.append("    \(e["commune"]?.stringValue ?? ""): " + origins.joined(separator: ", "))
        }
        return lines
    }
}
