@_spi(Tooling) import CDS
import CDSCore
import CDSDemo
import Testing

/// The method contract: each method accepts exactly what the JSON Schema it declares in
/// `meta.methods` allows, and nothing it accepts can poison the database.
///
/// The mutations are generated from each method's own schema: every free-text string at
/// its declared `maxLength` and one past it, every bounded integer at its bounds and one
/// past, and strings of control and separator characters. A refusal at a value the
/// schema allows is drift between the declaration and the rule (the 4,000-vs-200 kind);
/// an accepted value must read back through `get` and `list`, and the whole-database
/// reads (`match.all`, `match.allocate`, `indicators.compute` with rates, `member.export`)
/// must still answer.
@Suite("The method contract")
struct ContractTests {
    /// A small CDS whose ids fill the baselines' `$placeholders`.
    struct World {
        let db: CDSDatabase
        var ids: [String: String] = [:]

        init() throws {
            db = try CDSDatabase(path: ":memory:", options: .trusted)
            let fac = try db.ok("member.create", #"{"name": "Samira", "gender": "f", "roles": ["facilitator", "admin"], "residence_country": "MA"}"#)
            ids["facilitator"] = fac["id"]?.stringValue
            let org = try db.ok("organization.create", #"{"kind": "commune", "territory": "09.581.03.03"}"#)
            ids["org"] = org["id"]?.stringValue
            ids["org2"] = try db.ok("organization.create", #"{"kind": "commune", "territory": "09.581.01.05"}"#)["id"]?.stringValue
            ids["adc"] = try db.ok("member.create", #"{"name": "Youssef", "gender": "m", "roles": ["adc"], "residence_country": "MA", "adc_commune": "09.581.03.03"}"#)["id"]?.stringValue
            ids["member"] = try db.diaspora("Brahim", extra: #""residence_city": "Lyon", "origin": "09.581.03.03", "languages": ["fr", "shi"], "skills": ["2142"], "consents": [{"purpose": "processing", "version": "2026-01"}, {"purpose": "contact", "version": "2026-01"}]"#)
            ids["other"] = try db.diaspora("Naima")
            let project = try db.ok("project.create", #"{"title": {"fr": "Réseau d'eau potable"}, "communes": ["09.581.03.03"], "sector": "EAU"}"#)
            ids["project"] = project["id"]?.stringValue
            let need = try db.ok("need.create", fill(#"{"project": "$project", "kind": "skill", "description": "Étude hydraulique", "skills": ["2142"], "quantity": {"unit": "person_days", "amount": 10}}"#))
            ids["need"] = need["id"]?.stringValue
            let offer = try db.ok("offer.create", fill(#"{"member": "$member", "kind": "skill", "description": "Conseil hydraulique", "skills": ["2142"], "capacity": {"unit": "person_days", "amount": 10}, "remote": true, "contact_consent": true}"#))
            ids["offer"] = offer["id"]?.stringValue
            let c = try db.ok("contribution.create", fill(#"{"project": "$project", "member": "$member", "kind": "finance", "quantity": {"unit": "money", "amount": 100000, "currency": "EUR"}, "on": "2026-06-01"}"#))
            ids["contribution"] = c["id"]?.stringValue
            ids["agreement"] = try db.ok("agreement.sign", fill(#"{"organization": "$org", "signed_on": "2026-01-13"}"#))["id"]?.stringValue
            let event = try db.ok("learning_event.create", #"{"kind": "webinar", "title": "Ingénierie de projet", "sessions": [{"on": "2026-02-05", "link": "https://visio.example.org"}], "at": "2026-01-15T09:00:00Z"}"#)
            ids["learning_event"] = event["id"]?.stringValue
            ids["session"] = event["sessions"]?.arrayValue?.first?["id"]?.stringValue
            ids["module"] = try db.ok("module.create", fill(#"{"title": "Communication", "competence": "communication", "criteria": {"sessions": ["$session"], "assignment": "Un plan"}, "at": "2026-01-20T09:00:00Z"}"#))["id"]?.stringValue
            try db.ok("learning_event.register", fill(#"{"event": "$learning_event", "member": "$adc", "at": "2026-02-01T09:00:00Z"}"#))
            ids["space"] = try db.ok("space.create", #"{"kind": "thematic", "name": "Eau potable", "theme": "eau", "languages": ["fr", "ar"]}"#)["id"]?.stringValue
            try db.ok("space.join", fill(#"{"space": "$space", "member": "$member"}"#))
            let thread = try db.ok("thread.create", fill(#"{"space": "$space", "title": "Puits et citernes", "author": "$member", "body": "Qui a de l'expérience ?"}"#))
            ids["thread"] = thread["id"]?.stringValue
            ids["post"] = thread["post"]?["id"]?.stringValue
            ids["resource"] = try db.ok("resource.create", fill(#"{"space": "$space", "kind": "guide", "title": "Guide du puits", "language": "fr"}"#))["id"]?.stringValue
            ids["enrollment"] = try db.ok("enrollment.create", fill(#"{"module": "$module", "member": "$adc", "at": "2026-02-01T09:00:00Z"}"#))["id"]?.stringValue
            ids["campaign"] = try db.ok("campaign.create", fill(#"{"project": "$project", "title": {"fr": "Le réseau d'eau"}, "model": "all_or_nothing", "goal": {"minor": 100000, "currency": "EUR"}, "opens_on": "2026-06-01", "closes_on": "2026-06-30"}"#))["id"]?.stringValue
            ids["draft"] = try db.ok("campaign.create", fill(#"{"project": "$project", "title": {"fr": "Brouillon"}, "model": "keep_it_all", "goal": {"minor": 50000, "currency": "EUR"}, "opens_on": "2026-07-01", "closes_on": "2026-07-31"}"#))["id"]?.stringValue
            try db.ok("campaign.open", fill(#"{"id": "$campaign"}"#))
            ids["gift"] = try db.ok("gift.create", fill(#"{"campaign": "$campaign", "member": "$member", "amount": {"minor": 5000, "currency": "EUR"}, "on": "2026-06-05", "collected": true}"#))["id"]?.stringValue
        }

        /// The text with every `$name` replaced by the world's id of that name.
        func fill(_ text: String) -> String {
            var t = text
            for (k, v) in ids.sorted(by: { $0.key.count > $1.key.count }) { t = t.replacingOccurrences(of: "$" + k, with: v) }
            return t
        }
    }

    /// A valid call of each method that writes, the start of every mutation.
    static let baselines: [(method: String, params: String)] = [
        ("member.create", #"{"name": "Aicha Id Ali", "gender": "f", "roles": ["diaspora"], "residence_country": "BE", "residence_city": "Liège", "email": "aicha@example.org", "phone": "+32 470 00 00 00", "origin": "09.581.01.05", "languages": ["fr"], "skills": ["2411"], "organizations": [{"organization": "$org", "role": "membre du bureau"}], "consents": [{"purpose": "processing", "version": "2026-01"}]}"#),
        ("member.update", #"{"id": "$other", "name": "Naima El Khattabi", "residence_city": "Bruxelles", "email": "naima@example.org", "phone": "+32 2 000 00 00", "organizations": [{"organization": "$org", "role": "trésorière"}]}"#),
        ("organization.create", #"{"kind": "diaspora_association", "name": "Association des Tafraoutis", "country": "FR", "city": "Gennevilliers", "email": "contact@example.org", "website": "https://example.org"}"#),
        ("organization.update", #"{"id": "$org", "name": "Commune d'Anzi", "city": "Anzi", "email": "commune@example.org", "website": "https://anzi.example.org"}"#),
        ("project.create", #"{"code": "P-2026-77", "title": {"fr": "Transport scolaire", "ar": "النقل المدرسي"}, "summary": {"fr": "Un bus pour les douars"}, "communes": ["09.581.03.03"], "sector": "EDU", "pac_reference": "PAC 2023-2028, axe 2", "pac_absence_reason": "Hors PAC, urgence", "beneficiaries": {"total": 420, "women": 210, "youth": 100}, "start_on": "2026-09-01", "end_on": "2027-06-30", "identification_note": "Note d'identification", "logframe": {"goal": "Scolarisation", "specific_objective": "Transport sûr", "results": [{"title": "Un bus circule", "indicators": [{"name": "Élèves transportés", "unit": "élèves", "baseline": 0, "target": 120}]}], "activities": [{"title": "Achat du bus", "start_on": "2026-09-01", "end_on": "2026-10-01", "responsible": "La commune"}], "assumptions": ["La route est ouverte"], "risks": ["Panne"]}, "budget": {"currency": "MAD", "lines": [{"category": "equipment", "label": "Bus", "amount": {"minor": 50000000, "currency": "MAD"}}]}, "funding_plan": [{"label": "Commune", "amount": {"minor": 50000000, "currency": "MAD"}, "status": "expected"}], "note": "Proposé par les parents"}"#),
        ("project.update", #"{"id": "$project", "code": "P-2026-12", "title": {"fr": "Réseau d'eau potable du douar"}, "summary": {"fr": "Adduction d'eau"}, "pac_reference": "PAC axe 1", "identification_note": "Note", "beneficiaries": {"total": 420, "women": 210, "youth": 90}, "progress_report": {"on": "2026-07-01", "progress": 10, "text": "Études lancées"}, "final_report": "Rapport", "lessons_learned": "Leçons", "note": "Mise à jour"}"#),
        ("need.create", #"{"project": "$project", "kind": "network", "description": "Un contact chez un fabricant de tuyaux", "quantity": {"unit": "units", "amount": 1}, "from": "2026-06-01", "until": "2026-08-31", "languages": ["fr"]}"#),
        ("need.update", #"{"id": "$need", "description": "Étude hydraulique sur site", "quantity": {"unit": "person_days", "amount": 12}}"#),
        // Before the contributions pledge the need in full.
        ("outreach.send", #"{"need": "$need", "params": {"link": "Voir le besoin sur le portail"}}"#),
        ("offer.create", #"{"member": "$other", "kind": "skill", "description": "Aide aux budgets à distance", "skills": ["2411"], "capacity": {"unit": "person_days", "amount": 2}, "remote": true, "contact_consent": true, "windows": [{"from": "2026-08-01", "until": "2026-08-31"}]}"#),
        ("offer.update", #"{"id": "$offer", "description": "Conseil hydraulique à distance", "capacity": {"unit": "person_days", "amount": 8}}"#),
        ("contribution.create", #"{"project": "$project", "need": "$need", "member": "$member", "kind": "skill", "quantity": {"unit": "person_days", "amount": 5}, "on": "2026-06-10", "note": "Promesse"}"#),
        ("contribution.update", #"{"id": "$contribution", "status": "confirmed", "on": "2026-06-20", "note": "Virement reçu"}"#),
        ("interaction.create", #"{"kind": "call", "on": "2026-03-01", "member": "$member", "organization": "$org", "project": "$project", "note": "Premier appel"}"#),
        ("agreement.sign", #"{"organization": "$org2", "signed_on": "2026-02-01", "ends_on": "2028-02-01", "reference": "CDS-SM/2026/9"}"#),
        ("competence.attest", #"{"member": "$adc", "competence": "communication", "attested_on": "2026-02-25", "by": "$facilitator", "module": "Module 2 — formation des ADC"}"#),
        ("consent.give", #"{"member": "$other", "purpose": "contact", "version": "2026-02"}"#),
        ("indicators.set_target", #"{"id": "migrants_mobilized", "target": 60}"#),
        ("match.set_weights", #"{"skills": 40, "territory": 25, "time": 15, "capacity": 10, "sector": 10}"#),
        ("invitation.create", #"{"by": "$adc", "channel": "email", "name": "Aicha Id Ali", "email": "aicha.idali@example.org", "note": "Rencontrée à Gennevilliers"}"#),
        ("learning_event.create", #"{"kind": "field_visit", "title": "Visite du réseau d'eau d'Anzi", "sessions": [{"on": "2027-03-01", "place": "Douar Ait Ali, Anzi", "link": "https://visio.example.org/anzi"}]}"#),
        ("learning_event.add_session", #"{"event": "$learning_event", "on": "2027-03-02", "place": "Tiznit, maison de la culture", "link": "https://visio.example.org/2"}"#),
        ("module.create", #"{"title": "Mobilisation de fonds pour les ADC", "competence": "fundraising", "criteria": {"max_missed": 0, "assignment": "Un dossier de demande de subvention"}}"#),
        ("module.publish", #"{"id": "$module", "criteria": {"sessions": ["$session"], "max_missed": 0, "assignment": "Un plan de communication révisé"}, "at": "2026-01-21T09:00:00Z"}"#),
        ("enrollment.submit", #"{"id": "$enrollment", "submission": "Mon plan de communication pour la commune"}"#),
        ("space.create", #"{"kind": "territorial", "name": "Espace de la commune d'Anzi", "description": "Les acteurs d'Anzi apprennent ensemble", "territory": "09.581.03.03", "languages": ["shi", "ar", "fr"], "access": "invitation"}"#),
        ("space.join", #"{"space": "$space", "member": "$other"}"#),
        ("space.add_member", #"{"space": "$space", "member": "$facilitator", "role": "facilitator"}"#),
        ("thread.create", #"{"space": "$space", "title": "Le réseau d'eau du douar", "author": "$member", "body": "Quel diamètre de conduite pour 420 habitants ?"}"#),
        ("post.moderate", #"{"id": "$post", "state": "visible", "reason": "Bienvenue dans l'espace"}"#),
        ("post.create", #"{"thread": "$thread", "parent": "$post", "author": "$member", "body": "Précision : le douar est à 1 200 m d'altitude"}"#),
        ("post.flag", #"{"id": "$post", "member": "$other", "reason": "Contient un numéro de téléphone"}"#),
        ("resource.create", #"{"space": "$space", "kind": "recording", "title": "Enregistrement du webinaire sur les réseaux d'eau", "description": "Une heure avec l'ingénieur de Lyon", "url": "https://video.example.org/eau", "language": "ar", "sector": "EAU", "tags": ["eau potable", "douar"]}"#),
        ("resource.use", #"{"id": "$resource", "member": "$member", "action": "downloaded"}"#),
        ("competence.revoke", #"{"member": "$adc", "competence": "communication", "revoked_on": "2026-02-26", "reason": "Attestée par erreur"}"#),
        ("campaign.create", #"{"project": "$project", "title": {"fr": "Une citerne pour le douar", "ar": "خزان للدوار"}, "model": "keep_it_all", "goal": {"minor": 2500000, "currency": "MAD"}, "opens_on": "2026-09-01", "closes_on": "2026-10-31"}"#),
        ("pool.create", #"{"organization": "$org", "name": "Abondement de la commune d'Anzi", "amount": {"minor": 30000, "currency": "EUR"}, "campaign": "$campaign", "rate_bp": 5000, "tiers": [{"up_to": 10000, "rate_bp": 10000}], "min_gift": 1000, "cap_per_gift": 20000, "cap_per_donor": 25000, "cap_per_project": 30000, "opens_on": "2026-06-01", "closes_on": "2026-06-30"}"#),
        ("gift.create", #"{"campaign": "$campaign", "member": "$other", "amount": {"minor": 7000, "currency": "EUR"}, "on": "2026-06-10", "collected": false}"#),
        ("gift.move", #"{"id": "$gift", "to": "refunded", "on": "2026-06-12"}"#),
        ("campaign.settle", #"{"id": "$campaign", "on": "2026-07-01"}"#),
        ("campaign.open", #"{"id": "$draft"}"#),
        ("programme.define", #"{"id": "fonds_regional", "name": {"fr": "Fonds régional de co-développement", "en": "Regional co-development fund"}, "funder": "Région Souss-Massa", "currency": "MAD", "max_share_bp": 5000, "max_amount": 50000000, "max_total": 200000000, "max_public_share_bp": 8000, "min_local_share_bp": 1000, "public_origins": ["local_authority", "state"], "local_origins": ["local_authority", "own"], "grant_origin": "state", "volunteer_time": "when_valued", "material": "excluded", "source": "https://example.org/reglement", "read_on": "2026-03-01", "note": "Règlement 2026"}"#),
        ("valuation.set", #"{"key": "volunteer_day", "kind": "volunteer_time", "unit_value": {"minor": 12000, "currency": "MAD"}, "from": "2026-01-01", "note": "SMIG journalier arrondi"}"#),
        ("rate.set", #"{"from": "EUR", "to": "MAD", "rate": "10.85", "on": "2026-01-01"}"#),
    ]

    /// The reads that must answer for the whole database after any accepted write.
    static let wholeDatabaseReads: [(method: String, params: String)] = [
        ("match.all", #"{"k": 3, "explain": true}"#),
        ("match.allocate", #"{"max_per_member": 1}"#),
        ("indicators.compute", #"{"as_of": "2026-12-31", "provenance": true, "reporting_currency": "MAD", "rates": [{"from": "EUR", "rate": "10.85", "on": "2026-01-01"}]}"#),
        ("indicators.compute", #"{"as_of": "2026-12-31", "reporting_currency": "EUR", "rates": [{"from": "MAD", "rate": "0.001", "on": "2026-01-01"}], "disaggregate": "gender"}"#),
        ("member.export", #"{"id": "$member"}"#),
        ("member.list", #"{"limit": 1000}"#), ("project.list", #"{"limit": 1000}"#), ("need.list", #"{"limit": 1000}"#),
        ("offer.list", #"{"limit": 1000}"#), ("organization.list", #"{"limit": 1000}"#), ("contribution.list", #"{"limit": 1000}"#),
        ("project.get", #"{"id": "$project"}"#), ("project.history", #"{"id": "$project"}"#),
        ("campaign.list", "{}"), ("campaign.get", #"{"id": "$campaign"}"#), ("gift.list", #"{"campaign": "$campaign"}"#), ("pool.list", "{}"),
        ("programme.list", "{}"), ("valuation.list", "{}"), ("rate.list", "{}"), ("project.funding_check", #"{"id": "$project", "programmes": ["pra_osim", "fdva"]}"#),
        ("finance.indicators", #"{"as_of": "2026-12-31", "provenance": true, "reporting_currency": "EUR"}"#),
    ]

    /// One generated case: a value at a path of the params, and whether the schema allows it.
    struct Mutation: CustomStringConvertible {
        var path: [PathStep]
        var value: JSON
        var allowed: Bool
        var why: String
        var description: String { "\(Mutation.render(path)) = \(why) (\(allowed ? "allowed" : "refused") by the schema)" }

        static func render(_ path: [PathStep]) -> String {
            var s = ""
            for step in path {
                switch step {
                case .key(let k): s += s.isEmpty ? k : "." + k
                case .index(let i): s += "[\(i)]"
                }
            }
            return s
        }
    }

    enum PathStep { case key(String), index(Int) }

    /// Texts a hostile caller would try in a free-text field, each with a name.
    static let oddTexts: [(String, String)] = [
        ("NUL inside", "a\u{0}b"), ("blank", "  "), ("newline", "\n"), ("no-break space", "\u{a0}"), ("line separator", "\u{2028}"),
        ("bidi override", "x\u{202e}y"), ("tab inside", "a\tb"), ("Arabic", "بئر"), ("emoji", "💧"), ("combining accent", "e\u{301}"),
    ]

    /// Every mutation the schema of a method suggests, walking the baseline's values.
    static func mutations(schema: JSON, value: JSON, path: [PathStep] = []) -> [Mutation] {
        var out: [Mutation] = []
        let type = schema["type"]?.stringValue
        if let any = schema["anyOf"]?.arrayValue, let inner = any.first {
            return mutations(schema: inner, value: value, path: path)
        }
        switch type {
        case "object":
            guard let o = value.objectValue else { return out }
            if let props = schema["properties"]?.objectValue {
                for (k, v) in o { if let s = props[k] { out += mutations(schema: s, value: v, path: path + [.key(k)]) } }
            } else if let item = schema["additionalProperties"], item.objectValue != nil {
                for (k, v) in o { out += mutations(schema: item, value: v, path: path + [.key(k)]) }
            }
        case "array":
            if let a = value.arrayValue, let first = a.first, let item = schema["items"] {
                out += mutations(schema: item, value: first, path: path + [.index(0)])
            }
        case "string":
            guard let s = value.stringValue, schema["enum"] == nil, schema["format"] == nil, isFreeText(s),
                  let max = schema["maxLength"]?.intValue, max < 1_000_000 else { return out }
            let n = Int(max)
            out.append(Mutation(path: path, value: .string(padded(s, to: n)), allowed: true, why: "\(n) characters (its maxLength)"))
            out.append(Mutation(path: path, value: .string(padded(s, to: n + 1)), allowed: false, why: "\(n + 1) characters"))
            let printable = schema["pattern"]?.stringValue == Schema.printablePattern
            for (name, t) in oddTexts {
                out.append(Mutation(path: path, value: .string(t), allowed: !printable || isPrintable(t), why: name))
            }
        case "integer":
            guard value.intValue != nil else { return out }
            if let hi = schema["maximum"]?.intValue {
                out.append(Mutation(path: path, value: .int(hi), allowed: true, why: "\(hi) (its maximum)"))
                if hi < .max { out.append(Mutation(path: path, value: .int(hi + 1), allowed: false, why: "\(hi + 1)")) }
            } else {
                out.append(Mutation(path: path, value: .int(.max), allowed: true, why: "Int64.max (no maximum declared)"))
            }
            if let lo = schema["minimum"]?.intValue {
                out.append(Mutation(path: path, value: .int(lo), allowed: true, why: "\(lo) (its minimum)"))
                if lo > .min { out.append(Mutation(path: path, value: .int(lo - 1), allowed: false, why: "\(lo - 1)")) }
            }
        default: break
        }
        return out
    }

    /// What `Schema.printablePattern` declares: no control character but tab, line feed and carriage return.
    static func isPrintable(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy { !(0...0x08).contains($0.value) && !(0x0B...0x0C).contains($0.value) && !(0x0E...0x1F).contains($0.value) }
    }

    /// A free text, not an id, a code or an address whose shape has rules of its own.
    static func isFreeText(_ s: String) -> Bool {
        if s.count >= 4, s.dropFirst(3).first == "_", s.prefix(3).allSatisfy(\.isLetter) { return false }   // mbr_…, prj_…
        if s.allSatisfy({ $0.isNumber || $0 == "." || $0.isUppercase || $0 == "-" }) { return false }      // 09.581, EAU, P-2026-1
        if s.contains("@") || s.hasPrefix("http") || s.hasPrefix("+") { return false }
        return true
    }

    /// `s` repeated and cut to exactly `n` characters (Unicode scalars, as the schema counts).
    static func padded(_ s: String, to n: Int) -> String {
        let scalars = Array(s.unicodeScalars.filter { $0.properties.generalCategory != .control })
        var out = String.UnicodeScalarView()
        var i = 0
        while out.count < n { out.append(scalars.isEmpty ? "x" : scalars[i % scalars.count]); i += 1 }
        return String(out)
    }

    static func setting(_ value: JSON, at path: [PathStep], in root: JSON) -> JSON {
        guard let step = path.first else { return value }
        let rest = Array(path.dropFirst())
        switch (step, root) {
        case (.key(let k), .object(var o)):
            o[k] = setting(value, at: rest, in: o[k] ?? .null)
            return .object(o)
        case (.index(let i), .array(var a)) where a.indices.contains(i):
            a[i] = setting(value, at: rest, in: a[i])
            return .array(a)
        default: return root
        }
    }

    /// True when the refusal is about the value's size or bounds: what the schema already decided.
    static func isBoundRefusal(_ error: JSON, at field: String) -> Bool {
        guard error["code"]?.stringValue == "invalid_params", error["details"]?["field"]?.stringValue == field else { return false }
        let reason = error["details"]?["reason"]?.stringValue ?? ""
        return ["at most", "at least", "too large", "too long", "characters", "overflow"].contains { reason.contains($0) }
    }

    @Test("a handler reads only the params its method declares (a mistyped key would read nil for ever)")
    func handlersReadOnlyDeclaredParams() throws {
        let db = try CDSDatabase(path: ":memory:", options: .trusted)
        _ = try Demo.build(db)
        // The demo writes through most methods; the reads of every group, with their filters.
        let member = try db.ok("member.list", #"{"role": "diaspora", "limit": 1}"#)["items"]?.arrayValue?.first?["id"]?.stringValue ?? ""
        let project = try db.ok("project.list", #"{"limit": 1}"#)["items"]?.arrayValue?.first?["id"]?.stringValue ?? ""
        for (method, params) in [
            ("member.list", #"{"role": "diaspora", "residence_country": "FR", "origin": "09", "skill": "2142", "language": "fr", "q": "a", "limit": 5}"#),
            ("member.get", #"{"id": "\#(member)"}"#), ("member.export", #"{"id": "\#(member)"}"#),
            ("project.list", #"{"stage": "idea", "territory": "09", "sector": "EAU", "q": "e", "limit": 5}"#),
            ("project.get", #"{"id": "\#(project)"}"#), ("project.checklist", #"{"id": "\#(project)", "to": "identification"}"#),
            ("project.history", #"{"id": "\#(project)", "limit": 5}"#),
            ("need.list", #"{"project": "\#(project)", "status": "open", "kind": "skill"}"#), ("offer.list", #"{"kind": "skill", "status": "active", "skill": "2142"}"#),
            ("contribution.list", #"{"project": "\#(project)", "status": "pledged"}"#), ("interaction.list", #"{"limit": 5}"#),
            ("organization.list", #"{"kind": "commune", "country": "MA", "territory": "09", "q": "a"}"#), ("agreement.list", #"{"in_force_on": "2026-06-01"}"#),
            ("match.member", #"{"member": "\#(member)", "k": 3}"#), ("match.all", #"{"k": 2, "explain": true}"#),
            ("match.allocate", #"{"candidates": 3, "need_slots": 1, "offer_slots": 1, "max_per_member": 2, "explain": true}"#),
            ("match.list", #"{"status": "proposed"}"#), ("match.weights", "{}"),
            ("indicators.compute", #"{"as_of": "2026-06-01", "territory": "09", "provenance": true, "suppress_small_cells": true}"#),
            ("indicators.compute", #"{"period": "quarter", "from": "2026-01-01", "until": "2026-12-31", "disaggregate": "gender"}"#),
            ("territory.list", #"{"level": "commune", "parent": "09.541", "q": "a"}"#), ("reference.list", #"{"dataset": "skills", "parent": "21", "q": "ing"}"#),
            ("event.list", #"{"type": "member.created", "after": 0, "limit": 3}"#), ("audit.verify", "{}"), ("meta.version", "{}"), ("meta.methods", "{}"),
        ] {
            _ = db.call(method, params)
        }
        #expect(Params.undeclaredReads.isEmpty, "handlers read keys their methods do not declare: \(Params.undeclaredReads.sorted())")
    }

    @Test("every method that writes accepts exactly what its declared schema allows, and what it accepts reads back")
    func methodsAcceptWhatTheirSchemaAllows() throws {
        let world = try World()
        let methods = try world.db.ok("meta.methods")["methods"]?.arrayValue ?? []
        let schemas = Dictionary(uniqueKeysWithValues: methods.compactMap { m in m["name"]?.stringValue.map { ($0, m["params"] ?? .null) } })
        var cases = 0
        for (method, text) in Self.baselines {
            let schema = try #require(schemas[method], "\(method) is in meta.methods")
            let baseline = try JSON.parse(world.fill(text))
            let first = world.db.call(method, baseline.text)
            #expect(first.ok, "the baseline of \(method) is valid: \(first.text.prefix(300))")
            for m in Self.mutations(schema: schema, value: baseline) {
                cases += 1
                let field = Mutation.render(m.path)
                let params = Self.setting(m.value, at: m.path, in: baseline)
                let answer = world.db.call(method, params.text)
                let error = answer.ok ? JSON.null : (try JSON.parse(answer.text)["error"] ?? .null)
                if m.allowed {
                    #expect(!Self.isBoundRefusal(error, at: field), "\(method) \(m): refused although its schema allows it: \(answer.text.prefix(300))")
                } else {
                    #expect(error["code"]?.stringValue == "invalid_params" && (error["details"]?["field"]?.stringValue ?? "").hasPrefix(field),
                            "\(method) \(m): accepted or refused for another reason: \(answer.text.prefix(300))")
                }
                if answer.ok, let id = (try JSON.parse(answer.text))["result"]?["id"]?.stringValue, let group = method.split(separator: ".").first,
                   schemas["\(group).get"] != nil {
                    let back = world.db.call("\(group).get", JSON.object(["id": .string(id)]).text)
                    #expect(back.ok, "\(method) \(m): the written \(group) reads back through \(group).get: \(back.text.prefix(300))")
                }
            }
            for (read, p) in Self.wholeDatabaseReads {
                let answer = world.db.call(read, world.fill(p))
                #expect(answer.ok, "after \(method)'s mutations, \(read) still answers for the whole database: \(answer.text.prefix(300))")
            }
        }
        #expect(cases > 300, "the schemas yield many cases (\(cases))")
    }
}
