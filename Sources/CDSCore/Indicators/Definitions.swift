/// The built-in indicators: the seed's expected results and the ones a CDS steers by.
public enum IndicatorID: String, Vocabulary {
    case migrantsMobilized = "migrants_mobilized"
    case collectivitiesEngaged = "collectivities_engaged"
    case collectivitiesWithCompetentADC = "collectivities_with_competent_adc"
    case actorsLinked = "actors_linked"
    case territoriesConnected = "territories_connected"
    case projectsByStage = "projects_by_stage"
    case medianDaysIdeaToReady = "median_days_idea_to_ready"
    case financeConfirmed = "finance"
    case needsCovered = "needs_covered_share"
    case activeMembers = "active_members"
    case matchAcceptanceRate = "match_acceptance_rate"

    /// The default target (a CDS may set its own); nil when the indicator has none.
    public var defaultTarget: Double? {
        switch self {
        case .migrantsMobilized: 60
        case .collectivitiesEngaged: 5
        case .collectivitiesWithCompetentADC: 5
        case .actorsLinked: 40
        default: nil
        }
    }

    /// What is counted, for the provenance: member, organization, commune, project, need ids.
    public var counts: String {
        switch self {
        case .migrantsMobilized, .activeMembers: "members"
        case .collectivitiesEngaged, .actorsLinked: "organizations"
        case .collectivitiesWithCompetentADC, .territoriesConnected: "communes"
        case .projectsByStage, .medianDaysIdeaToReady: "projects"
        case .financeConfirmed: "contributions"
        case .needsCovered: "needs"
        case .matchAcceptanceRate: "matches"
        }
    }

    /// True when the value counts people, so it can be disaggregated by gender and country.
    public var countsPeople: Bool { self == .migrantsMobilized || self == .activeMembers }

    /// The exact definition, in English, as `indicators.definitions` gives it.
    public var definition: String {
        switch self {
        case .migrantsMobilized: "Distinct diaspora members (heart diaspora included) with at least one confirmed or delivered contribution to a project (of the territory) on the date; a cancelled contribution stops counting from its cancellation date."
        case .collectivitiesEngaged: "Distinct collectivités (communes, provincial and regional councils, seated in the territory) with a partnership agreement in force on the date."
        case .collectivitiesWithCompetentADC: "Distinct communes (of the territory) served on the date by at least one ADC who holds both the project_engineering and the communication competences, attested by completing a training module or by hand, from the day attested until the day revoked."
        case .actorsLinked: "Distinct Moroccan actors (organizations in Morocco other than the facilitator and diaspora associations, seated in the territory) with at least one interaction with a diaspora member or diaspora association, or leading or partnering a project to which a diaspora member has a confirmed or delivered contribution, on the date."
        case .territoriesConnected: "Distinct communes (of the territory) linked to at least one diaspora member or association on the date: her commune of origin, a commune of interest of one of their offers not withdrawn, or a commune of a project with their confirmed or delivered contribution."
        case .projectsByStage: "Projects (with a commune in the territory) by stage on the date; the value counts those not rejected or abandoned."
        case .medianDaysIdeaToReady: "Median number of days from a project's creation to its first arrival at the ready stage, over the projects that reached ready by the date."
        case .financeConfirmed: "Finance and investment contributions by status (pledged, confirmed, delivered) per currency on the date, and converted into the reporting currency with the latest rate on or before the date; the value is confirmed plus delivered, converted."
        case .needsCovered: "Share of the needs not cancelled that are covered on the date."
        case .activeMembers: "Distinct members who acted (an event with them as actor), contributed or took part in an interaction in the 90 days up to the date."
        case .matchAcceptanceRate: "Share of the proposed matches (offers proposed for needs of projects in the territory) decided by the date that were accepted: accepted ÷ (accepted + declined); the ids are the accepted matches."
        }
    }

    public var labels: Labels {
        switch self {
        case .migrantsMobilized: Labels(fr: "Migrants mobilisés", ar: "المهاجرون المعبؤون", en: "Migrants mobilized")
        case .collectivitiesEngaged: Labels(fr: "Collectivités engagées", ar: "الجماعات الترابية المنخرطة", en: "Collectivities engaged")
        case .collectivitiesWithCompetentADC: Labels(fr: "Collectivités dotées d'ADC compétents", ar: "الجماعات المتوفرة على أعوان تنمية مؤهلين", en: "Collectivities with competent ADCs")
        case .actorsLinked: Labels(fr: "Acteurs marocains en lien avec des migrants", ar: "الفاعلون المغاربة المرتبطون بالمهاجرين", en: "Moroccan actors linked with migrants")
        case .territoriesConnected: Labels(fr: "Territoires connectés à leur diaspora", ar: "المجالات الترابية المرتبطة بجاليتها", en: "Territories connected with their diaspora")
        case .projectsByStage: Labels(fr: "Projets par étape", ar: "المشاريع حسب المرحلة", en: "Projects by stage")
        case .medianDaysIdeaToReady: Labels(fr: "Jours médians de l'idée au projet précis", ar: "الأيام الوسيطة من الفكرة إلى المشروع الدقيق", en: "Median days from idea to ready")
        case .financeConfirmed: Labels(fr: "Financements confirmés", ar: "التمويلات المؤكدة", en: "Confirmed finance")
        case .needsCovered: Labels(fr: "Part des besoins couverts", ar: "نسبة الحاجيات المغطاة", en: "Share of needs covered")
        case .activeMembers: Labels(fr: "Membres actifs", ar: "الأعضاء النشطون", en: "Active members")
        case .matchAcceptanceRate: Labels(fr: "Taux d'acceptation des propositions", ar: "نسبة قبول الاقتراحات", en: "Match acceptance rate")
        }
    }
}

/// An exchange rate of a dated table: one unit of `from` is `rate` units of `to`, from `on`.
public struct ExchangeRate: Sendable, Equatable {
    /// The currency converted.
    public var from: String
    /// The reporting currency.
    public var to: String
    /// Units of `to` for one unit of `from`, as a decimal with up to 6 places, scaled by 10⁶.
    public var microRate: Int64
    /// The day the rate applies from.
    public var on: LocalDate

    /// A rate from a decimal text such as "10.85" (never floating point).
    public init(from: String, to: String, rate: String, on: LocalDate) throws(CDSError) {
        let parts = rate.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int64(parts[0]), whole >= 0,
              parts.count == 1 || (1...6).contains(parts[1].count) && parts[1].allSatisfy(\.isNumber)
        else { throw CDSError.invalid("rates.rate", "must be a decimal such as \"10.85\" (up to 6 places)") }
        let frac = parts.count == 2 ? String(parts[1]) + String(repeating: "0", count: 6 - parts[1].count) : "000000"
        let (scaled, o1) = whole.multipliedReportingOverflow(by: 1_000_000)
        guard !o1, let f = Int64(frac) else { throw CDSError.invalid("rates.rate", "is too large") }
        guard scaled + f > 0 else { throw CDSError.invalid("rates.rate", "must be positive") }
        self.from = from; self.to = to; microRate = scaled + f; self.on = on
    }

    /// `minor` units of `from` in minor units of `to`, rounded half up (both currencies
    /// with 2 decimals); nil on overflow.
    public func convert(_ minor: Int64) -> Int64? {
        guard minor >= 0 else { return nil }
        // The product in 128 bits, divided before rounding: nothing overflows on the way, and
        // the answer is nil only when the converted amount itself does not fit in 64 bits.
        let (hi, lo) = minor.multipliedFullWidth(by: microRate)
        guard hi >= 0, hi < 500_000 else { return nil }   // below 10⁶ × 2⁶³: the quotient fits
        let (whole, rest) = UInt64(1_000_000).dividingFullWidth((high: UInt64(hi), low: lo))
        let rounded = rest >= 500_000 ? whole + 1 : whole
        return rounded <= UInt64(Int64.max) ? Int64(rounded) : nil
    }

    /// Reads `{"from", "to", "rate", "on"}` (its `json`) at `path`.
    public init(json: JSON, path: String) throws(CDSError) {
        let r = try JSONReader(json, path: path, known: ["from", "to", "rate", "on"])
        guard let on = try r.date("on") else { throw CDSError.invalid(r.at("on"), "is required") }
        do throws(CDSError) {
            try self.init(from: try r.requiredText("from", max: 3), to: try r.requiredText("to", max: 3), rate: try r.requiredText("rate", max: 30), on: on)
        } catch where error.details["field"] == "rates.rate" {
            throw CDSError.invalid(r.at("rate"), error.details["reason"]?.stringValue ?? error.message)
        }
    }

    /// `{"from", "to", "rate", "on"}`.
    public var json: JSON {
        let frac = String(microRate % 1_000_000)
        let padded = String(repeating: "0", count: 6 - frac.count) + frac
        var trimmed = Substring(padded)
        while trimmed.last == "0", trimmed.count > 2 { trimmed.removeLast() }
        return ["from": .string(from), "to": .string(to), "rate": .string("\(microRate / 1_000_000).\(trimmed)"), "on": .string(on.description)]
    }
}
