/// The entities a CSV file imports and exports.
public enum ImportEntity: String, Vocabulary {
    case members, organizations, offers, needs, projects
    public var labels: Labels {
        switch self {
        case .members: Labels(fr: "Membres", ar: "الأعضاء", en: "Members")
        case .organizations: Labels(fr: "Organisations", ar: "الهيئات", en: "Organizations")
        case .offers: Labels(fr: "Offres", ar: "العروض", en: "Offers")
        case .needs: Labels(fr: "Besoins", ar: "الحاجيات", en: "Needs")
        case .projects: Labels(fr: "Projets", ar: "المشاريع", en: "Projects")
        }
    }
    /// The entity's name in the external-ref table and in methods: `member`, `offer`…
    public var singular: String {
        switch self {
        case .members: "member"
        case .organizations: "organization"
        case .offers: "offer"
        case .needs: "need"
        case .projects: "project"
        }
    }
}

/// How the dates of a file are written: ISO only, or also the forms of a French spreadsheet.
public enum DateStyle: String, Vocabulary {
    case iso, fr
    public var labels: Labels {
        switch self {
        case .iso: Labels(fr: "AAAA-MM-JJ", ar: "سنة-شهر-يوم", en: "YYYY-MM-DD")
        case .fr: Labels(fr: "JJ/MM/AAAA (et AAAA-MM-JJ)", ar: "يوم/شهر/سنة", en: "DD/MM/YYYY (and YYYY-MM-DD)")
        }
    }
}

/// One column an entity imports: the params path it fills (`capacity.amount`), how its text
/// reads, and the header names it is recognized by (French and English, accents, case,
/// spaces, `_` and `-` ignored).
public struct ImportColumn: Sendable {
    /// How a cell's text becomes a JSON value.
    public enum Kind: Sendable, Equatable {
        /// Text as it is (trimmed).
        case text
        /// A code, lowercased (`F` → `f`; `upper`: uppercased, `fr` → `FR`); `aliases` maps other spellings (`femme` → `f`).
        case code(aliases: [String: String], upper: Bool = false)
        /// A list: items separated by `|`, `,` or `;` (inside quotes), each trimmed.
        case list
        /// A list of codes, lowercased.
        case codes
        /// oui/non, yes/no, true/false, vrai/faux, 1/0, x/empty.
        case boolean
        /// A date: ISO, or with the French style DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY too.
        case date
        /// A date that becomes the call's `at` (midnight UTC): when the fact happened, to import history.
        case dateInstant
        /// A whole number (spaces between thousands allowed).
        case integer
        /// A reference to another entity: its `ref` from an earlier import, or its id.
        case reference(String)
        /// The consent version of a purpose (`consents[] += {purpose, version}`).
        case consent(String)
    }
    /// The params path, dot-separated.
    public var path: String
    /// How it reads.
    public var kind: Kind
    /// Header names, folded.
    public var names: [String]
    /// True when an update must not send it (a creation-only param: `member` of an offer…).
    public var createOnly: Bool

    /// A column.
    public init(_ path: String, _ kind: Kind, _ names: [String], createOnly: Bool = false) {
        self.path = path; self.kind = kind; self.names = ([path] + names).map(ImportSpec.fold); self.createOnly = createOnly
    }
}

/// What a problem of one cell or row is: where (`row`, `column`), what (`value`) and why.
public struct ImportProblem: Sendable, Equatable {
    /// The record's number in the file (the header is row 1).
    public var row: Int
    /// The column's header, or nil for the whole row.
    public var column: String?
    /// The cell's text (or the row's, cut).
    public var value: String?
    /// Why, for a person.
    public var reason: String
    /// A problem.
    public init(row: Int, column: String?, value: String?, reason: String) { self.row = row; self.column = column; self.value = value; self.reason = reason }
    /// `{"row", "column", "value", "reason"}`.
    public var json: JSON {
        .object(JSONObject([("row", .int(Int64(row))), ("column", .optional(column)), ("value", .optional(value)), ("reason", .string(reason))]))
    }
}

/// The columns of each entity, and how a record becomes the params of its method.
public enum ImportSpec {
    /// `Genre` → `genre`, `Pays de résidence` → `paysderesidence`, `e-mail` → `email`.
    public static func fold(_ s: String) -> String {
        String(Text.fold(s).unicodeScalars.filter { !" _-.'’".unicodeScalars.contains($0) })
    }

    static let gender: [String: String] = ["femme": "f", "woman": "f", "female": "f", "homme": "m", "h": "m", "man": "m", "male": "m",
                                           "nonprecise": "undisclosed", "nondivulgue": "undisclosed", "autre": "x", "other": "x"]

    /// The columns of `entity` (made once: every row reads them).
    public static func columns(_ entity: ImportEntity) -> [ImportColumn] { table[entity] ?? [] }

    static let table: [ImportEntity: [ImportColumn]] = Dictionary(uniqueKeysWithValues: ImportEntity.allCases.map { ($0, make($0)) })

    static func make(_ entity: ImportEntity) -> [ImportColumn] {
        let ref = ImportColumn("ref", .text, ["référence", "reference", "id externe", "external id", "identifiant", "code externe"])
        switch entity {
        case .members:
            return [ref,
                    .init("name", .text, ["nom", "nom complet", "full name", "nom et prénom", "prénom et nom"]),
                    .init("gender", .code(aliases: gender), ["genre", "sexe", "sex"]),
                    .init("roles", .codes, ["rôles", "role", "rôle"]),
                    .init("residence_country", .code(aliases: [:], upper: true), ["pays", "pays de résidence", "country", "country of residence"]),
                    .init("residence_city", .text, ["ville", "ville de résidence", "city"]),
                    .init("email", .text, ["e-mail", "courriel", "mail", "adresse électronique"]),
                    .init("phone", .text, ["téléphone", "tel", "tél", "portable", "mobile", "telephone"]),
                    .init("origin", .text, ["origine", "commune d'origine", "territoire d'origine", "origin territory"]),
                    .init("heart_diaspora", .boolean, ["diaspora de cœur", "diaspora de coeur", "heart diaspora"]),
                    .init("languages", .codes, ["langues", "langue", "language"]),
                    .init("skills", .list, ["compétences", "competences", "skill"]),
                    .init("adc_commune", .text, ["commune adc", "commune servie"]),
                    .init("invited_by", .reference("member"), ["invité par", "parrain"]),
                    .init("at", .dateInstant, ["date d'inscription", "inscrit le", "inscription", "registered on", "date"], createOnly: true),
                    .init("consent_processing", .consent("processing"), ["consentement traitement"], createOnly: true),
                    .init("consent_contact", .consent("contact"), ["consentement contact"], createOnly: true),
                    .init("consent_publication", .consent("publication"), ["consentement publication"], createOnly: true)]
        case .organizations:
            return [ref,
                    .init("kind", .code(aliases: ["association": "local_association", "cooperative": "cooperative", "entreprise": "enterprise", "ong": "ngo",
                                                  "bailleur": "funder", "associationdeladiaspora": "diaspora_association"]), ["type", "nature", "catégorie"]),
                    .init("name", .text, ["nom", "raison sociale", "dénomination"]),
                    .init("country", .code(aliases: [:], upper: true), ["pays"]),
                    .init("territory", .text, ["territoire", "commune", "code territoire", "siège"]),
                    .init("city", .text, ["ville"]),
                    .init("email", .text, ["e-mail", "courriel", "mail"]),
                    .init("website", .text, ["site", "site web", "site internet", "web"]),
                    .init("sectors", .list, ["secteurs", "secteur"]),
                    .init("iati_ref", .text, ["identifiant iati", "iati", "iati identifier"])]
        case .offers:
            return [ref,
                    .init("member", .reference("member"), ["membre", "réf membre", "member ref"], createOnly: true),
                    .init("organization", .reference("organization"), ["organisation", "réf organisation"], createOnly: true),
                    .init("kind", .code(aliases: ["competence": "skill", "financement": "finance", "reseau": "network", "materiel": "material",
                                                  "investissement": "investment"]), ["type", "nature"], createOnly: true),
                    .init("description", .text, ["intitulé", "libellé", "offre"]),
                    .init("skills", .list, ["compétences", "competences"]),
                    .init("capacity.unit", .code(aliases: ["jourspersonne": "person_days", "jours": "person_days", "argent": "money", "unites": "units"]),
                          ["unité", "unit", "capacity unit"]),
                    .init("capacity.amount", .integer, ["quantité", "capacité", "montant", "amount", "capacity"]),
                    .init("capacity.currency", .code(aliases: [:], upper: true), ["devise", "monnaie", "currency"]),
                    .init("windows.from", .date, ["disponible du", "du", "from", "début"]),
                    .init("windows.until", .date, ["disponible au", "au", "until", "fin"]),
                    .init("remote", .boolean, ["à distance", "distance"]),
                    .init("on_site", .boolean, ["sur place", "sur site", "on site"]),
                    .init("languages", .codes, ["langues"]),
                    .init("territories", .list, ["territoires", "territoires d'intérêt"]),
                    .init("sectors", .list, ["secteurs"]),
                    .init("contact_consent", .boolean, ["accepte d'être contacté", "contact", "consentement contact"])]
        case .needs:
            return [ref,
                    .init("project", .reference("project"), ["projet", "réf projet", "code projet"], createOnly: true),
                    .init("kind", .code(aliases: ["competence": "skill", "financement": "finance", "reseau": "network", "materiel": "material"]),
                          ["type", "nature"]),
                    .init("description", .text, ["intitulé", "libellé", "besoin"]),
                    .init("skills", .list, ["compétences"]),
                    .init("quantity.unit", .code(aliases: ["jourspersonne": "person_days", "jours": "person_days", "argent": "money", "unites": "units"]),
                          ["unité", "unit"]),
                    .init("quantity.amount", .integer, ["quantité", "montant", "amount"]),
                    .init("quantity.currency", .code(aliases: [:], upper: true), ["devise", "monnaie"]),
                    .init("from", .date, ["du", "début", "à partir du"]),
                    .init("until", .date, ["au", "fin", "jusqu'au"]),
                    .init("mode", .code(aliases: ["distance": "remote", "surplace": "on_site"]), ["modalité"]),
                    .init("languages", .codes, ["langues"]),
                    .init("critical", .boolean, ["critique", "essentiel"])]
        case .projects:
            return [ref,
                    .init("code", .text, ["code projet"]),
                    .init("title.fr", .text, ["titre", "titre fr", "intitulé", "title"]),
                    .init("title.ar", .text, ["titre ar", "العنوان"]),
                    .init("title.en", .text, ["titre en", "title en"]),
                    .init("summary.fr", .text, ["résumé", "résumé fr", "description", "summary"]),
                    .init("summary.ar", .text, ["résumé ar", "الملخص"]),
                    .init("summary.en", .text, ["résumé en", "summary en"]),
                    .init("communes", .list, ["commune", "communes", "code commune"]),
                    .init("sector", .code(aliases: [:], upper: true), ["secteur", "secteur pac"]),
                    .init("dac_code", .text, ["code cad", "code dac", "dac"]),
                    .init("pac_reference", .text, ["référence pac", "pac", "pcd"]),
                    .init("lead_organization", .reference("organization"), ["porteur", "chef de file", "organisation porteuse"]),
                    .init("beneficiaries.total", .integer, ["bénéficiaires", "beneficiaires total", "beneficiaries"]),
                    .init("beneficiaries.women", .integer, ["dont femmes", "femmes", "women"]),
                    .init("beneficiaries.youth", .integer, ["dont jeunes", "jeunes", "youth"]),
                    .init("start_on", .date, ["début", "date de début", "start"]),
                    .init("end_on", .date, ["fin", "date de fin", "end"])]
        }
    }

    /// The column of each header cell (nil: not imported), from the caller's `mapping`
    /// (header → params path) first, then the usual names; a header named twice, or a
    /// mapping to no column of the entity, is a problem of row 1.
    public static func resolve(header: [String], entity: ImportEntity, mapping: [String: String]) -> (columns: [ImportColumn?], problems: [ImportProblem]) {
        let cols = columns(entity)
        var byPath: [String: ImportColumn] = [:]
        var byName: [String: ImportColumn] = [:]
        for c in cols { byPath[c.path] = c; for n in c.names where byName[n] == nil { byName[n] = c } }
        var folded: [String: String] = [:]
        for (k, v) in mapping { folded[fold(k)] = v }
        var out: [ImportColumn?] = []
        var problems: [ImportProblem] = []
        var taken: [String: String] = [:]
        for h in header {
            let key = fold(h)
            var col: ImportColumn?
            if let path = folded[key] {
                if path.isEmpty { out.append(nil); continue }   // mapped to "": ignored on purpose
                guard let c = byPath[path] else {
                    problems.append(ImportProblem(row: 1, column: h, value: path, reason: "the mapping names no column of \(entity.rawValue): use one of \(cols.map(\.path).joined(separator: ", "))"))
                    out.append(nil)
                    continue
                }
                col = c
            } else {
                col = byName[key]
            }
            guard let c = col else {
                problems.append(ImportProblem(row: 1, column: h, value: nil, reason: "unknown column: map it in mapping (to a field, or to \"\" to ignore it)"))
                out.append(nil)
                continue
            }
            if let other = taken[c.path] {
                problems.append(ImportProblem(row: 1, column: h, value: nil, reason: "\(c.path) is already read from the column \"\(other)\""))
                out.append(nil)
                continue
            }
            taken[c.path] = h
            out.append(c)
        }
        return (out, problems)
    }

    /// A cell read as a date: `YYYY-MM-DD`, and with `.fr` also `DD/MM/YYYY`, `DD-MM-YYYY`, `DD.MM.YYYY` (one-digit day or month too).
    public static func date(_ s: String, style: DateStyle) -> LocalDate? {
        if let d = LocalDate(s) { return d }
        guard style == .fr else { return nil }
        let parts = s.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "-" || $0 == "." }
        guard parts.count == 3, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count), parts[2].count == 4,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2]) else { return nil }
        return LocalDate(year: year, month: month, day: day)
    }

    /// A cell read as a boolean, nil when it is none of the usual words.
    public static func boolean(_ s: String) -> Bool? {
        switch fold(s) {
        case "oui", "yes", "true", "vrai", "1", "x", "o", "y": true
        case "non", "no", "false", "faux", "0", "n": false
        default: nil
        }
    }

    /// A cell read as a whole number: digits, an optional sign, spaces (also the no-break
    /// spaces of French spreadsheets) between thousands; nil otherwise or beyond 64 bits.
    public static func integer(_ s: String) -> Int64? {
        let digits = String(s.unicodeScalars.filter { $0 != " " && $0 != "\u{A0}" && $0 != "\u{202F}" })
        return Int64(digits)
    }

    /// A cell without the `'` that `CSVWriter` puts before what a spreadsheet would take for a formula.
    static func unprotected(_ s: String) -> String {
        guard s.hasPrefix("'"), let second = s.unicodeScalars.dropFirst().first, "=+-@".unicodeScalars.contains(second) else { return s }
        return String(s.dropFirst())
    }

    /// The params one record makes, with its `ref`, or the problems of its cells (every one,
    /// not only the first). `resolve` answers the id a reference cell names, or nil.
    public static func params(_ fields: [String], entity: ImportEntity, header: [String], columns: [ImportColumn?], row: Int, dates: DateStyle,
                              defaults: [String: String], update: Bool, resolve: (String, String) throws(CDSError) -> String?)
        throws(CDSError) -> (params: JSONObject, ref: String?, problems: [ImportProblem]) {
        var params = JSONObject()
        var ref: String?
        var problems: [ImportProblem] = []
        var consents: [JSON] = []
        var present = Set<String>()
        func put(_ path: String, _ v: JSON) {
            let parts = path.split(separator: ".").map(String.init)
            guard let head = parts.first else { return }
            if parts.count == 1 { params[head] = v; return }
            // `windows.from`: one window; `capacity.amount`: one object.
            let inner = parts[1]
            if head == "windows" {
                var w = params[head]?.arrayValue?.first?.objectValue ?? JSONObject()
                w[inner] = v
                params[head] = .array([.object(w)])
            } else {
                var o = params[head]?.objectValue ?? JSONObject()
                o[inner] = v
                params[head] = .object(o)
            }
        }
        var cells: [(ImportColumn, String, String)] = []
        for (n, c) in columns.enumerated() {
            guard let c, n < fields.count else { continue }
            cells.append((c, header.indices.contains(n) ? header[n] : c.path, unprotected(Validate.trimmed(fields[n]))))
            present.insert(c.path)
        }
        for c in ImportSpec.columns(entity) where !present.contains(c.path) {
            if let d = defaults[c.path] { cells.append((c, c.path, d)) }
        }
        for (c, column, text) in cells {
            if update && c.createOnly { continue }
            func bad(_ reason: String) { problems.append(ImportProblem(row: row, column: column, value: text, reason: reason)) }
            if text.isEmpty {
                // An empty cell gives nothing on creation and leaves the field as it is on update.
                continue
            }
            switch c.kind {
            case .text:
                if c.path == "ref" { ref = text } else { put(c.path, .string(text)) }
            case .code(let aliases, let upper):
                put(c.path, .string(aliases[fold(text)] ?? (upper ? text.uppercased() : text.lowercased())))
            case .list, .codes:
                let items = text.split { $0 == "|" || $0 == "," || $0 == ";" }.map { Validate.trimmed(String($0)) }.filter { !$0.isEmpty }
                put(c.path, .array(items.map { .string(c.kind == .codes ? $0.lowercased() : $0) }))
            case .boolean:
                guard let b = boolean(text) else { bad("must be oui/non, yes/no, true/false or 1/0"); continue }
                put(c.path, .bool(b))
            case .date, .dateInstant:
                guard let d = date(text, style: dates) else {
                    bad(dates == .fr ? "is not a date (JJ/MM/AAAA or AAAA-MM-JJ)" : "is not a date YYYY-MM-DD (dates: \"fr\" reads DD/MM/YYYY)")
                    continue
                }
                put(c.path, .string(c.kind == .dateInstant ? d.description + "T00:00:00Z" : d.description))
            case .integer:
                guard let i = integer(text) else { bad("is not a whole number"); continue }
                put(c.path, .int(i))
            case .reference(let entity):
                guard let id = try resolve(entity, text) else { bad("no \(entity) has this ref or id"); continue }
                put(c.path, .string(id))
            case .consent(let purpose):
                consents.append(["purpose": .string(purpose), "version": .string(text)])
            }
        }
        if !consents.isEmpty { params["consents"] = .array(consents) }
        return (params, ref, problems)
    }

    /// The column that holds a params path an error names (`capacity.amount`, `windows[0].until`,
    /// `title.fr`), for the problem's `column`.
    public static func column(for field: String, header: [String], columns: [ImportColumn?]) -> String? {
        let clean = field.replacingBrackets()
        for (n, c) in columns.enumerated() {
            guard let c, header.indices.contains(n) else { continue }
            if c.path == clean || clean.hasPrefix(c.path + ".") { return header[n] }
        }
        for (n, c) in columns.enumerated() {
            guard let c, header.indices.contains(n) else { continue }
            if c.path.hasPrefix(clean + ".") || (c.kind == .consent("processing") || c.kind == .consent("contact") || c.kind == .consent("publication")) && clean == "consents" {
                return header[n]
            }
        }
        return nil
    }
}

extension String {
    /// `windows[0].until` → `windows.until`.
    func replacingBrackets() -> String {
        var out = ""
        var skipping = false
        for ch in self {
            if ch == "[" { skipping = true; continue }
            if ch == "]" { skipping = false; continue }
            if !skipping { out.append(ch) }
        }
        return out
    }
}
