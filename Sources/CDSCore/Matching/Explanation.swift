/// One line of a match's explanation: a scored component (with its weight and value) or a
/// hard constraint it meets, with a stable reason key and labels in fr, ar and en.
public struct MatchReason: Sendable, Equatable {
    /// `skills`, `territory`, `time`, `capacity`, `sector`, or a constraint: `kind`, `languages`, `mode`, `consent`.
    public var component: String
    /// The component's share of the score (weight / sum of weights); nil for a constraint.
    public var weight: Double?
    /// The component's value in [0, 1]; nil for a constraint.
    public var value: Double?
    /// A stable key, e.g. `origin_commune`, `same_skill`, `available_whole_window`.
    public var reason: String
    public var labels: Labels

    /// `{"component", "weight", "value", "reason", "labels"}`.
    public var json: JSON {
        var o = JSONObject([("component", .string(component))])
        if let weight { o["weight"] = .double(weight) }
        if let value { o["value"] = .double(value) }
        o["reason"] = .string(reason)
        o["labels"] = labels.json
        return .object(o)
    }
}

/// Why a need and an offer match: the score and every component of it.
public struct MatchExplanation: Sendable, Equatable {
    public var need: String
    public var offer: String
    /// The offering member or organization.
    public var owner: String
    /// In [0, 1].
    public var score: Double
    /// The exact integer score (Σ weight × value per mille).
    public var points: Int
    public var components: [MatchReason]
    public var constraints: [MatchReason]

    /// `{"need", "offer", "owner", "score", "components": […], "constraints": […]}`.
    public var json: JSON {
        .object(JSONObject([
            ("need", .string(need)), ("offer", .string(offer)), ("owner", .string(owner)), ("score", .double(score)),
            ("components", .array(components.map(\.json))), ("constraints", .array(constraints.map(\.json))),
        ]))
    }
}

extension MatchIndex {
    /// The explanation of need `n` with offer `o`, or nil when a hard constraint fails.
    /// Its values are the kernel's, so the weighted components add up to the score.
    public func explain(need n: Int, offer o: Int) -> MatchExplanation? {
        guard let points = score(need: n, offer: o) else { return nil }
        let need = needs[n], offer = offers[o]
        let flags = oFlags[o]
        let anyTime = flags & MatchIndex.anyTimeFlag != 0
        let onSite = need.mode == .onSite || (need.mode == .either && flags & MatchIndex.remoteFlag == 0)
        let total = Double(weights.total)
        func line(_ c: MatchComponent, _ v: Int32, _ reason: String, _ labels: Labels) -> MatchReason {
            MatchReason(component: c.rawValue, weight: Double(weights[c]) / total, value: Double(v) / 1000, reason: reason, labels: labels)
        }
        func names(_ codes: [String]) -> Labels {
            let l = codes.map { taxonomy.name($0) }
            return Labels(fr: l.map(\.fr).joined(separator: ", "), ar: l.map(\.ar).joined(separator: "، "), en: l.map(\.en).joined(separator: ", "))
        }
        return withRow(n) { r in
            var components: [MatchReason] = []
            // Skills.
            let sv = skillValue(r, o)
            if need.skills.isEmpty {
                components.append(line(.skills, sv, "no_skill_required", Labels(fr: "Aucune compétence particulière demandée", ar: "لا تشترط كفاءة محددة",
                                                                                  en: "No particular skill asked for")))
            } else {
                let held = Set(offer.skills)
                let exact = need.skills.filter { held.contains($0) }
                let groups = Set(offer.skills + offer.skills.compactMap { taxonomy.skillParent[$0] })
                let related = need.skills.filter { s in
                    !held.contains(s) && (groups.contains(s) || taxonomy.skillParent[s].map { groups.contains($0) } ?? false)
                }
                if !exact.isEmpty {
                    let x = names(exact)
                    components.append(line(.skills, sv, "same_skill", Labels(fr: "A la compétence demandée : \(x.fr)", ar: "يتوفر على الكفاءة المطلوبة: \(x.ar)",
                                                                              en: "Has the skill asked for: \(x.en)")))
                } else if !related.isEmpty {
                    // Name what the offerer holds, and what it stands near.
                    let near = offer.skills.filter { h in
                        related.contains { s in
                            let p = taxonomy.skillParent[s], hp = taxonomy.skillParent[h]
                            return h == p || hp == s || (p != nil && hp == p)
                        }
                    }
                    let x = names(near.isEmpty ? related : near), y = names(related)
                    components.append(line(.skills, sv, "related_skill", Labels(fr: "Compétence voisine : \(x.fr) (demandé : \(y.fr))",
                                                                                 ar: "كفاءة قريبة: \(x.ar) (المطلوب: \(y.ar))",
                                                                                 en: "A related skill: \(x.en) (asked for: \(y.en))")))
                } else {
                    components.append(line(.skills, sv, "no_skill_match", Labels(fr: "Pas la compétence demandée", ar: "لا يتوفر على الكفاءة المطلوبة",
                                                                                  en: "Not the skill asked for")))
                }
            }
            // Territory.
            let tv = territoryValue(r, o)
            var where_ = (0, "no_territory_link", "")
            if let origin = offer.origin {
                let v = MatchIndex.territoryValue(origin, communes: need.communes, taxonomy: taxonomy, interest: false)
                if v.value > where_.0 { where_ = (v.value, v.reason, origin) }
            }
            for t in offer.interests {
                let v = MatchIndex.territoryValue(t, communes: need.communes, taxonomy: taxonomy, interest: true)
                if v.value > where_.0 { where_ = (v.value, v.reason, t) }
            }
            // The place named is the one at the level that matched (the commune, its province, its region).
            let anc = taxonomy.ancestors(where_.2)
            let level = where_.1.hasSuffix("_commune") ? anc.commune : where_.1.hasSuffix("_province") ? anc.province : anc.region
            let place = taxonomy.name(level ?? where_.2)
            let territoryLabels: Labels
            switch where_.1 {
            case "origin_commune":
                territoryLabels = Labels(fr: "Originaire de la commune du projet (\(place.fr))", ar: "من أبناء جماعة المشروع (\(place.ar))",
                                         en: "Same commune of origin as the project (\(place.fr))")
            case "origin_province":
                territoryLabels = Labels(fr: "Originaire de la province du projet (\(place.fr))", ar: "من أبناء إقليم المشروع (\(place.ar))",
                                         en: "From the project's province (\(place.fr))")
            case "origin_region":
                territoryLabels = Labels(fr: "Originaire de la région du projet (\(place.fr))", ar: "من أبناء جهة المشروع (\(place.ar))",
                                         en: "From the project's region (\(place.fr))")
            case "interest_commune":
                territoryLabels = Labels(fr: "S'intéresse à la commune du projet (\(place.fr))", ar: "مهتم بجماعة المشروع (\(place.ar))",
                                         en: "Interested in the project's commune (\(place.fr))")
            case "interest_province":
                territoryLabels = Labels(fr: "S'intéresse à la province du projet (\(place.fr))", ar: "مهتم بإقليم المشروع (\(place.ar))",
                                         en: "Interested in the project's province (\(place.fr))")
            case "interest_region":
                territoryLabels = Labels(fr: "S'intéresse à la région du projet (\(place.fr))", ar: "مهتم بجهة المشروع (\(place.ar))",
                                         en: "Interested in the project's region (\(place.fr))")
            default:
                territoryLabels = Labels(fr: "Pas d'attache avec le territoire du projet", ar: "لا ارتباط بتراب المشروع", en: "No tie to the project's territory")
            }
            components.append(line(.territory, tv, where_.1, territoryLabels))
            // Time.
            let tm = timeValue(r, o, anyTime: anyTime, onSite: onSite)
            if !r.hasWindow {
                components.append(line(.time, tm, "no_window", Labels(fr: "Pas de période fixée pour le besoin", ar: "لا فترة محددة للحاجة", en: "The need has no set period")))
            } else if anyTime {
                components.append(line(.time, tm, "available_any_time", Labels(fr: "Disponible à tout moment", ar: "متوفر في أي وقت", en: "Available any time")))
            } else {
                let from = need.from?.description ?? "", until = need.until?.description ?? ""
                let pct = tm / 10
                let key = tm == 1000 ? "available_whole_window" : tm > 0 ? "available_part_window" : "not_available_in_window"
                let travel = onSite && offer.abroad
                let labels: Labels
                switch key {
                case "available_whole_window":
                    labels = travel
                        ? Labels(fr: "Au Maroc pendant toute la période (\(from) – \(until))", ar: "في المغرب طوال الفترة (\(from) – \(until))",
                                 en: "In Morocco for the whole period (\(from) – \(until))")
                        : Labels(fr: "Disponible pendant toute la période (\(from) – \(until))", ar: "متوفر طوال الفترة (\(from) – \(until))",
                                 en: "Available for the whole period (\(from) – \(until))")
                case "available_part_window":
                    labels = Labels(fr: "Disponible \(pct) % de la période (\(from) – \(until))", ar: "متوفر \(pct)٪ من الفترة (\(from) – \(until))",
                                    en: "Available \(pct) % of the period (\(from) – \(until))")
                default:
                    labels = Labels(fr: "Pas disponible pendant la période", ar: "غير متوفر خلال الفترة", en: "Not available in the period")
                }
                components.append(line(.time, tm, key, labels))
            }
            // Capacity.
            let cv = capacityValue(r, o)
            if oUnit[o] != r.unit {
                components.append(line(.capacity, cv, "capacity_not_comparable", Labels(fr: "Capacité dans une autre unité ou monnaie",
                                                                                         ar: "القدرة بوحدة أو عملة أخرى", en: "Capacity in another unit or currency")))
            } else if cv == 1000 {
                components.append(line(.capacity, cv, "capacity_covers", Labels(fr: "Peut couvrir tout le besoin", ar: "يمكنه تغطية الحاجة كاملة",
                                                                                 en: "Can cover the whole need")))
            } else {
                let pct = cv / 10
                components.append(line(.capacity, cv, "capacity_part", Labels(fr: "Peut couvrir \(pct) % du besoin", ar: "يمكنه تغطية \(pct)٪ من الحاجة",
                                                                               en: "Can cover \(pct) % of the need")))
            }
            // Sector.
            let scv = sectorValue(r, o)
            let sector = taxonomy.name(need.sector ?? "")
            if r.sectorBit == 0 {
                components.append(line(.sector, scv, "sector_unknown", Labels(fr: "Secteur du projet non précisé", ar: "قطاع المشروع غير محدد",
                                                                               en: "The project's sector is not set")))
            } else if oSector[o] == 0 {
                components.append(line(.sector, scv, "open_to_all_sectors", Labels(fr: "Ouvert à tous les secteurs", ar: "منفتح على كل القطاعات",
                                                                                    en: "Open to every sector")))
            } else if scv == 1000 {
                components.append(line(.sector, scv, "sector_interest", Labels(fr: "S'intéresse au secteur du projet (\(sector.fr))",
                                                                                ar: "مهتم بقطاع المشروع (\(sector.ar))", en: "Interested in the project's sector (\(sector.en))")))
            } else {
                components.append(line(.sector, scv, "other_sector", Labels(fr: "Intéressé par d'autres secteurs", ar: "مهتم بقطاعات أخرى",
                                                                             en: "Interested in other sectors")))
            }

            // The hard constraints met.
            var constraints: [MatchReason] = []
            let kind = need.kind.labels
            constraints.append(MatchReason(component: "kind", reason: "same_kind", labels: Labels(fr: "Ressource demandée : \(kind.fr)",
                                                                                                  ar: "المورد المطلوب: \(kind.ar)", en: "Resource asked for: \(kind.en)")))
            if need.languages.isEmpty {
                constraints.append(MatchReason(component: "languages", reason: "no_language_required",
                                               labels: Labels(fr: "Aucune langue exigée", ar: "لا لغة مشترطة", en: "No language required")))
            } else {
                let l = names(need.languages)
                constraints.append(MatchReason(component: "languages", reason: "speaks_required_languages",
                                               labels: Labels(fr: "Parle \(l.fr)", ar: "يتحدث \(l.ar)", en: "Speaks \(l.en)")))
            }
            if onSite {
                let travel = offer.abroad && !offer.windows.isEmpty
                constraints.append(MatchReason(component: "mode", reason: travel ? "on_site_in_travel_window" : "on_site",
                                               labels: travel
                                                   ? Labels(fr: "Peut venir sur place pendant un séjour au Maroc", ar: "يمكنه الحضور خلال إقامة بالمغرب",
                                                            en: "Can come on site during a stay in Morocco")
                                                   : Labels(fr: "Peut travailler sur place", ar: "يمكنه العمل في عين المكان", en: "Can work on site")))
            } else {
                constraints.append(MatchReason(component: "mode", reason: "remote_work",
                                               labels: Labels(fr: "Peut travailler à distance", ar: "يمكنه العمل عن بعد", en: "Can work remotely")))
            }
            constraints.append(MatchReason(component: "consent", reason: "consent_to_contact",
                                           labels: Labels(fr: "Accepte d'être contacté", ar: "يقبل أن يتم الاتصال به", en: "Agrees to be contacted")))
            return MatchExplanation(need: need.id, offer: offer.id, owner: offer.owner, score: Double(points) / Double(scale), points: points,
                                    components: components, constraints: constraints)
        }
    }
}

extension MatchReason {
    /// A constraint's line.
    init(component: String, reason: String, labels: Labels) {
        self.init(component: component, weight: nil, value: nil, reason: reason, labels: labels)
    }
}
