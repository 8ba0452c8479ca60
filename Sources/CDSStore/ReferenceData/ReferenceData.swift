import CDSCore
import GRDB

/// The reference datasets shipped inside the library and loaded into every database on
/// open. Each has a version: a release that changes a dataset raises its version, and the
/// next open upserts its rows (adding communes, renaming) without touching members' data
/// or removing a code that data may point to.
public enum ReferenceData {
    /// The datasets and their shipped versions.
    public static let versions: [String: Int] = [
        "territories": 1, "pac_sectors": 1, "dac_sectors": 1, "skills": 1, "countries": 1, "currencies": 1,
        "languages": 1, "iati_organisation_roles": 1, "iati_activity_statuses": 1, "iati_transaction_types": 1,
        "iati_currencies": 1, "iati_sector_vocabularies": 1,
    ]

    /// The names of the datasets `reference.list` serves from the `reference_item` table.
    public static let itemDatasets: [String] = [
        "pac_sectors", "dac_sectors", "skills", "countries", "currencies", "languages",
        "iati_organisation_roles", "iati_activity_statuses", "iati_transaction_types", "iati_currencies", "iati_sector_vocabularies",
    ]

    /// The text of a shipped file (empty if missing, which a test rules out).
    static func file(_ name: String) -> [[String: String]] {
        CSV.records(EmbeddedReferenceData.files[name] ?? "")
    }

    /// Upserts every dataset whose stored version is older than the shipped one.
    static func load(_ db: Database) throws {
        for (dataset, version) in versions.sorted(by: { $0.key < $1.key }) {
            let stored = try Int.fetchOne(db, sql: "SELECT version FROM reference_version WHERE dataset = ?", arguments: [dataset]) ?? 0
            guard stored < version else { continue }
            if dataset == "territories" { try loadTerritories(db) } else { try loadItems(dataset, db) }
            try db.execute(
                sql: "INSERT INTO reference_version(dataset, version) VALUES (?, ?) ON CONFLICT(dataset) DO UPDATE SET version = excluded.version",
                arguments: [dataset, version])
        }
    }

    static func loadTerritories(_ db: Database) throws {
        var extra: [String: [String: String]] = [:]
        for r in file("ma_territories_extra.csv") { if let c = r["code"] { extra[c] = r } }
        let order = ["region": 0, "province": 1, "commune": 2]
        let rows = file("ma_territories.csv").sorted { (order[$0["level"] ?? ""] ?? 3, $0["code"] ?? "") < (order[$1["level"] ?? ""] ?? 3, $1["code"] ?? "") }
        let stmt = try db.makeStatement(sql: """
            INSERT INTO territory(code, level, parent, name_fr, name_ar, kind, population, former_region_smd, iso_3166_2, search)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(code) DO UPDATE SET level = excluded.level, parent = excluded.parent, name_fr = excluded.name_fr,
              name_ar = excluded.name_ar, kind = excluded.kind, population = excluded.population,
              former_region_smd = excluded.former_region_smd, iso_3166_2 = excluded.iso_3166_2, search = excluded.search
            """)
        for r in rows {
            let code = r["code"] ?? ""
            let x = extra[code] ?? [:]
            let parent = (r["parent_code"] ?? "").isEmpty ? nil : r["parent_code"]
            let nameFr = r["name_fr"] ?? "", nameAr = r["name_ar"] ?? ""
            try stmt.execute(arguments: [
                code, r["level"], parent, nameFr, nameAr, r["kind"], Int64(r["population"] ?? ""),
                x["former_region_smd"] == "1" ? 1 : 0, (x["iso_3166_2"] ?? "").isEmpty ? nil : x["iso_3166_2"],
                Text.fold(nameFr) + " " + Text.fold(nameAr),
            ])
        }
    }

    /// One row of `reference_item`.
    struct Item {
        var code: String
        var parent: String? = nil
        var level: String? = nil
        var en: String? = nil
        var fr: String? = nil
        var ar: String? = nil
        var extra: JSONObject = JSONObject()
    }

    static func items(_ dataset: String) -> [Item] {
        func blank(_ s: String?) -> String? { (s ?? "").isEmpty ? nil : s }
        switch dataset {
        case "pac_sectors":
            return file("pac_sector_taxonomy.csv").map { r in
                let dac = (r["dac5_codes"] ?? "").split(separator: ";").map { JSON.string(String($0)) }
                return Item(code: r["sector_code"] ?? "", en: r["name_en"], fr: r["name_fr"], ar: r["name_ar"],
                            extra: JSONObject([("dac5_codes", .array(dac)), ("legal_basis", .string(r["legal_basis"] ?? ""))]))
            }
        case "dac_sectors":
            return file("iati_sector_dac5.csv").map { r in
                Item(code: r["code"] ?? "", parent: r["category"], level: "dac5", en: r["name_en"], fr: blank(r["name_fr"]),
                     extra: JSONObject([("status", .string(r["status"] ?? ""))]))
            }
        case "skills":
            let isco = file("isco08_groups.csv").map { r in
                Item(code: r["code"] ?? "", parent: blank(r["parent_code"]), level: r["level"], en: r["label_en"], fr: blank(r["label_fr"]),
                     extra: JSONObject([("scheme", "isco08"), ("uri", .string(r["esco_uri"] ?? ""))]))
            }
            let esco = file("esco_skill_groups.csv").map { r in
                let code = r["code"] ?? ""
                return Item(code: code, parent: escoParent(code, level: r["level"] ?? ""), level: "esco\(r["level"] ?? "")", en: r["label_en"],
                            extra: JSONObject([("scheme", "esco"), ("uri", .string(r["esco_uri"] ?? ""))]))
            }
            return isco + esco
        case "countries":
            return file("countries_iso3166.csv").map { r in
                Item(code: r["alpha_2"] ?? "", en: r["name_en"], fr: r["name_fr"], ar: blank(r["name_ar"]),
                     extra: JSONObject([("alpha_3", .string(r["alpha_3"] ?? "")), ("numeric", .string(r["numeric"] ?? "")),
                                        ("diaspora_focus", .bool(r["diaspora_focus"] == "1"))]))
            }
        case "currencies":
            return file("currencies_iso4217.csv").map { r in
                Item(code: r["code"] ?? "", en: r["name_en"], fr: blank(r["name_fr"]), extra: JSONObject([("numeric", .string(r["numeric"] ?? ""))]))
            }
        case "languages":
            return file("languages.csv").map { r in Item(code: r["code"] ?? "", en: r["name_en"], fr: r["name_fr"], ar: r["name_ar"]) }
        case "iati_organisation_roles": return iati("iati_organisation_role.csv")
        case "iati_activity_statuses": return iati("iati_activity_status.csv")
        case "iati_transaction_types": return iati("iati_transaction_type.csv")
        case "iati_currencies": return iati("iati_currency.csv")
        case "iati_sector_vocabularies": return iati("iati_sector_vocabulary.csv")
        default: return []
        }
    }

    static func iati(_ name: String) -> [Item] {
        file(name).map { r in Item(code: r["code"] ?? "", en: r["name_en"], fr: (r["name_fr"] ?? "").isEmpty ? nil : r["name_fr"]) }
    }

    /// The parent of an ESCO skill-group code: `S1.11` → `S1`, `K000` → `K00`, `S1` → `S`.
    static func escoParent(_ code: String, level: String) -> String? {
        switch level {
        case "0": return nil
        case "1": return code.first.map(String.init)
        default:
            if let dot = code.firstIndex(of: ".") { return String(code[..<dot]) }
            return String(code.dropLast())
        }
    }

    static func loadItems(_ dataset: String, _ db: Database) throws {
        let stmt = try db.makeStatement(sql: """
            INSERT INTO reference_item(dataset, code, parent, level, label_en, label_fr, label_ar, extra, search)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(dataset, code) DO UPDATE SET parent = excluded.parent, level = excluded.level, label_en = excluded.label_en,
              label_fr = excluded.label_fr, label_ar = excluded.label_ar, extra = excluded.extra, search = excluded.search
            """)
        for i in items(dataset) where !i.code.isEmpty {
            let search = ([i.code, i.en, i.fr, i.ar].compactMap { $0 }.map(Text.fold)).joined(separator: " ")
            try stmt.execute(arguments: [dataset, i.code, i.parent, i.level, i.en, i.fr, i.ar, JSON.object(i.extra).text, search])
        }
    }
}
