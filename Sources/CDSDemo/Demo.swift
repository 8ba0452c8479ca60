import CDS
import CDSCore

/// Builds the demo CDS of SCENARIO.md (January–February): the CDS opens for the provinces
/// of Tiznit and Taroudannt, four communes sign agreements, ADCs are trained and attested competent,
/// diaspora members and local actors register. Every fact goes through the JSON method
/// table, the same door the portals use, with the dates of the story.
public enum Demo {
    /// What the demo made, by kind, with ids.
    public struct Report: Sendable {
        /// Lines to print, in order.
        public var lines: [String] = []
        /// Ids by role in the story (`adc.anzi`, `engineer.lyon`…).
        public var ids: [String: String] = [:]
    }

    /// Fills an empty database with the demo CDS; fails if it already has members.
    public static func build(_ db: CDSDatabase) throws(CDSError) -> Report {
        var r = Report()
        if let first = try db.call("member.list", params: ["limit": 1]).get()["items"]?.arrayValue, !first.isEmpty {
            throw CDSError(.conflict, "the demo needs an empty database: this one has members already")
        }
        func call(_ method: String, _ params: JSONObject) throws(CDSError) -> JSON {
            try db.call(method, params: .object(params)).get()
        }
        func id(_ j: JSON) -> String { j["id"]?.stringValue ?? "" }

        // The facilitator of the CDS, who trains the ADCs and attests their competences.
        let facilitation = try call("organization.create", ["kind": "facilitator", "name": "Équipe d'animation de la CDS Souss-Massa",
                                                             "territory": "09.001.01.01", "iati_ref": "XI-IATI-CDSSM",
                                                             "at": "2026-01-05T09:00:00Z"])
        r.ids["org.facilitation"] = id(facilitation)
        let facilitator = try call("member.create", [
            "name": "Samira Ait Lahcen", "gender": "f", "roles": ["facilitator", "admin"], "residence_country": "MA", "residence_city": "Agadir",
            "email": "samira.facilitation@example.org", "languages": ["ar", "shi", "fr", "en"], "skills": ["2421", "S1.3"],
            "organizations": [["organization": .string(id(facilitation)), "role": "coordinatrice"]],
            "consents": [["purpose": "processing", "version": "2026-01"]], "at": "2026-01-05T09:30:00Z",
        ])
        let fac = id(facilitator)
        r.ids["facilitator"] = fac

        // January: four communes sign partnership agreements.
        let communes: [(key: String, code: String)] = [("tafraout", "09.581.01.05"), ("anzi", "09.581.03.03"),
                                                       ("irigh", "09.581.09.07"), ("talmakante", "09.541.11.33")]
        r.lines.append("Communes with an agreement (January 2026):")
        for (n, c) in communes.enumerated() {
            let org = try call("organization.create", ["kind": "commune", "territory": .string(c.code), "actor": .string(fac),
                                                       "at": .string("2026-01-1\(n)T10:00:00Z")])
            r.ids["commune.\(c.key)"] = id(org)
            let agreement = try call("agreement.sign", ["organization": .string(id(org)), "signed_on": .string("2026-01-1\(n + 2)"),
                                                        "reference": .string("CDS-SM/2026/\(n + 1)"), "actor": .string(fac),
                                                        "at": .string("2026-01-1\(n + 2)T11:00:00Z")])
            r.ids["agreement.\(c.key)"] = id(agreement)
            r.lines.append("  \(org["name"]?.stringValue ?? "") (\(c.code)) — agreement \(id(agreement)) signed \(agreement["signed_on"]?.stringValue ?? "")")
        }

        // Each commune has an ADC; in February two complete the project-engineering and communication
        // modules, a third only communication (DemoLearning: the training attests the competences).
        let adcs: [(key: String, name: String, gender: String, commune: String)] = [
            ("anzi", "Youssef Oubaha", "m", "09.581.03.03"), ("talmakante", "Fatima Zahra Idbelkas", "f", "09.541.11.33"),
            ("tafraout", "Hassan Amzil", "m", "09.581.01.05"), ("irigh", "Khadija Bouzid", "f", "09.581.09.07"),
        ]
        r.lines.append("ADCs of the communes (January 2026):")
        for (n, a) in adcs.enumerated() {
            let m = try call("member.create", [
                "name": .string(a.name), "gender": .string(a.gender), "roles": ["adc"], "residence_country": "MA",
                "adc_commune": .string(a.commune), "origin": .string(a.commune), "languages": ["ar", "shi", "fr"], "skills": ["2421", "S4.2"],
                "consents": [["purpose": "processing", "version": "2026-01"]], "actor": .string(fac), "at": .string("2026-01-2\(n)T09:00:00Z"),
            ])
            r.ids["adc.\(a.key)"] = id(m)
            r.lines.append("  \(a.name), ADC of \(a.commune)")
        }
        r.lines += try DemoLearning.training(call, ids: &r.ids)

        // Local actors of the territory.
        let coop = try call("organization.create", ["kind": "cooperative", "name": "Coopérative féminine d'argan Tafraout", "territory": "09.581.01.05",
                                                    "sectors": ["COO", "FEM"], "actor": .string(fac), "at": "2026-02-02T10:00:00Z"])
        let parents = try call("organization.create", ["kind": "local_association", "name": "Association des parents d'élèves d'Irigh N'tahala",
                                                       "territory": "09.581.09.07", "sectors": ["EDU", "TRA"], "actor": .string(fac), "at": "2026-02-03T10:00:00Z"])
        let gennevilliers = try call("organization.create", ["kind": "diaspora_association", "name": "Association des Tafraoutis de Gennevilliers",
                                                             "country": "FR", "city": "Gennevilliers", "sectors": ["EAU", "EDU", "DIA"],
                                                             "actor": .string(fac), "at": "2026-02-04T10:00:00Z"])
        r.ids["org.coop"] = id(coop)
        r.ids["org.parents"] = id(parents)
        r.ids["org.gennevilliers"] = id(gennevilliers)

        // February: members register.
        let consents: JSON = [["purpose": "processing", "version": "2026-01"], ["purpose": "contact", "version": "2026-01"]]
        // Two of them also agree to their profile being published: a visitor sees who they are and what they give.
        let published: JSON = [["purpose": "processing", "version": "2026-01"], ["purpose": "contact", "version": "2026-01"],
                               ["purpose": "publication", "version": "2026-01"]]
        let people: [(key: String, fields: JSONObject)] = [
            ("engineer.lyon", ["name": "Brahim Ait Ouarab", "gender": "m", "roles": ["diaspora"], "residence_country": "FR", "residence_city": "Lyon",
                               "origin": "09.581.03.03", "languages": ["shi", "ar", "fr"], "skills": ["2142", "3112", "S1.5"],
                               "email": "brahim.ouarab@example.org"]),
            ("accountant.brussels", ["name": "Naima El Khattabi", "gender": "f", "roles": ["diaspora"], "residence_country": "BE", "residence_city": "Bruxelles",
                                     "origin": "09.541", "languages": ["ar", "fr", "nl"], "skills": ["2411", "S2.6"]]),
            ("technician.rotterdam", ["name": "Mohamed Boutaleb", "gender": "m", "roles": ["diaspora"], "residence_country": "NL", "residence_city": "Rotterdam",
                                      "origin": "09.541.11.33", "languages": ["shi", "nl", "fr"], "skills": ["3113", "7411"]]),
            ("teacher.barcelona", ["name": "Montserrat Puig", "gender": "f", "roles": ["diaspora"], "heart_diaspora": true, "residence_country": "ES",
                                   "residence_city": "Barcelona", "languages": ["ca", "es", "fr"], "skills": ["2353", "S1.3"], "consents": published]),
            ("president.gennevilliers", ["name": "Lahcen Id Ali", "gender": "m", "roles": ["diaspora"], "residence_country": "FR", "residence_city": "Gennevilliers",
                                         "origin": "09.581.01.05", "languages": ["shi", "fr"], "skills": ["1219"],
                                         "organizations": [["organization": .string(id(gennevilliers)), "role": "président"]]]),
            ("engineer.madrid", ["name": "Aicha Ouahmane", "gender": "f", "roles": ["diaspora"], "residence_country": "ES", "residence_city": "Madrid",
                                 "origin": "09.581.09.07", "languages": ["ar", "es", "fr"], "skills": ["2144", "S1.11"], "consents": published]),
            ("coop.president", ["name": "Zahra Ait Baha", "gender": "f", "roles": ["local_actor"], "residence_country": "MA", "residence_city": "Tafraout",
                                "origin": "09.581.01.05", "languages": ["shi", "ar"], "skills": ["6113"],
                                "organizations": [["organization": .string(id(coop)), "role": "présidente"]]]),
            ("parents.president", ["name": "Abdellah Oulhaj", "gender": "m", "roles": ["local_actor"], "residence_country": "MA",
                                   "origin": "09.581.09.07", "languages": ["shi", "ar", "fr"], "skills": ["2341"],
                                   "organizations": [["organization": .string(id(parents)), "role": "président"]]]),
        ]
        r.lines.append("Members who registered (February 2026):")
        for (n, p) in people.enumerated() {
            var f = p.fields
            if f["consents"] == nil { f["consents"] = consents }
            f["actor"] = .string(fac)
            f["at"] = .string("2026-02-1\(n)T12:00:00Z")
            let m = try call("member.create", f)
            r.ids[p.key] = id(m)
            let roles = m["roles"]?.arrayValue?.compactMap(\.stringValue).joined(separator: "+") ?? ""
            let heart = m["heart_diaspora"]?.boolValue == true ? " (diaspora de cœur)" : ""
            let residence = [m["residence_city"]?.stringValue, m["residence_country"]?.stringValue].compactMap { $0 }.joined(separator: ", ")
            r.lines.append("  \(m["name"]?.stringValue ?? "") — \(roles)\(heart), \(residence)")
        }
        // Each commune's president represents it (and records its endorsements).
        let presidents: [(key: String, name: String, gender: String, commune: String)] = [
            ("tafraout", "Ahmed Boukhris", "m", "09.581.01.05"), ("anzi", "Mohamed Ait Said", "m", "09.581.03.03"),
            ("irigh", "Rachida Amrani", "f", "09.581.09.07"), ("talmakante", "Omar Ihihi", "m", "09.541.11.33"),
        ]
        for (n, pr) in presidents.enumerated() {
            let m = try call("member.create", ["name": .string(pr.name), "gender": .string(pr.gender), "roles": ["local_actor"], "residence_country": "MA",
                                               "origin": .string(pr.commune), "languages": ["ar", "shi"],
                                               "organizations": [["organization": .string(r.ids["commune.\(pr.key)"] ?? ""), "role": "président du conseil"]],
                                               "actor": .string(fac), "at": .string("2026-02-2\(n)T15:00:00Z")])
            r.ids["representative.\(pr.key)"] = id(m)
        }

        r.lines += try DemoMobilization.invitations(call, ids: &r.ids)
        try DemoFinance.rates(call, ids: r.ids)
        r.lines += try DemoProjects.build(call, ids: &r.ids)
        r.lines += try DemoMatching.build(call, ids: &r.ids)
        r.lines += try DemoFinance.build(call, ids: r.ids)

        // July–August: exchanges between the diaspora and Moroccan actors.
        let exchanges: [(kind: String, on: String, member: String?, diaspora: String?, with: String, project: String?)] = [
            ("webinar", "2026-04-18", nil, "org.gennevilliers", "org.parents", nil),
            ("meeting", "2026-05-05", "teacher.barcelona", nil, "org.coop", "project.argan.tafraout"),
            ("call", "2026-06-02", "technician.rotterdam", nil, "commune.talmakante", "project.solar.talmakante"),
            ("visit", "2026-08-12", "engineer.lyon", nil, "commune.anzi", "project.water.anzi"),
            ("mission", "2026-08-20", "engineer.madrid", nil, "commune.irigh", "project.library.irigh"),
            ("message", "2026-09-03", "accountant.brussels", nil, "org.coop", "project.argan.tafraout"),
        ]
        r.lines.append("Exchanges between the diaspora and Moroccan actors:")
        for x in exchanges {
            var p: JSONObject = ["kind": .string(x.kind), "on": .string(x.on), "organization": .string(r.ids[x.with] ?? ""),
                                 "actor": .string(fac), "at": .string(x.on + "T18:00:00Z")]
            if let m = x.member { p["member"] = .string(r.ids[m] ?? "") }
            if let d = x.diaspora { p["diaspora_organization"] = .string(r.ids[d] ?? "") }
            if let pr = x.project { p["project"] = .string(r.ids[pr] ?? "") }
            _ = try call("interaction.create", p)
            let who: String
            if let m = x.member {
                who = try call("member.get", ["id": .string(r.ids[m] ?? "")])["name"]?.stringValue ?? ""
            } else {
                who = try call("organization.get", ["id": .string(r.ids[x.diaspora ?? ""] ?? "")])["name"]?.stringValue ?? ""
            }
            let with = try call("organization.get", ["id": .string(r.ids[x.with] ?? "")])["name"]?.stringValue ?? ""
            r.lines.append("  \(x.on) \(x.kind): \(who) ↔ \(with)")
        }

        try DemoLearning.autumn(call, ids: r.ids)

        // December: the year's indicators.
        let report = try call("indicators.compute", ["as_of": "2026-12-31"])
        r.lines.append("Indicators as of 2026-12-31:")
        for i in report["indicators"]?.arrayValue ?? [] {
            var value = i["value"]?.text ?? ""
            if i["id"] == "finance", let m = i["money"]?["minor"]?.intValue { value = (m / 100).grouped + " MAD" }
            if case .double(let x)? = i["value"], i["id"] == "needs_covered_share" || i["id"] == "match_acceptance_rate" {
                value = String(Int((x * 100).rounded())) + " %"
            }
            let target = i["target"].flatMap { t -> String? in if case .double(let d) = t { return " / \(Int(d))" } else { return nil } } ?? ""
            r.lines.append("  \((i["label"]?.stringValue ?? "").padding(44)) \(value)\(target)")
        }

        r.lines += try DemoMobilization.report(call)
        r.lines += try DemoLearning.report(call)

        let audit = try call("audit.verify", [:])
        r.lines.append("Event log: \(audit["events"]?.intValue ?? 0) events, hash chain " + (audit["ok"]?.boolValue == true ? "verified" : "BROKEN"))
        return r
    }
}
