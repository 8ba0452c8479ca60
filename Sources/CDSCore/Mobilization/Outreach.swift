/// The channels a message goes through; the host delivers it.
public enum OutreachChannel: String, Vocabulary {
    case email, sms, messaging
    public var labels: Labels {
        switch self {
        case .email: Labels(fr: "Courriel", ar: "البريد الإلكتروني", en: "E-mail")
        case .sms: Labels(fr: "SMS", ar: "رسالة قصيرة", en: "SMS")
        case .messaging: Labels(fr: "Messagerie", ar: "تطبيق المراسلة", en: "Messaging app")
        }
    }

    /// The channels a member can be reached on: e-mail with an address, SMS and messaging with a phone.
    public static func reachable(email: String?, phone: String?) -> [OutreachChannel] {
        (email == nil ? [] : [.email]) + (phone == nil ? [] : [.messaging, .sms])
    }
}

/// Where a message of the outbox stands.
public enum MessageStatus: String, Vocabulary {
    /// Waiting for its time (not before) and for the host.
    case pending
    /// Given to the host by `outbox.next`, not acknowledged yet.
    case taken
    /// The host delivered it.
    case delivered
    /// The host could not deliver it.
    case failed
    /// Withdrawn before delivery: consent withdrawn, member erased, need covered or cancelled.
    case cancelled
    /// Past the weekly cap: it goes out inside a digest.
    case digested
    public var labels: Labels {
        switch self {
        case .pending: Labels(fr: "En attente", ar: "في الانتظار", en: "Pending")
        case .taken: Labels(fr: "Pris par l'hôte", ar: "قيد الإرسال", en: "Taken")
        case .delivered: Labels(fr: "Remis", ar: "مُسلَّم", en: "Delivered")
        case .failed: Labels(fr: "Échec", ar: "فشل", en: "Failed")
        case .cancelled: Labels(fr: "Annulé", ar: "ملغى", en: "Cancelled")
        case .digested: Labels(fr: "Dans un récapitulatif", ar: "ضمن ملخص", en: "In a digest")
        }
    }
}

/// A message template: a subject and a body per language (fr, ar, en), with `{name}`
/// placeholders; some are filled by the library, the others must come from the host.
public struct MessageTemplate: Sendable {
    /// The key (`need.call`…).
    public var key: String
    /// The subject, per language.
    public var subject: Labels
    /// The body, per language.
    public var body: Labels
    /// The parameters the library fills (the member's name, the project, the need…).
    public var filled: [String]

    /// Every placeholder of the subject and body, in every language, each once, in order.
    public var parameters: [String] {
        var out: [String] = []
        for text in [subject.fr, subject.ar, subject.en, body.fr, body.ar, body.en] {
            for p in MessageTemplate.placeholders(text) where !out.contains(p) { out.append(p) }
        }
        return out
    }

    /// The parameters the host must give.
    public var hostParameters: [String] { parameters.filter { !filled.contains($0) } }

    /// The placeholders of a text (`{link}` → `link`).
    static func placeholders(_ text: String) -> [String] {
        var out: [String] = []
        var current: String? = nil
        for ch in text {
            if ch == "{" { current = "" } else if ch == "}", let c = current { out.append(c); current = nil } else if current != nil { current?.append(ch) }
        }
        return out
    }

    /// Checks the host's parameters: every one the template needs, none it does not know,
    /// each a text of at most 500 characters; `invalid_params` names `params.<name>`.
    public func check(hostParams: JSONObject) throws(CDSError) -> [String: String] {
        var out: [String: String] = [:]
        for (k, v) in hostParams {
            guard hostParameters.contains(k) else {
                throw CDSError.invalid("params.\(k)", "template \(key) takes no parameter \(k) (it takes: \(hostParameters.joined(separator: ", ")))")
            }
            guard let s = v.stringValue else { throw CDSError.invalid("params.\(k)", "must be a text") }
            let t = Validate.trimmed(s)
            guard !t.isEmpty else { throw CDSError.invalid("params.\(k)", "must not be blank") }
            guard t.unicodeScalars.count <= 500 else { throw CDSError.invalid("params.\(k)", "is longer than the 500 allowed") }
            guard Text.isPrintable(t) else { throw CDSError.invalid("params.\(k)", "must be printable (no control character)") }
            out[k] = t
        }
        for p in hostParameters where out[p] == nil {
            throw CDSError.invalid("params.\(p)", "template \(key) needs the parameter \(p)")
        }
        return out
    }

    /// The subject and body in `language` with every placeholder replaced; nil if one has no value.
    public func render(_ language: Locale, _ values: [String: String]) -> (subject: String, body: String)? {
        func fill(_ text: String) -> String? {
            var out = ""
            var current: String? = nil
            for ch in text {
                if ch == "{" { current = "" } else if ch == "}", let c = current {
                    guard let v = values[c] else { return nil }
                    out += v
                    current = nil
                } else if current != nil { current?.append(ch) } else { out.append(ch) }
            }
            return out
        }
        guard let s = fill(subject.label(language)), let b = fill(body.label(language)) else { return nil }
        return (s, b)
    }

    /// The templates the library ships.
    public static let all: [MessageTemplate] = [
        MessageTemplate(
            key: "need.call",
            subject: Labels(fr: "{project} a besoin de vous", ar: "{project} في حاجة إليكم", en: "{project} needs you"),
            body: Labels(fr: "Bonjour {name},\nLe projet « {project} » ({commune}) cherche : {need}. Votre profil y répond : {reason}.\nEn savoir plus : {link}",
                         ar: "مرحبا {name}،\nمشروع « {project} » ({commune}) يبحث عن: {need}. ملفكم يستجيب لذلك: {reason}.\nللمزيد: {link}",
                         en: "Hello {name},\nThe project “{project}” ({commune}) is looking for: {need}. Your profile fits: {reason}.\nMore: {link}"),
            filled: ["name", "project", "commune", "need", "reason"]),
        MessageTemplate(
            key: "project.call",
            subject: Labels(fr: "Un projet de {commune} pour vous", ar: "مشروع من {commune} يهمكم", en: "A project of {commune} for you"),
            body: Labels(fr: "Bonjour {name},\nLe projet « {project} » ({commune}) se mobilise. Votre profil y répond : {reason}.\nEn savoir plus : {link}",
                         ar: "مرحبا {name}،\nمشروع « {project} » ({commune}) في طور التعبئة. ملفكم يستجيب لذلك: {reason}.\nللمزيد: {link}",
                         en: "Hello {name},\nThe project “{project}” ({commune}) is mobilizing. Your profile fits: {reason}.\nMore: {link}"),
            filled: ["name", "project", "commune", "reason"]),
        MessageTemplate(
            key: "digest",
            subject: Labels(fr: "{count} projets vous attendent", ar: "{count} مشاريع في انتظاركم", en: "{count} projects are waiting for you"),
            body: Labels(fr: "Bonjour {name},\nCette semaine : {items}", ar: "مرحبا {name}،\nهذا الأسبوع: {items}", en: "Hello {name},\nThis week: {items}"),
            filled: ["name", "count", "items"]),
    ]

    /// The template of `key`, or `invalid_params` naming `template`.
    public static func named(_ key: String) throws(CDSError) -> MessageTemplate {
        guard let t = all.first(where: { $0.key == key }) else {
            throw CDSError.invalid("template", "no template \"\(key)\" (templates: \(all.map(\.key).joined(separator: ", ")))")
        }
        return t
    }

    /// The JSON shape of `outreach.templates`.
    public var json: JSON {
        ["key": .string(key), "subject": subject.json, "body": body.json, "parameters": .strings(parameters),
         "host_parameters": .strings(hostParameters)]
    }
}

/// The language a member is written to: among her languages that have templates (fr, ar,
/// en), the one of her country of residence if she speaks it, else the first she lists;
/// French when she speaks none of them.
public enum MessageLanguage {
    /// The template language of a country's people, where there is one.
    static let ofCountry: [String: Locale] = [
        "FR": .fr, "BE": .fr, "LU": .fr, "CH": .fr, "MC": .fr, "CA": .fr, "SN": .fr, "CI": .fr,
        "GB": .en, "IE": .en, "US": .en, "AU": .en, "NZ": .en, "MT": .en,
        "MA": .ar, "DZ": .ar, "TN": .ar, "LY": .ar, "EG": .ar, "MR": .ar, "SA": .ar, "AE": .ar, "QA": .ar, "KW": .ar, "BH": .ar, "OM": .ar, "JO": .ar, "LB": .ar,
    ]

    /// The language of a member who speaks `languages` (in her order) and lives in `country`.
    public static func choose(languages: [String], country: String) -> Locale {
        let spoken = languages.compactMap(Locale.init(rawValue:))
        if let l = ofCountry[country], spoken.contains(l) { return l }
        return spoken.first ?? .fr
    }
}

/// A time zone as the outbox needs it: the offset from UTC, and the summer-time rule.
public struct ZoneRule: Sendable, Equatable {
    /// Summer time: none, the European Union's (last Sunday of March to last Sunday of October, at 01:00 UTC), or North America's.
    public enum Summer: Sendable { case none, europe, northAmerica }
    /// The standard offset, in minutes east of UTC.
    public var standardOffset: Int
    /// The summer-time rule.
    public var summer: Summer

    /// The offset on an instant, in minutes.
    public func offset(at t: Instant) -> Int {
        let y = t.date.year
        switch summer {
        case .none: return standardOffset
        case .europe:
            guard let start = ZoneRule.lastSunday(year: y, month: 3), let end = ZoneRule.lastSunday(year: y, month: 10) else { return standardOffset }
            let ms = t.millisecondsSinceEpoch
            let from = Int64(start.daysSinceEpoch) * 86_400_000 + 3_600_000, until = Int64(end.daysSinceEpoch) * 86_400_000 + 3_600_000
            return ms >= from && ms < until ? standardOffset + 60 : standardOffset
        case .northAmerica:
            // Second Sunday of March to first Sunday of November, at 02:00 local standard time.
            guard let march = LocalDate(year: y, month: 3, day: 8), let november = LocalDate(year: y, month: 11, day: 1) else { return standardOffset }
            let start = ZoneRule.sunday(onOrAfter: march), end = ZoneRule.sunday(onOrAfter: november)
            let local = t.millisecondsSinceEpoch + Int64(standardOffset) * 60_000
            let from = Int64(start.daysSinceEpoch) * 86_400_000 + 7_200_000, until = Int64(end.daysSinceEpoch) * 86_400_000 + 3_600_000
            return local >= from && local < until ? standardOffset + 60 : standardOffset
        }
    }

    static func sunday(onOrAfter d: LocalDate) -> LocalDate {
        // 1970-01-01 was a Thursday: day 3 is a Sunday.
        let n = d.daysSinceEpoch
        let weekday = ((n - 3) % 7 + 7) % 7
        return LocalDate(daysSinceEpoch: weekday == 0 ? n : n + 7 - weekday)
    }

    static func lastSunday(year: Int, month: Int) -> LocalDate? {
        guard let last = LocalDate(year: year, month: month, day: LocalDate.daysIn(month: month, year: year)) else { return nil }
        let n = last.daysSinceEpoch
        return LocalDate(daysSinceEpoch: n - ((n - 3) % 7 + 7) % 7)
    }

    /// The zone of a country of residence (its capital's, for a country of several zones); UTC when unknown.
    public static func of(country: String) -> ZoneRule { byCountry[country] ?? ZoneRule(standardOffset: 0, summer: .none) }

    /// The countries of the diaspora and of Morocco's neighbours, with their zones.
    static let byCountry: [String: ZoneRule] = {
        var d: [String: ZoneRule] = [:]
        for c in ["FR", "BE", "NL", "LU", "DE", "ES", "IT", "CH", "AT", "DK", "SE", "NO", "PL", "CZ", "SK", "HU", "SI", "HR", "MT", "MC"] {
            d[c] = ZoneRule(standardOffset: 60, summer: .europe)
        }
        for c in ["GB", "IE", "PT"] { d[c] = ZoneRule(standardOffset: 0, summer: .europe) }
        for c in ["FI", "GR", "RO", "BG", "EE", "LV", "LT", "CY"] { d[c] = ZoneRule(standardOffset: 120, summer: .europe) }
        for c in ["MA", "DZ", "TN", "NG"] { d[c] = ZoneRule(standardOffset: 60, summer: .none) }
        d["SN"] = ZoneRule(standardOffset: 0, summer: .none)
        d["CI"] = ZoneRule(standardOffset: 0, summer: .none)
        d["MR"] = ZoneRule(standardOffset: 0, summer: .none)
        d["LY"] = ZoneRule(standardOffset: 120, summer: .none)
        d["EG"] = ZoneRule(standardOffset: 120, summer: .none)
        for c in ["SA", "QA", "KW", "BH", "TR"] { d[c] = ZoneRule(standardOffset: 180, summer: .none) }
        for c in ["AE", "OM"] { d[c] = ZoneRule(standardOffset: 240, summer: .none) }
        d["US"] = ZoneRule(standardOffset: -300, summer: .northAmerica)
        d["CA"] = ZoneRule(standardOffset: -300, summer: .northAmerica)
        return d
    }()
}

/// The outbox's rules of a CDS: how many messages a member receives a week at most, and
/// the quiet hours (local time of the member) when none is given to the host.
public struct OutreachSettings: Sendable, Equatable {
    /// At most this many messages per member per week (Monday to Sunday, UTC); past it, a digest.
    public var weeklyCap: Int = 2
    /// The quiet hours start at this local hour (0–23) …
    public var quietFrom: Int = 21
    /// … and end at this one (none when equal).
    public var quietUntil: Int = 8

    /// The defaults: two a week, quiet from 21:00 to 08:00.
    public init() {}

    /// True when `t` falls in the quiet hours of a member whose zone is `zone`.
    public func isQuiet(_ t: Instant, zone: ZoneRule) -> Bool {
        guard quietFrom != quietUntil else { return false }
        let local = t.millisecondsSinceEpoch + Int64(zone.offset(at: t)) * 60_000
        let hour = Int(((local % 86_400_000) + 86_400_000) % 86_400_000 / 3_600_000)
        return quietFrom < quietUntil ? (hour >= quietFrom && hour < quietUntil) : (hour >= quietFrom || hour < quietUntil)
    }

    /// The first instant at or after `t` out of the quiet hours of `zone` (within two days).
    public func nextAllowed(after t: Instant, zone: ZoneRule) -> Instant {
        var x = t
        for _ in 0..<(48 * 4) where isQuiet(x, zone: zone) {
            // Step to the next quarter hour.
            let ms = x.millisecondsSinceEpoch
            x = Instant(millisecondsSinceEpoch: ms - ((ms % 900_000) + 900_000) % 900_000 + 900_000)
        }
        return x
    }

    /// The Monday 00:00 UTC that starts the week of `t`, in milliseconds.
    public static func weekStart(_ t: Instant) -> Int64 {
        let day = t.date.daysSinceEpoch
        // 1970-01-05 was a Monday (day 4).
        let monday = day - ((day - 4) % 7 + 7) % 7
        return Int64(monday) * 86_400_000
    }

    /// Reads the settings stored (`{"weekly_cap", "quiet_from", "quiet_until"}`).
    public init(json: JSON) throws(CDSError) {
        let r = try JSONReader(json, path: "", known: ["weekly_cap", "quiet_from", "quiet_until"])
        self.init()
        if let c = r.object["weekly_cap"]?.intValue { weeklyCap = Int(clamping: c) }
        if let f = r.object["quiet_from"]?.intValue { quietFrom = Int(clamping: f) }
        if let u = r.object["quiet_until"]?.intValue { quietUntil = Int(clamping: u) }
        try validate()
    }

    /// A cap of 1 to 50 a week; hours 0 to 23.
    public func validate() throws(CDSError) {
        guard (1...50).contains(weeklyCap) else { throw CDSError.invalid("weekly_cap", "must be 1 to 50") }
        guard (0...23).contains(quietFrom) else { throw CDSError.invalid("quiet_from", "must be an hour 0 to 23") }
        guard (0...23).contains(quietUntil) else { throw CDSError.invalid("quiet_until", "must be an hour 0 to 23") }
    }

    /// `{"weekly_cap", "quiet_from", "quiet_until"}`.
    public var json: JSON { ["weekly_cap": .int(Int64(weeklyCap)), "quiet_from": .int(Int64(quietFrom)), "quiet_until": .int(Int64(quietUntil))] }
}
