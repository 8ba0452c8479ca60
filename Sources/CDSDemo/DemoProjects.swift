import CDSCore

/// The projects of the demo CDS: one at every stage, in communes of Tiznit and
/// Taroudannt, each brought through the workflow with the same methods an ADC uses.
enum DemoProjects {
    struct Line { let category: String; let label: String; let mad: Int64 }
    struct Source { let label: String; let percent: Int64; let org: String?; var programme: String? = nil; var origin: String? = nil }
    struct NeedSpec { let kind: String; let description: String; let skills: [String]; let quantity: JSON; let mode: String; let languages: [String]; let critical: Bool; let window: (String, String)? }
    struct Spec {
        let key: String, commune: String, communeKey: String, sector: String, proposer: String
        let title: (fr: String, ar: String), summary: String
        let beneficiaries: (Int64, Int64, Int64), pac: String?
        let goal: String, objective: String, result: String, indicator: (String, String, Double, Double)
        let activities: [(String, String, String)], lines: [Line], sources: [Source], needs: [NeedSpec]
        let lead: String, start: String, end: String
        let stage: Stage, side: (Stage, String)?
    }

    static let specs: [Spec] = [
        Spec(key: "water.anzi", commune: "09.581.03.03", communeKey: "anzi", sector: "EAU", proposer: "commune.anzi",
             title: ("Réseau d'eau potable du douar Ait Ali", "شبكة الماء الصالح للشرب بدوار آيت علي"),
             summary: "Capter la source d'Ait Ali et raccorder 60 foyers au réseau d'eau potable, avec une association d'usagers.",
             beneficiaries: (420, 210, 130), pac: "PAC Anzi 2023-2028, axe 2 (services de base), action 4",
             goal: "Améliorer l'accès à l'eau potable des douars d'Anzi", objective: "60 foyers du douar Ait Ali raccordés à un réseau géré par les usagers",
             result: "Le réseau est posé et géré par l'association d'usagers", indicator: ("Foyers raccordés", "foyers", 0, 60),
             activities: [("Étude hydraulique et conception", "2026-06-01", "2026-08-31"), ("Pose des conduites et branchements", "2026-09-07", "2027-02-28"),
                          ("Formation de l'association d'usagers", "2027-01-15", "2027-03-31")],
             lines: [Line(category: "studies", label: "Étude hydraulique", mad: 90_000), Line(category: "works", label: "Captage et réservoir", mad: 380_000),
                     Line(category: "works", label: "Conduites et 60 branchements", mad: 690_000), Line(category: "training", label: "Association d'usagers", mad: 40_000),
                     Line(category: "contingency", label: "Imprévus", mad: 50_000)],
             sources: [Source(label: "Commune d'Anzi", percent: 40, org: "commune.anzi"), Source(label: "INDH Tiznit", percent: 35, org: nil, origin: "state"),
                       Source(label: "PRA/OSIM (FORIM), demandé par les Tafraoutis de Gennevilliers", percent: 13, org: nil, programme: "pra_osim"),
                       Source(label: "Diaspora (Tafraoutis de Gennevilliers et donateurs)", percent: 12, org: "org.gennevilliers")],
             needs: [NeedSpec(kind: "finance", description: "Part de la diaspora dans le financement du réseau", skills: [],
                              quantity: ["unit": "money", "amount": 31_250_000, "currency": "MAD"], mode: "either", languages: [], critical: true, window: nil),
                     NeedSpec(kind: "skill", description: "Conception hydraulique du réseau, sur place pendant le séjour d'août", skills: ["2142"],
                              quantity: ["unit": "person_days", "amount": 10], mode: "on_site", languages: ["shi"], critical: true, window: ("2026-08-01", "2026-08-31")),
                     NeedSpec(kind: "network", description: "Un contact chez un fabricant de conduites PEHD", skills: [],
                              quantity: ["unit": "units", "amount": 1], mode: "remote", languages: ["fr"], critical: false, window: nil)],
             lead: "commune.anzi", start: "2026-09-01", end: "2027-03-31", stage: .implementation, side: nil),
        Spec(key: "solar.talmakante", commune: "09.541.11.33", communeKey: "talmakante", sector: "AGR", proposer: "technician.rotterdam",
             title: ("Pompage solaire pour la petite irrigation", "الضخ بالطاقة الشمسية للسقي الصغير"),
             summary: "Remplacer les motopompes diesel de 25 petites exploitations par un pompage solaire collectif.",
             beneficiaries: (150, 60, 40), pac: "PAC Talmakante 2023-2028, axe 3 (économie locale)",
             goal: "Réduire le coût de l'irrigation des petites exploitations", objective: "25 exploitations irriguées à l'énergie solaire",
             result: "Une station de pompage solaire dessert 25 exploitations", indicator: ("Exploitations desservies", "exploitations", 0, 25),
             activities: [("Dimensionnement de la station", "2026-07-01", "2026-07-31"), ("Installation des panneaux et pompes", "2026-10-01", "2026-12-15")],
             lines: [Line(category: "equipment", label: "Panneaux et pompes", mad: 420_000), Line(category: "works", label: "Bassin et réseau goutte-à-goutte", mad: 160_000),
                     Line(category: "training", label: "Formation à l'entretien", mad: 20_000)],
             sources: [Source(label: "Commune de Talmakante", percent: 30, org: "commune.talmakante"), Source(label: "Plan Maroc Vert / Génération Green", percent: 50, org: nil),
                       Source(label: "Diaspora", percent: 20, org: nil)],
             needs: [NeedSpec(kind: "skill", description: "Installation de la station solaire, une semaine sur place", skills: ["3113", "7411"],
                              quantity: ["unit": "person_days", "amount": 5], mode: "on_site", languages: ["shi"], critical: true, window: ("2026-10-01", "2026-12-15"))],
             lead: "commune.talmakante", start: "2026-10-01", end: "2026-12-31", stage: .mobilization, side: nil),
        Spec(key: "transport.irigh", commune: "09.581.09.07", communeKey: "irigh", sector: "EDU", proposer: "org.parents",
             title: ("Transport scolaire des douars d'Irigh N'tahala", "النقل المدرسي لدواوير إيغ نتاهالة"),
             summary: "Un minibus et son fonctionnement pour que 45 élèves des douars éloignés rejoignent le collège.",
             beneficiaries: (45, 24, 45), pac: nil,
             goal: "", objective: "", result: "", indicator: ("", "", 0, 0), activities: [], lines: [], sources: [], needs: [],
             lead: "org.parents", start: "2027-09-01", end: "2028-06-30", stage: .formulation, side: nil),
        Spec(key: "argan.tafraout", commune: "09.581.01.05", communeKey: "tafraout", sector: "COO", proposer: "org.coop",
             title: ("Conditionnement et vente en ligne de l'huile d'argan", "تلفيف وبيع زيت الأركان عبر الإنترنت"),
             summary: "Équiper la coopérative féminine pour conditionner son huile et la vendre en ligne à la diaspora.",
             beneficiaries: (38, 38, 12), pac: "PAC Tafraout 2023-2028, axe 3, action 2",
             goal: "Augmenter le revenu des femmes de la coopérative", objective: "La coopérative vend 30 % de sa production en ligne",
             result: "Une ligne de conditionnement et une boutique en ligne fonctionnent", indicator: ("Part des ventes en ligne", "%", 0, 30),
             activities: [("Achat de la ligne de conditionnement", "2026-09-01", "2026-10-31"), ("Boutique en ligne et formation", "2026-10-01", "2027-01-31")],
             lines: [Line(category: "equipment", label: "Ligne de conditionnement", mad: 180_000), Line(category: "communication", label: "Boutique en ligne", mad: 45_000),
                     Line(category: "training", label: "Formation commerce en ligne", mad: 25_000)],
             sources: [Source(label: "Coopérative", percent: 20, org: "org.coop"), Source(label: "INDH Tiznit", percent: 60, org: nil), Source(label: "Diaspora", percent: 20, org: nil)],
             needs: [NeedSpec(kind: "skill", description: "Conseil en commerce en ligne, à distance", skills: ["2432"],
                              quantity: ["unit": "person_days", "amount": 6], mode: "remote", languages: ["fr"], critical: false, window: ("2026-10-01", "2027-01-31"))],
             lead: "org.coop", start: "2026-09-01", end: "2027-01-31", stage: .ready, side: nil),
        Spec(key: "lighting.tafraout", commune: "09.581.01.05", communeKey: "tafraout", sector: "ELE", proposer: "president.gennevilliers",
             title: ("Éclairage public solaire des ruelles", "الإنارة العمومية بالطاقة الشمسية للأزقة"),
             summary: "Éclairer au solaire les ruelles du ksar, pour que femmes et enfants y circulent le soir en sécurité.",
             beneficiaries: (0, 0, 0), pac: nil, goal: "", objective: "", result: "", indicator: ("", "", 0, 0), activities: [], lines: [], sources: [], needs: [],
             lead: "org.gennevilliers", start: "2027-03-01", end: "2027-09-30", stage: .idea, side: nil),
        Spec(key: "track.anzi", commune: "09.581.03.03", communeKey: "anzi", sector: "ROU", proposer: "commune.anzi",
             title: ("Piste rurale Anzi – Tighmi", "المسلك القروي أنزي – تيغمي"),
             summary: "Ouvrir 6 km de piste pour désenclaver trois douars en hiver.",
             beneficiaries: (0, 0, 0), pac: nil, goal: "", objective: "", result: "", indicator: ("", "", 0, 0), activities: [], lines: [], sources: [], needs: [],
             lead: "commune.anzi", start: "2027-04-01", end: "2027-10-31", stage: .identification, side: nil),
        Spec(key: "preschool.talmakante", commune: "09.541.11.33", communeKey: "talmakante", sector: "EDU", proposer: "commune.talmakante",
             title: ("Classe de préscolaire du centre de Talmakante", "قسم التعليم الأولي بمركز تالماكانت"),
             summary: "Aménager et équiper une classe de préscolaire pour 30 enfants.", beneficiaries: (30, 15, 30), pac: "PAC Talmakante, axe 1, action 7",
             goal: "Préparer les enfants de 4-5 ans à l'école", objective: "30 enfants accueillis chaque année",
             result: "La classe accueille 30 enfants", indicator: ("Enfants inscrits", "enfants", 0, 30),
             activities: [("Aménagement de la salle", "2026-05-01", "2026-06-30"), ("Recrutement et formation de l'éducatrice", "2026-06-01", "2026-08-31")],
             lines: [Line(category: "works", label: "Aménagement", mad: 85_000), Line(category: "equipment", label: "Mobilier et matériel", mad: 35_000)],
             sources: [Source(label: "Commune de Talmakante", percent: 50, org: "commune.talmakante"), Source(label: "Diaspora", percent: 50, org: nil)],
             needs: [NeedSpec(kind: "finance", description: "Part de la diaspora", skills: [], quantity: ["unit": "money", "amount": 6_000_000, "currency": "MAD"],
                              mode: "either", languages: [], critical: true, window: nil)],
             lead: "commune.talmakante", start: "2026-05-01", end: "2026-09-15", stage: .completed, side: nil),
        Spec(key: "almond.tafraout", commune: "09.581.01.05", communeKey: "tafraout", sector: "CUL", proposer: "president.gennevilliers",
             title: ("Fête des amandiers en fleurs de Tafraout", "مهرجان اللوز بتافراوت"),
             summary: "Une édition de la fête des amandiers co-organisée avec la diaspora.", beneficiaries: (3000, 1400, 900), pac: nil,
             goal: "Faire connaître le territoire et ses produits", objective: "Une édition réussie, co-organisée avec la diaspora",
             result: "La fête réunit 3 000 visiteurs", indicator: ("Visiteurs", "personnes", 0, 3000),
             activities: [("Programmation et logistique", "2026-03-01", "2026-03-31")],
             lines: [Line(category: "operations", label: "Logistique", mad: 60_000), Line(category: "communication", label: "Affiches et réseaux", mad: 15_000)],
             sources: [Source(label: "Commune de Tafraout", percent: 60, org: "commune.tafraout"), Source(label: "Tafraoutis de Gennevilliers", percent: 40, org: "org.gennevilliers")],
             needs: [NeedSpec(kind: "network", description: "Des contacts de voyagistes en France", skills: [], quantity: ["unit": "units", "amount": 3], mode: "remote",
                              languages: ["fr"], critical: false, window: nil)],
             lead: "commune.tafraout", start: "2026-03-01", end: "2026-04-15", stage: .capitalized, side: nil),
        Spec(key: "library.irigh", commune: "09.581.09.07", communeKey: "irigh", sector: "CUL", proposer: "engineer.madrid",
             title: ("Bibliothèque communale d'Irigh N'tahala", "المكتبة الجماعية لإيغ نتاهالة"),
             summary: "Une bibliothèque et un espace numérique pour les jeunes.", beneficiaries: (600, 320, 450), pac: "PAC Irigh N'tahala, axe 1",
             goal: "Offrir aux jeunes un lieu de lecture et d'accès au numérique", objective: "600 jeunes inscrits",
             result: "La bibliothèque est ouverte 5 jours par semaine", indicator: ("Inscrits", "jeunes", 0, 600),
             activities: [("Aménagement et équipement", "2027-01-05", "2027-04-30")],
             lines: [Line(category: "works", label: "Aménagement", mad: 140_000), Line(category: "equipment", label: "Livres et ordinateurs", mad: 110_000)],
             sources: [Source(label: "Commune d'Irigh N'tahala", percent: 40, org: "commune.irigh"), Source(label: "Ministère de la Culture", percent: 40, org: nil),
                       Source(label: "Diaspora", percent: 20, org: nil)],
             needs: [NeedSpec(kind: "material", description: "Livres en arabe, amazighe et français", skills: [], quantity: ["unit": "units", "amount": 800],
                              mode: "either", languages: [], critical: true, window: nil)],
             lead: "commune.irigh", start: "2027-01-05", end: "2027-05-31", stage: .funded, side: nil),
        Spec(key: "slaughterhouse.anzi", commune: "09.581.03.03", communeKey: "anzi", sector: "ECO", proposer: "adc.anzi",
             title: ("Abattoir communal", "مجزرة جماعية"), summary: "Construire un abattoir communal aux normes.", beneficiaries: (0, 0, 0), pac: nil,
             goal: "", objective: "", result: "", indicator: ("", "", 0, 0), activities: [], lines: [], sources: [], needs: [], lead: "commune.anzi",
             start: "2027-01-01", end: "2027-12-31", stage: .identification, side: (.rejected, "Relève du programme provincial d'abattoirs, pas de la CDS")),
        Spec(key: "women.tafraout", commune: "09.581.01.05", communeKey: "tafraout", sector: "FEM", proposer: "coop.president",
             title: ("Maison de la femme de Tafraout", "دار المرأة بتافراوت"), summary: "Un lieu de formation et d'accueil pour les femmes du cercle.",
             beneficiaries: (250, 250, 80), pac: "PAC Tafraout, axe 4", goal: "", objective: "", result: "", indicator: ("", "", 0, 0), activities: [], lines: [],
             sources: [], needs: [], lead: "commune.tafraout", start: "2027-02-01", end: "2027-12-31", stage: .formulation, side: (.onHold, "En attente du terrain que la commune doit affecter")),
    ]

    /// Who answers which need: the story's pledges (need key → contributor key and amount;
    /// money in MAD). Pledged when the project is ready, confirmed for funding, delivered
    /// during implementation. The open skill needs of the solar station and the argan
    /// cooperative are left to the matcher (DemoMatching).
    static let pledges: [String: [(who: String, amount: Int64)]] = [
        "water.anzi.finance": [("org.gennevilliers", 200_000), ("president.gennevilliers", 62_500), ("accountant.brussels", 50_000)],
        "water.anzi.skill": [("engineer.lyon", 10)],
        "water.anzi.network": [("engineer.madrid", 1)],
        "preschool.talmakante.finance": [("teacher.barcelona", 20_000), ("technician.rotterdam", 40_000)],
        "library.irigh.material": [("org.gennevilliers", 800)],
    ]

    /// Brings every project of the demo to its stage; answers lines to print.
    static func build(_ call: (String, JSONObject) throws(CDSError) -> JSON, ids: inout [String: String]) throws(CDSError) -> [String] {
        var lines = ["Projects (one at every stage):"]
        var outreach: [String] = []
        var contributionsOf: [String: [String]] = [:]
        let day0 = LocalDate(year: 2026, month: 3, day: 2)?.daysSinceEpoch ?? 0
        for (j, s) in specs.enumerated() {
            let adc = ids["adc.\(s.communeKey)"] ?? ""
            let fac = ids["facilitator"] ?? ""
            let rep = ids["representative.\(s.communeKey)"] ?? ""
            let steps = Stage.mainLine.firstIndex(of: s.stage) ?? 0
            let stepDays = steps == 0 ? 0 : min(28, 230 / steps)
            func at(_ k: Int, _ hour: Int = 10) -> JSON {
                .string("\(LocalDate(daysSinceEpoch: day0 + j + k * stepDays))T\(hour < 10 ? "0" : "")\(hour):00:00Z")
            }
            func money(_ mad: Int64) -> JSON { ["minor": .int(mad * 100), "currency": "MAD"] }
            let total = s.lines.reduce(Int64(0)) { $0 + $1.mad }
            let p = try call("project.create", ["title": ["fr": .string(s.title.fr), "ar": .string(s.title.ar)], "proposer": .string(ids[s.proposer] ?? ""),
                                                "actor": .string(adc), "at": at(0, 9)])
            let id = p["id"]?.stringValue ?? ""
            ids["project.\(s.key)"] = id
            func update(_ fields: JSONObject, _ k: Int) throws(CDSError) {
                var f = fields
                f["id"] = .string(id); f["actor"] = .string(adc); f["at"] = at(k, 9)
                _ = try call("project.update", f)
            }
            func move(_ to: Stage, _ k: Int, note: String? = nil, by: String? = nil) throws(CDSError) {
                var f: JSONObject = ["id": .string(id), "to": .string(to.rawValue), "actor": .string(by ?? adc), "at": at(k, 11)]
                if let note { f["note"] = .string(note) }
                _ = try call("project.transition", f)
            }
            // Before it is ready, a project already has a lead organization and a planned period
            // (what IATI needs to publish it as in the pipeline); ready sets them for good.
            let early = steps < (Stage.mainLine.firstIndex(of: .ready) ?? 3)
            var planned: JSONObject = [:]
            if early, !s.lead.isEmpty { planned["lead_organization"] = .string(ids[s.lead] ?? "") }
            if early, !s.start.isEmpty { planned["start_on"] = .string(s.start); planned["end_on"] = .string(s.end) }
            if steps == 0 {
                // An idea: its proposer describes it and the facilitator records it.
                var f = planned
                f["id"] = .string(id); f["actor"] = .string(fac); f["at"] = at(0, 15)
                f["communes"] = [.string(s.commune)]; f["sector"] = .string(s.sector)
                if !s.summary.isEmpty { f["summary"] = ["fr": .string(s.summary)] }
                _ = try call("project.update", f)
            }
            for (k, stage) in Stage.mainLine.enumerated().dropFirst() where k <= steps {
                switch stage {
                case .identification:
                    var f: JSONObject = planned
                    f["communes"] = [.string(s.commune)]; f["sector"] = .string(s.sector); f["adc"] = .string(adc)
                    if !s.summary.isEmpty { f["summary"] = ["fr": .string(s.summary)] }
                    try update(f, k)
                case .formulation:
                    var f: JSONObject = ["identification_note": .string("Visite de terrain et réunion avec les habitants; besoin confirmé par la commune."),
                                         "beneficiaries": ["total": .int(s.beneficiaries.0), "women": .int(s.beneficiaries.1), "youth": .int(s.beneficiaries.2)]]
                    if let pac = s.pac { f["pac_reference"] = .string(pac) } else { f["pac_absence_reason"] = "Action nouvelle, à inscrire lors de la révision du PAC" }
                    try update(f, k)
                case .ready:
                    let lf: JSON = ["goal": .string(s.goal), "specific_objective": .string(s.objective),
                                    "results": [["title": .string(s.result), "indicators": [["name": .string(s.indicator.0), "unit": .string(s.indicator.1),
                                                                                             "baseline": .double(s.indicator.2), "target": .double(s.indicator.3)]]]],
                                    "activities": .array(s.activities.map { ["title": .string($0.0), "start_on": .string($0.1), "end_on": .string($0.2)] }),
                                    "risks": ["Retards administratifs", "Hausse du prix des matériaux"]]
                    let budget: JSON = ["currency": "MAD", "lines": .array(s.lines.map { ["category": .string($0.category), "label": .string($0.label), "amount": money($0.mad)] })]
                    var remaining = total
                    let plan: [JSON] = s.sources.enumerated().map { n, src in
                        let amount = n == s.sources.count - 1 ? remaining : total * src.percent / 100
                        remaining -= amount
                        var o: JSONObject = ["label": .string(src.label), "amount": money(amount), "status": .string(n == 0 ? "confirmed" : "expected")]
                        if let org = src.org.flatMap({ ids[$0] }) { o["organization"] = .string(org) }
                        if let programme = src.programme { o["programme"] = .string(programme) }
                        if let origin = src.origin { o["origin"] = .string(origin) }
                        return .object(o)
                    }
                    var partners: [JSON] = [["organization": .string(ids[s.lead] ?? ""), "role": "implementing"]]
                    if s.lead != "commune.\(s.communeKey)" { partners.append(["organization": .string(ids["commune.\(s.communeKey)"] ?? ""), "role": "funding"]) }
                    try update(["logframe": lf, "budget": budget, "funding_plan": .array(plan), "lead_organization": .string(ids[s.lead] ?? ""),
                                "start_on": .string(s.start), "end_on": .string(s.end), "partners": .array(partners)], k)
                    for n in s.needs {
                        var f: JSONObject = ["project": .string(id), "kind": .string(n.kind), "description": .string(n.description), "skills": .strings(n.skills),
                                             "quantity": n.quantity, "mode": .string(n.mode), "languages": .strings(n.languages), "critical": .bool(n.critical),
                                             "actor": .string(adc), "at": at(k, 9)]
                        if let w = n.window { f["from"] = .string(w.0); f["until"] = .string(w.1) }
                        let need = try call("need.create", f)
                        let needID = need["id"]?.stringValue ?? ""
                        ids["need.\(s.key).\(n.kind)"] = needID
                        if s.key == "water.anzi", n.kind == "skill" {
                            outreach = try DemoMobilization.outreach(call, ids: ids, need: needID, day: String((at(k, 9).stringValue ?? "").prefix(10)))
                        }
                        for (x, pledge) in (pledges["\(s.key).\(n.kind)"] ?? []).enumerated() {
                            let who: JSONObject = pledge.who.hasPrefix("org.") ? ["organization": .string(ids[pledge.who] ?? "")] : ["member": .string(ids[pledge.who] ?? "")]
                            var q = n.quantity.objectValue ?? JSONObject()
                            q["amount"] = .int(q["unit"] == "money" ? pledge.amount * 100 : pledge.amount)
                            var c: JSONObject = ["project": .string(id), "need": .string(needID), "kind": .string(n.kind), "quantity": .object(q),
                                                 "note": "Promesse enregistrée lors de la mobilisation", "at": at(k, 13 + x)]
                            for (key, v) in who { c[key] = v }
                            let made = try call("contribution.create", c)
                            contributionsOf[id, default: []].append(made["id"]?.stringValue ?? "")
                        }
                    }
                    _ = try call("project.endorse", ["id": .string(id), "on": .string(LocalDate(daysSinceEpoch: day0 + j + k * stepDays).description),
                                                     "reference": .string("Délibération du conseil communal"), "actor": .string(rep), "at": at(k, 10)])
                case .funded:
                    let plan = (try call("project.get", ["id": .string(id)]))["funding_plan"]?.arrayValue ?? []
                    try update(["funding_plan": .array(plan.map { src in
                        var o = src.objectValue ?? JSONObject()
                        o["status"] = "confirmed"
                        if o["organization"]?.isNull == true { o["organization"] = nil }
                        return .object(o)
                    })], k)
                    for c in contributionsOf[id] ?? [] {
                        _ = try call("contribution.update", ["id": .string(c), "status": "confirmed", "actor": .string(adc), "at": at(k, 8)])
                    }
                    for n in (try call("need.list", ["project": .string(id)]))["items"]?.arrayValue ?? [] where n["critical"] == true && n["status"] != "covered" {
                        _ = try call("need.update", ["id": n["id"] ?? "", "status": "covered", "actor": .string(adc), "at": at(k, 9)])
                    }
                case .implementation:
                    try update(["started_on": .string(LocalDate(daysSinceEpoch: day0 + j + k * stepDays).description)], k)
                    for c in contributionsOf[id] ?? [] {
                        _ = try call("contribution.update", ["id": .string(c), "status": "delivered", "actor": .string(adc), "at": at(k, 8)])
                    }
                case .completed:
                    try update(["progress_report": ["on": .string(LocalDate(daysSinceEpoch: day0 + j + k * stepDays).description), "progress": 100,
                                                    "text": "Travaux réceptionnés"], "final_report": "Objectifs atteints; réception provisoire prononcée."], k)
                case .capitalized:
                    try update(["lessons_learned": "Associer la diaspora dès l'identification; prévoir l'entretien dans le budget."], k)
                default: break
                }
                try move(stage, k, by: stage == .mobilization ? fac : nil)
            }
            if let side = s.side { try move(side.0, steps + 1, note: side.1, by: fac) }
            let stage = side(s)?.rawValue ?? s.stage.rawValue
            lines.append("  \(stage.padding(16)) \(s.title.fr) (\(s.commune))" + (total > 0 ? " — budget \(total.grouped) MAD" : ""))
        }
        return lines + outreach
    }

    static func side(_ s: Spec) -> Stage? { s.side?.0 }
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}

extension Int64 {
    /// Digits grouped by thousands with spaces, as amounts are written in French: 1250000 → "1 250 000".
    var grouped: String {
        var out = ""
        for (i, ch) in String(self).reversed().enumerated() { if i > 0 && i % 3 == 0 { out.append(" ") }; out.append(ch) }
        return String(out.reversed())
    }
}
