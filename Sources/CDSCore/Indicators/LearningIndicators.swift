/// The indicators of learning, reported by `learning.indicators` (the built-in report of
/// `indicators.compute` stays as release 0.1.0 answers it).
public enum LearningIndicatorID: String, Vocabulary {
    case learningParticipants = "learning_participants"
    case adcsTrained = "adcs_trained"
    case resourcesByLanguage = "resources_by_language"
    case activeSpaces = "active_learning_spaces"

    /// True when the value counts people, so it can be disaggregated by gender and country.
    public var countsPeople: Bool { self == .learningParticipants || self == .adcsTrained }

    /// What is counted, for the provenance.
    public var counts: String {
        switch self {
        case .learningParticipants, .adcsTrained: "members"
        case .resourcesByLanguage: "resources"
        case .activeSpaces: "learning spaces"
        }
    }

    /// The exact definition, in English.
    public var definition: String {
        switch self {
        case .learningParticipants: "Distinct members who took part in learning by the date: attended a session (present), viewed or downloaded a resource, or wrote a post a facilitator let through (a held, hidden or removed post counts nowhere); counted from the first day, in the territory of the commune an ADC serves, else of her origin."
        case .adcsTrained: "Distinct ADCs who completed at least one training module by the date (from the day completed, or the day recorded if later), counted in the commune they serve on the date; breakdown by commune."
        case .resourcesByLanguage: "Resources of the learning spaces added by the date (each translation is a resource of its own language), in the territory of a territorial space; breakdown by language."
        case .activeSpaces: "Learning spaces in which something happened in the 90 days up to the date: a post let through, a session attended, a resource used; in the territory of a territorial space."
        }
    }

    public var labels: Labels {
        switch self {
        case .learningParticipants: Labels(fr: "Participants aux apprentissages", ar: "المشاركون في التعلم", en: "Participants in learning")
        case .adcsTrained: Labels(fr: "ADC formés", ar: "أعوان التنمية المكونون", en: "ADCs trained")
        case .resourcesByLanguage: Labels(fr: "Ressources par langue", ar: "الموارد حسب اللغة", en: "Resources by language")
        case .activeSpaces: Labels(fr: "Espaces d'apprentissage actifs", ar: "فضاءات التعلم النشطة", en: "Active learning spaces")
        }
    }
}

/// What the learning indicators read of the log, as it was recorded (resolved once every
/// event is read: a late import may name a space or a resource recorded after it).
struct LearningFacts {
    /// The territory of each territorial space (nil for a thematic one).
    var spaceTerritory: [String: String?] = [:]
    /// The space of each learning event.
    var eventSpace: [String: String?] = [:]
    /// Each resource's space and language, and the day it was added.
    var resources: [String: (space: String, language: String, day: Int)] = [:]
    var resourceOrder: [String] = []
    /// Each post's space and author (to credit its author when a facilitator lets it through).
    var posts: [String: (space: String, author: String)] = [:]
    /// Who took part in learning, and when: attended a session, used a resource, wrote a visible post.
    var participations: [(member: String, day: Int)] = []
    /// When something happened in a space: a visible post, a session attended, a resource used.
    var spaceActivity: [(space: String, day: Int)] = []
    /// Uses of resources, to resolve their space: resource, member, day.
    var resourceUses: [(resource: String, member: String, day: Int)] = []
    /// Attendance at events, to resolve their space: event, day.
    var attendances: [(event: String, day: Int)] = []
    /// Completed modules: the learner and the day it counts from.
    var completions: [(member: String, day: Int)] = []
    /// Whether nothing the learning indicators count was read.
    var isEmpty: Bool { participations.isEmpty && completions.isEmpty && resources.isEmpty && spaceActivity.isEmpty && attendances.isEmpty }
}

extension IndicatorEngine {
    /// Reads the learning facts of one event (`apply` calls it for every event); whether it
    /// was one of theirs.
    func applyLearning(_ e: IndicatorEvent) -> Bool {
        switch e.event {
        case .spaceCreated(let territory): learning.spaceTerritory[e.subject] = .some(territory)
        case .learningEventCreated(let space): learning.eventSpace[e.subject] = .some(space)
        case .attendanceRecorded(let event, let member, let status):
            guard status == AttendanceStatus.present.rawValue else { return false }
            learning.participations.append((member, e.day))
            learning.attendances.append((event, e.day))
        case .resourceCreated(let space, let language):
            if learning.resources[e.subject] == nil { learning.resourceOrder.append(e.subject) }
            learning.resources[e.subject] = (space, language, e.day)
        case .resourceUsed(let member):
            learning.participations.append((member, e.day))
            learning.resourceUses.append((e.subject, member, e.day))
        case .postCreated(let space, let author, let state):
            learning.posts[e.subject] = (space, author)
            if state == .visible {
                learning.participations.append((author, e.day))
                learning.spaceActivity.append((space, e.day))
            }
        case .postModerated(let state):
            // A post counts from the day it is let through; held, hidden or removed, it adds nothing.
            guard state == .visible, let p = learning.posts[e.subject] else { return false }
            learning.participations.append((p.author, e.day))
            learning.spaceActivity.append((p.space, e.day))
        case .competenceAttested(_, let on, let origin):
            guard origin.kind == "module" else { return false }
            learning.completions.append((e.subject, max(on.daysSinceEpoch, e.day)))
        default: return false
        }
        return true
    }

    /// The territory a member learns under on a day: the commune an ADC serves, else her origin.
    func learnerTerritory(_ m: String, _ day: Int) -> String? {
        guard let a = members[m]?.at(day) else { return nil }
        return a.adc ? (a.adcCommune ?? a.origin) : a.origin
    }

    /// The spans of the learning indicators.
    func buildLearningSpans(_ b: inout LiveSpans<LearningIndicatorID, Int>) {
        // Participants count from the day they first took part, for good (people reached).
        for (m, d) in learning.participations where members[m] != nil {
            b.add(.learningParticipants, under: learnerTerritory(m, d), m, d, Int.max)
        }
        // ADCs trained: from a completed module, under the commune they serve while they serve it.
        for (m, d) in learning.completions {
            for seg in members[m]?.segments(d, Int.max) ?? [] where seg.value.adc {
                b.add(.adcsTrained, under: seg.value.adcCommune, m, seg.from, seg.to)
            }
        }
        for id in learning.resourceOrder {
            guard let r = learning.resources[id] else { continue }
            b.add(.resourcesByLanguage, under: learning.spaceTerritory[r.space] ?? nil, id, r.day, Int.max)
        }
        var activity = learning.spaceActivity
        for u in learning.resourceUses { if let r = learning.resources[u.resource] { activity.append((r.space, u.day)) } }
        for a in learning.attendances { if let s = learning.eventSpace[a.event] ?? nil { activity.append((s, a.day)) } }
        // A space is active for 90 days after anything happened in it.
        for (s, d) in activity where learning.spaceTerritory[s] != nil {
            b.add(.activeSpaces, under: learning.spaceTerritory[s] ?? nil, s, d, d + 90)
        }
    }

    /// The learning report on a day for a territory ("" : the CDS): each learning indicator
    /// with its value, breakdown and (with provenance) its ids; and the seed figure of
    /// competent ADCs with, per commune, the ADCs and the origin of each attestation (a
    /// module, its criteria version, or by hand).
    public func learningReport(day: Int, territory: String, provenance: Bool, disaggregate: String?, suppressSmallCells: Bool, locale: Locale) -> JSON {
        var items: [JSON] = []
        for id in LearningIndicatorID.allCases {
            let ids = learningSpans.entities(id, territory, at: day)
            var o: JSONObject = ["id": .string(id.rawValue), "label": .string(id.labels.label(locale)), "value": .int(Int64(ids.count)), "counts": .string(id.counts)]
            if id == .resourcesByLanguage { o["breakdown"] = resourceLanguages(ids) }
            if id == .adcsTrained { o["breakdown"] = adcCommunes(ids, day: day) }
            if id.countsPeople, let by = disaggregate { o["disaggregation"] = disaggregation(ids, by: by, day: day, suppress: suppressSmallCells) }
            if provenance { o["ids"] = .strings(ids) }
            items.append(.object(o))
        }
        let communes = counted(.collectivitiesWithCompetentADC, day: day, territory: territory)
        var seed: JSONObject = ["id": .string(IndicatorID.collectivitiesWithCompetentADC.rawValue),
                                "label": .string(IndicatorID.collectivitiesWithCompetentADC.labels.label(locale)), "value": .int(Int64(communes.count))]
        if provenance {
            seed["ids"] = .strings(communes)
            seed["evidence"] = .array(competentADCEvidence(day: day, territory: territory))
        }
        return ["as_of": .string(LocalDate(daysSinceEpoch: day).description), "territory": territory.isEmpty ? .null : .string(territory),
                "indicators": .array(items), "competent_adcs": .object(seed)]
    }

    /// The counted resources by language.
    func resourceLanguages(_ ids: [String]) -> JSON {
        var cells: [String: Int64] = [:]
        for id in ids { cells[learning.resources[id]?.language ?? "", default: 0] += 1 }
        return .array(cells.sorted { $0.key < $1.key }.map { ["key": .string($0.key), "value": .int($0.value)] })
    }

    /// The counted ADCs by the commune they serve on the day.
    func adcCommunes(_ ids: [String], day: Int) -> JSON {
        var cells: [String: Int64] = [:]
        for m in ids { cells[members[m]?.at(day)?.adcCommune ?? "", default: 0] += 1 }
        return .array(cells.sorted { $0.key < $1.key }.map { ["key": .string($0.key), "value": .int($0.value)] })
    }
}
