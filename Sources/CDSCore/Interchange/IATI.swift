/// IATI 2.03 activities: what a project reports to the aid-transparency world, as a value
/// (`IATI.Activity`) built from the domain by `IATI.activity(…)`, checked against the IATI
/// rules that the XML Schema does not check (`IATI.check`), and written as XML (`IATI.xml`).
///
/// The XML Schema checks structure and element order only; the rules here check what it
/// cannot: codes from the shipped IATI code lists, sector percentages that sum to 100, budget
/// periods of at most a year, a currency on every value (or a default currency), and what
/// the schema requires but a draft project may lack (a title, a description, a start date).
public enum IATI {
    /// The version of the standard written.
    public static let version = "2.03"

    /// A text in one language (nil: the activity's default language).
    public struct Narrative: Sendable, Equatable {
        /// The ISO 639 code, or nil for the activity's default language.
        public var language: String?
        /// The text.
        public var text: String
        /// A narrative.
        public init(language: String?, text: String) { self.language = language; self.text = text }
    }

    /// An organisation as IATI names it: its identifier, its type, its role in the activity.
    public struct Organisation: Sendable, Equatable {
        /// The IATI organisation identifier (`XM-DAC-41114`), when known.
        public var ref: String?
        /// The IATI OrganisationType code (`11` local government, `24` partner-country NGO…).
        public var type: String?
        /// The OrganisationRole code (participating organisations only).
        public var role: String?
        /// Its names.
        public var names: [Narrative]
        /// An organisation.
        public init(ref: String?, type: String?, role: String?, names: [Narrative]) { self.ref = ref; self.type = type; self.role = role; self.names = names }
    }

    /// An amount with its currency (nil: the activity's default currency) and value date.
    public struct Value: Sendable, Equatable {
        /// Minor units (2 decimals, as every amount of the library).
        public var minor: Int64
        /// The ISO 4217 code, or nil for the default currency.
        public var currency: String?
        /// The day the value applies (for conversions).
        public var valueDate: LocalDate
        /// A value.
        public init(minor: Int64, currency: String?, valueDate: LocalDate) { self.minor = minor; self.currency = currency; self.valueDate = valueDate }
    }

    /// A budget period.
    public struct BudgetPeriod: Sendable, Equatable {
        /// BudgetType: 1 original.
        public var type: String
        /// BudgetStatus: 1 indicative, 2 committed.
        public var status: String
        /// The first day.
        public var start: LocalDate
        /// The last day.
        public var end: LocalDate
        /// How much.
        public var value: Value
    }

    /// A financial transaction.
    public struct Transaction: Sendable, Equatable {
        /// TransactionType code (1 incoming funds, 11 incoming commitment…).
        public var type: String
        /// The day it happened.
        public var date: LocalDate
        /// How much.
        public var value: Value
        /// Who provided the funds.
        public var provider: Organisation?
        /// Which contribution it reports (the transaction's `ref`).
        public var ref: String
    }

    /// A sector with its share of the activity.
    public struct Sector: Sendable, Equatable {
        /// SectorVocabulary code (1: OECD DAC 5-digit).
        public var vocabulary: String
        /// The code in that vocabulary.
        public var code: String
        /// Its share in hundredths of a percent (10000 = 100 %).
        public var share: Int64
        /// A sector.
        public init(vocabulary: String, code: String, share: Int64) { self.vocabulary = vocabulary; self.code = code; self.share = share }
    }

    /// A commune where the activity takes place.
    public struct Location: Sendable, Equatable {
        /// The location's ref (the HCP code).
        public var ref: String
        /// Its names.
        public var names: [Narrative]
        /// The administrative code (HCP) and its level (3: commune).
        public var adminCode: String
        /// The GeographicVocabulary of the code.
        public var adminVocabulary: String
        /// The administrative level.
        public var adminLevel: Int
    }

    /// An indicator of a result.
    public struct Indicator: Sendable, Equatable {
        /// IndicatorMeasure: 1 unit, 2 percentage.
        public var measure: String
        /// True when a higher value is better.
        public var ascending: Bool
        /// Its title.
        public var title: [Narrative]
        /// The baseline: its year, day and value.
        public var baseline: (year: Int, date: LocalDate?, value: String)?
        /// The period with its target and actual.
        public var period: (start: LocalDate, end: LocalDate, target: String?, actual: String?)?

        public static func == (a: Indicator, b: Indicator) -> Bool {
            a.measure == b.measure && a.ascending == b.ascending && a.title == b.title
                && a.baseline?.year == b.baseline?.year && a.baseline?.date == b.baseline?.date && a.baseline?.value == b.baseline?.value
                && a.period?.start == b.period?.start && a.period?.end == b.period?.end && a.period?.target == b.period?.target
                && a.period?.actual == b.period?.actual
        }
    }

    /// A result of the logframe.
    public struct Result: Sendable, Equatable {
        /// ResultType: 1 output.
        public var type: String
        /// Its title.
        public var title: [Narrative]
        /// Its indicators (IATI requires one at least).
        public var indicators: [Indicator]
    }

    /// One `iati-activity`, element by element.
    public struct Activity: Sendable, Equatable {
        /// The project it reports (for problems).
        public var project: String
        /// `reporting-org/@ref` + `-` + the project's code.
        public var identifier: String
        /// When the project last changed.
        public var lastUpdated: Instant
        /// The default language of narratives.
        public var language: String
        /// The default currency of values.
        public var defaultCurrency: String?
        /// The reporting organisation.
        public var reportingOrg: Organisation
        /// The titles, one per language.
        public var titles: [Narrative]
        /// Descriptions by DescriptionType (1 general, 2 objectives).
        public var descriptions: [(type: String, narratives: [Narrative])]
        /// Participating organisations with their roles.
        public var participatingOrgs: [Organisation]
        /// ActivityStatus code.
        public var status: String
        /// ActivityDateType code and day.
        public var dates: [(type: String, date: LocalDate)]
        /// The recipient country and its share in hundredths of a percent.
        public var recipientCountry: (code: String, share: Int64)
        /// The communes.
        public var locations: [Location]
        /// The sectors.
        public var sectors: [Sector]
        /// The budget, by periods.
        public var budgets: [BudgetPeriod]
        /// The transactions.
        public var transactions: [Transaction]
        /// The results with their indicators.
        public var results: [Result]

        public static func == (a: Activity, b: Activity) -> Bool {
            a.project == b.project && a.identifier == b.identifier && a.lastUpdated == b.lastUpdated && a.language == b.language
                && a.defaultCurrency == b.defaultCurrency && a.reportingOrg == b.reportingOrg && a.titles == b.titles
                && a.descriptions.count == b.descriptions.count && zip(a.descriptions, b.descriptions).allSatisfy { $0.type == $1.type && $0.narratives == $1.narratives }
                && a.participatingOrgs == b.participatingOrgs && a.status == b.status
                && a.dates.count == b.dates.count && zip(a.dates, b.dates).allSatisfy { $0.type == $1.type && $0.date == $1.date }
                && a.recipientCountry == b.recipientCountry && a.locations == b.locations && a.sectors == b.sectors
                && a.budgets == b.budgets && a.transactions == b.transactions && a.results == b.results
        }
    }

    /// The shipped IATI code lists the rules check codes against (from the reference data).
    public struct CodeLists: Sendable {
        /// ActivityStatus codes.
        public var activityStatuses: Set<String>
        /// OrganisationRole codes.
        public var organisationRoles: Set<String>
        /// TransactionType codes.
        public var transactionTypes: Set<String>
        /// SectorVocabulary codes.
        public var sectorVocabularies: Set<String>
        /// OECD DAC 5-digit purpose codes (sector vocabulary 1).
        public var dacSectors: Set<String>
        /// Currency codes.
        public var currencies: Set<String>
        /// Code lists.
        public init(activityStatuses: Set<String>, organisationRoles: Set<String>, transactionTypes: Set<String>, sectorVocabularies: Set<String>,
                    dacSectors: Set<String>, currencies: Set<String>) {
            self.activityStatuses = activityStatuses; self.organisationRoles = organisationRoles; self.transactionTypes = transactionTypes
            self.sectorVocabularies = sectorVocabularies; self.dacSectors = dacSectors; self.currencies = currencies
        }
    }

    /// A rule an activity breaks: where (an XPath-like path), which rule (a stable key) and why.
    public struct Problem: Sendable, Equatable {
        /// The project's id.
        public var project: String
        /// Where in the activity: `sector[0]/@code`, `budget[1]`…
        public var path: String
        /// The rule's key: `code_list`, `sector_percentages`, `budget_period`, `currency`, `required`, `identifier`.
        public var rule: String
        /// Why, for a person.
        public var message: String
        /// `{"project", "path", "rule", "message"}`.
        public var json: JSON {
            .object(JSONObject([("project", .string(project)), ("path", .string(path)), ("rule", .string(rule)), ("message", .string(message))]))
        }
    }
}

// MARK: - From the domain

extension IATI {
    /// The ActivityStatus of a stage: the pipeline up to funded, implementation, finalisation
    /// when completed, closed when capitalized, cancelled when rejected or abandoned,
    /// suspended on hold.
    public static func activityStatus(_ stage: Stage) -> String {
        switch stage {
        case .idea, .identification, .formulation, .ready, .mobilization, .funded: "1"
        case .implementation: "2"
        case .completed: "3"
        case .capitalized: "4"
        case .rejected, .abandoned: "5"
        case .onHold: "6"
        }
    }

    /// The IATI OrganisationType of an organization: councils are local government, public
    /// agencies government, associations and NGOs seated in Morocco partner-country NGOs, those
    /// abroad national (diaspora associations) or international NGOs, cooperatives and
    /// enterprises private sector, funders other.
    public static func organisationType(_ o: Organization) -> String {
        let inMorocco = o.country == "MA"
        switch o.kind {
        case .commune, .provincialCouncil, .regionalCouncil: return "11"
        case .publicAgency: return "10"
        case .localAssociation: return "24"
        case .ngo: return inMorocco ? "24" : "21"
        case .diasporaAssociation: return "22"
        case .facilitator: return inMorocco ? "24" : "22"
        case .cooperative, .enterprise: return inMorocco ? "72" : "70"
        case .funder: return "90"
        }
    }

    /// What the activity of one project is made of, gathered by the store.
    public struct Sources: Sendable {
        /// The project.
        public var project: Project
        /// The reporting organization (its IATI ref makes the identifier).
        public var reporting: Organization
        /// The organizations the project names (partners, lead, funders, contributors), by id.
        public var organizations: [String: Organization]
        /// The project's communes.
        public var communes: [Territory]
        /// Its contributions.
        public var contributions: [Contribution]
        /// The day it reached completed, capitalized, rejected or abandoned (its actual end).
        public var endedOn: LocalDate?
        /// Sources.
        public init(project: Project, reporting: Organization, organizations: [String: Organization], communes: [Territory],
                    contributions: [Contribution], endedOn: LocalDate?) {
            self.project = project; self.reporting = reporting; self.organizations = organizations; self.communes = communes
            self.contributions = contributions; self.endedOn = endedOn
        }
    }

    /// The label of a diaspora member who contributed: people are never named in open data.
    static let anonymousMember = [Narrative(language: nil, text: "Membre de la diaspora"), Narrative(language: "en", text: "Diaspora member")]

    /// The activity of a project: every field the project has, in IATI's terms.
    public static func activity(_ s: Sources) -> Activity {
        let p = s.project
        let language = p.title.entries.first { $0.language == "fr" }?.language ?? p.title.entries.first?.language ?? "fr"
        func narratives(_ t: LocalizedText) -> [Narrative] {
            t.entries.map { Narrative(language: $0.language == language ? nil : $0.language, text: $0.text) }
        }
        func org(_ o: Organization, role: String?) -> Organisation {
            Organisation(ref: o.iatiRef, type: organisationType(o), role: role, names: [Narrative(language: nil, text: o.name)])
        }
        let currency = p.budget?.currency ?? p.fundingPlan.first?.amount.currency
            ?? s.contributions.first { $0.kind.isMoney }?.quantity.currency

        var descriptions: [(type: String, narratives: [Narrative])] = []
        if !p.summary.isEmpty { descriptions.append(("1", narratives(p.summary))) }
        if let objective = p.logframe?.specificObjective { descriptions.append(("2", [Narrative(language: nil, text: objective)])) }

        var participating: [Organisation] = []
        for x in p.partners { if let o = s.organizations[x.organization] { participating.append(org(o, role: String(x.role.iatiCode))) } }
        if let lead = p.leadOrganization, !p.partners.contains(where: { $0.organization == lead }), let o = s.organizations[lead] {
            participating.append(org(o, role: String(PartnerRole.implementing.iatiCode)))
        }

        var dates: [(type: String, date: LocalDate)] = []
        if let d = p.startOn { dates.append(("1", d)) }
        if let d = p.startedOn { dates.append(("2", d)) }
        if let d = p.endOn { dates.append(("3", d)) }
        if let d = s.endedOn { dates.append(("4", d)) }

        let locations = s.communes.map { t in
            Location(ref: t.code, names: [Narrative(language: language == "fr" ? nil : "fr", text: t.nameFr),
                                          Narrative(language: language == "ar" ? nil : "ar", text: t.nameAr)],
                     adminCode: t.code, adminVocabulary: "99", adminLevel: 3)
        }
        let sectors = p.dacCode.map { [Sector(vocabulary: "1", code: $0, share: 10_000)] } ?? []

        var budgets: [BudgetPeriod] = []
        if let b = p.budget, let start = p.startOn, let end = p.endOn {
            budgets = budgetPeriods(total: b.total, currency: b.currency, from: start, until: end,
                                    status: [.funded, .implementation, .completed, .capitalized].contains(p.stage) ? "2" : "1")
        }

        var transactions: [Transaction] = []
        for c in s.contributions where c.kind.isMoney && c.status.counts {
            let provider: Organisation = c.organization.flatMap { s.organizations[$0] }.map { org($0, role: nil) }
                ?? Organisation(ref: nil, type: nil, role: nil, names: anonymousMember)
            if let on = c.confirmedOn {
                transactions.append(Transaction(type: "11", date: on, value: Value(minor: c.quantity.amount, currency: c.quantity.currency, valueDate: on),
                                                provider: provider, ref: c.id + "-commitment"))
            }
            if c.status == .delivered, let on = c.deliveredOn {
                transactions.append(Transaction(type: "1", date: on, value: Value(minor: c.quantity.amount, currency: c.quantity.currency, valueDate: on),
                                                provider: provider, ref: c.id + "-funds"))
            }
        }

        let results = (p.logframe?.results ?? []).map { r in
            Result(type: "1", title: [Narrative(language: nil, text: r.title)], indicators: r.indicators.map { i in
                let unitIsPercent = i.unit.map { $0 == "%" || $0.lowercased().hasPrefix("pourcent") || $0.lowercased().hasPrefix("percent") } ?? false
                let baseline = i.baseline.map { v in (year: p.startOn?.year ?? p.createdAt.date.year, date: p.startOn, value: number(v)) }
                var period: (start: LocalDate, end: LocalDate, target: String?, actual: String?)?
                if let start = p.startOn, let end = p.endOn, i.target != nil || i.actual != nil {
                    period = (start, end, i.target.map(number), i.actual.map(number))
                }
                let title = i.unit.map { "\(i.name) (\($0))" } ?? i.name
                return Indicator(measure: unitIsPercent ? "2" : "1", ascending: (i.target ?? 0) >= (i.baseline ?? 0),
                                 title: [Narrative(language: nil, text: title)], baseline: baseline, period: period)
            })
        }

        return Activity(project: p.id, identifier: (s.reporting.iatiRef ?? "") + "-" + p.code, lastUpdated: p.updatedAt, language: language,
                        defaultCurrency: currency, reportingOrg: org(s.reporting, role: nil), titles: narratives(p.title),
                        descriptions: descriptions, participatingOrgs: participating, status: activityStatus(p.stage), dates: dates,
                        recipientCountry: ("MA", 10_000), locations: locations, sectors: sectors, budgets: budgets,
                        transactions: transactions, results: results)
    }

    /// A number of the logframe as IATI writes it: `60`, `12.5`.
    static func number(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }

    /// The day one year after `d`, less a day: the last day of a period of a year (29
    /// February starts a period ending on 27 February of the next year).
    static func yearAfter(_ d: LocalDate) -> LocalDate {
        let next = LocalDate(year: d.year + 1, month: d.month, day: d.day) ?? LocalDate(year: d.year + 1, month: d.month, day: d.day - 1) ?? d
        return LocalDate(daysSinceEpoch: next.daysSinceEpoch - 1)
    }

    /// A budget of `total` over [from, until] in periods of at most a year, each with the
    /// share of its days (rounded down; the last period takes the remainder, so they sum
    /// to the total exactly).
    public static func budgetPeriods(total: Int64, currency: String, from: LocalDate, until: LocalDate, status: String) -> [BudgetPeriod] {
        guard from <= until, total >= 0 else { return [] }
        var spans: [(LocalDate, LocalDate)] = []
        var start = from
        while start <= until, spans.count < 200 {
            let end = min(yearAfter(start), until)
            spans.append((start, end))
            start = LocalDate(daysSinceEpoch: end.daysSinceEpoch + 1)
        }
        let days = UInt64(until.daysSinceEpoch - from.daysSinceEpoch + 1)
        var left = total
        var out: [BudgetPeriod] = []
        for (n, (s, e)) in spans.enumerated() {
            let share: Int64
            if n == spans.count - 1 {
                share = left
            } else {
                // total × days of the period / days in all, in 128 bits: no overflow on the way.
                let (hi, lo) = UInt64(total).multipliedFullWidth(by: UInt64(e.daysSinceEpoch - s.daysSinceEpoch + 1))
                share = Int64(clamping: days.dividingFullWidth((high: hi, low: lo)).quotient)
            }
            left -= share
            out.append(BudgetPeriod(type: "1", status: status, start: s, end: e, value: Value(minor: share, currency: currency, valueDate: s)))
        }
        return out
    }
}

// MARK: - The rules

extension IATI {
    /// True when `ref` can be an IATI organisation identifier: a registration agency prefix
    /// (`XM-DAC`, `GB-CHC`, `MA-ICE`…), a hyphen and the number, in letters, digits, `-`, `_`
    /// and `.`, at most 100 characters.
    public static func isOrganisationIdentifier(_ ref: String) -> Bool {
        let b = Array(ref.utf8)
        guard (5...100).contains(b.count), b.count >= 3, b[0].isASCIIUpper, b[1].isASCIIUpper, b[2] == UInt8(ascii: "-") else { return false }
        guard b.last != UInt8(ascii: "-") else { return false }
        return b.allSatisfy { $0.isASCIIUpper || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 95 || $0 == 46 }
    }

    /// Every IATI rule the activity breaks, in the order of its elements.
    public static func check(_ a: Activity, codes: CodeLists) -> [Problem] {
        var out: [Problem] = []
        func problem(_ path: String, _ rule: String, _ message: String) { out.append(Problem(project: a.project, path: path, rule: rule, message: message)) }
        func code(_ value: String, in list: Set<String>, _ name: String, _ path: String) {
            if !list.contains(value) { problem(path, "code_list", "\(value) is not a code of the IATI \(name) code list") }
        }
        func value(_ v: Value, _ path: String) {
            if let c = v.currency {
                code(c, in: codes.currencies, "Currency", path + "/@currency")
            } else if a.defaultCurrency == nil {
                problem(path, "currency", "a value needs a currency, or the activity a default-currency")
            }
            if v.minor < 0 { problem(path, "value", "a value is not negative") }
        }

        if a.reportingOrg.ref.map(isOrganisationIdentifier) != true {
            problem("reporting-org/@ref", "identifier", "the reporting organization needs its IATI organisation identifier (iati_ref, e.g. XM-DAC-41114)")
        }
        if let r = a.reportingOrg.ref, !a.identifier.hasPrefix(r + "-") {
            problem("iati-identifier", "identifier", "the activity identifier must begin with the reporting organization's identifier")
        }
        if a.identifier.utf8.contains(where: { $0 == 32 || $0 == 47 || $0 == 38 || $0 == 124 || $0 == 63 || $0 < 32 }) {
            problem("iati-identifier", "identifier", "an activity identifier has no spaces, /, &, | or ?")
        }
        if let c = a.defaultCurrency { code(c, in: codes.currencies, "Currency", "@default-currency") }
        if a.titles.isEmpty { problem("title", "required", "the activity needs a title") }
        if a.descriptions.isEmpty { problem("description", "required", "the activity needs a description (the project's summary)") }
        if a.participatingOrgs.isEmpty { problem("participating-org", "required", "the activity needs a participating organisation (partners or lead organization)") }
        for (n, o) in a.participatingOrgs.enumerated() { code(o.role ?? "", in: codes.organisationRoles, "OrganisationRole", "participating-org[\(n)]/@role") }
        code(a.status, in: codes.activityStatuses, "ActivityStatus", "activity-status/@code")
        if !a.dates.contains(where: { $0.type == "1" || $0.type == "2" }) {
            problem("activity-date", "required", "the activity needs a planned or actual start date (start_on)")
        }
        if a.recipientCountry.share != 10_000 { problem("recipient-country/@percentage", "percentages", "the recipient countries' percentages must sum to 100") }
        if !a.sectors.isEmpty {
            for (n, s) in a.sectors.enumerated() {
                code(s.vocabulary, in: codes.sectorVocabularies, "SectorVocabulary", "sector[\(n)]/@vocabulary")
                if s.vocabulary == "1" { code(s.code, in: codes.dacSectors, "Sector (DAC 5-digit)", "sector[\(n)]/@code") }
            }
            for (vocabulary, sum) in Dictionary(a.sectors.map { ($0.vocabulary, $0.share) }, uniquingKeysWith: { $0.addingReportingOverflow($1).partialValue }) where sum != 10_000 {
                problem("sector", "sector_percentages", "the percentages of the sectors of vocabulary \(vocabulary) sum to \(percent(sum)), not 100")
            }
        } else {
            problem("sector", "required", "the activity needs a DAC 5-digit sector (the project's dac_code)")
        }
        for (n, b) in a.budgets.enumerated() {
            if b.end < b.start { problem("budget[\(n)]/period-end", "budget_period", "a budget period ends after it starts") }
            if b.end.daysSinceEpoch - b.start.daysSinceEpoch > 365 {
                problem("budget[\(n)]", "budget_period", "a budget period is at most a year (\(b.start) to \(b.end) is longer)")
            }
            value(b.value, "budget[\(n)]/value")
        }
        for (n, t) in a.transactions.enumerated() {
            code(t.type, in: codes.transactionTypes, "TransactionType", "transaction[\(n)]/transaction-type/@code")
            value(t.value, "transaction[\(n)]/value")
        }
        for (n, r) in a.results.enumerated() where r.indicators.isEmpty {
            problem("result[\(n)]/indicator", "required", "a result needs at least one indicator")
        }
        return out
    }

    /// Hundredths of a percent as `100`, `33.33`.
    static func percent(_ share: Int64) -> String {
        let whole = share / 100, frac = share % 100
        if frac == 0 { return String(whole) }
        return "\(whole)." + (frac < 10 ? "0" : "") + String(frac)
    }

    /// Minor units as a decimal in major units: `125000000` → `1250000.00`.
    static func decimal(_ minor: Int64) -> String {
        let sign = minor < 0 ? "-" : ""
        let m = minor.magnitude
        let frac = m % 100
        return sign + String(m / 100) + "." + (frac < 10 ? "0" : "") + String(frac)
    }
}

// MARK: - XML

extension IATI {
    /// `<iati-activities version="2.03">` with the activities, as UTF-8 XML text.
    public static func xml(_ activities: [Activity], generated: Instant) -> String {
        var w = XMLWriter()
        w.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        w.open("iati-activities", [("version", version), ("generated-datetime", generated.description)])
        for a in activities { activity(a, &w) }
        w.close("iati-activities")
        return w.text
    }

    static func activity(_ a: Activity, _ w: inout XMLWriter) {
        w.open("iati-activity", [("last-updated-datetime", a.lastUpdated.description), ("xml:lang", a.language), ("default-currency", a.defaultCurrency)])
        w.element("iati-identifier", [], text: a.identifier)
        organisation("reporting-org", a.reportingOrg, &w)
        narratives("title", [], a.titles, &w)
        for d in a.descriptions { narratives("description", [("type", d.type)], d.narratives, &w) }
        for o in a.participatingOrgs { organisation("participating-org", o, &w) }
        w.element("activity-status", [("code", a.status)])
        for d in a.dates { w.element("activity-date", [("type", d.type), ("iso-date", d.date.description)]) }
        w.element("recipient-country", [("code", a.recipientCountry.code), ("percentage", percent(a.recipientCountry.share))])
        for l in a.locations {
            w.open("location", [("ref", l.ref)])
            w.element("location-reach", [("code", "1")])
            narratives("name", [], l.names, &w)
            w.element("administrative", [("vocabulary", l.adminVocabulary), ("level", String(l.adminLevel)), ("code", l.adminCode)])
            w.element("exactness", [("code", "1")])
            w.element("location-class", [("code", "1")])
            w.close("location")
        }
        for s in a.sectors { w.element("sector", [("vocabulary", s.vocabulary), ("code", s.code), ("percentage", percent(s.share))]) }
        for b in a.budgets {
            w.open("budget", [("type", b.type), ("status", b.status)])
            w.element("period-start", [("iso-date", b.start.description)])
            w.element("period-end", [("iso-date", b.end.description)])
            value(b.value, &w)
            w.close("budget")
        }
        for t in a.transactions {
            w.open("transaction", [("ref", t.ref)])
            w.element("transaction-type", [("code", t.type)])
            w.element("transaction-date", [("iso-date", t.date.description)])
            value(t.value, &w)
            if let p = t.provider { organisation("provider-org", p, &w) }
            w.close("transaction")
        }
        for r in a.results {
            w.open("result", [("type", r.type)])
            narratives("title", [], r.title, &w)
            for i in r.indicators {
                w.open("indicator", [("measure", i.measure), ("ascending", i.ascending ? "1" : "0")])
                narratives("title", [], i.title, &w)
                if let b = i.baseline { w.element("baseline", [("year", String(b.year)), ("iso-date", b.date?.description), ("value", b.value)]) }
                if let p = i.period {
                    w.open("period", [])
                    w.element("period-start", [("iso-date", p.start.description)])
                    w.element("period-end", [("iso-date", p.end.description)])
                    if let t = p.target { w.element("target", [("value", t)]) }
                    if let x = p.actual { w.element("actual", [("value", x)]) }
                    w.close("period")
                }
                w.close("indicator")
            }
            w.close("result")
        }
        w.close("iati-activity")
    }

    static func value(_ v: Value, _ w: inout XMLWriter) {
        w.element("value", [("currency", v.currency), ("value-date", v.valueDate.description)], text: decimal(v.minor))
    }

    static func organisation(_ name: String, _ o: Organisation, _ w: inout XMLWriter) {
        narratives(name, [("ref", o.ref), ("type", o.type), ("role", o.role)], o.names, &w)
    }

    static func narratives(_ name: String, _ attributes: [(String, String?)], _ n: [Narrative], _ w: inout XMLWriter) {
        w.open(name, attributes)
        for x in n { w.element("narrative", [("xml:lang", x.language)], text: x.text) }
        w.close(name)
    }
}

/// Writes indented XML, escaping text and attributes (and dropping the characters XML 1.0 forbids).
struct XMLWriter {
    private(set) var text = ""
    private var depth = 0

    mutating func raw(_ s: String) { text += s }

    private mutating func start(_ name: String, _ attributes: [(String, String?)]) {
        text += String(repeating: "  ", count: depth) + "<" + name
        for (k, v) in attributes { if let v { text += " " + k + "=\"" + XMLWriter.escape(v, attribute: true) + "\"" } }
    }

    mutating func open(_ name: String, _ attributes: [(String, String?)]) {
        start(name, attributes)
        text += ">\n"
        depth += 1
    }

    mutating func close(_ name: String) {
        depth -= 1
        text += String(repeating: "  ", count: max(depth, 0)) + "</" + name + ">\n"
    }

    mutating func element(_ name: String, _ attributes: [(String, String?)], text content: String? = nil) {
        start(name, attributes)
        if let content { text += ">" + XMLWriter.escape(content, attribute: false) + "</" + name + ">\n" } else { text += "/>\n" }
    }

    /// `s` with `& < > "` escaped, and the control characters XML 1.0 forbids removed.
    static func escape(_ s: String, attribute: Bool) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where attribute: out += "&quot;"
            case "\n" where attribute: out += "&#10;"
            case "\t", "\n", "\r": out.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }
}

extension UInt8 {
    /// An ASCII capital letter.
    var isASCIIUpper: Bool { self >= 65 && self <= 90 }
}
