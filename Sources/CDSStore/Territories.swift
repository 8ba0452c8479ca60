import CDSCore
import GRDB

/// An entry of a reference dataset (sector, skill, country, currency, language…).
public struct ReferenceItem: Sendable, Equatable {
    /// The dataset it belongs to.
    public var dataset: String
    /// Its code.
    public var code: String
    /// The parent code in its hierarchy (skills, DAC sectors).
    public var parent: String?
    /// Its level in the hierarchy.
    public var level: String?
    /// Labels by language (only those the source has).
    public var labels: JSONObject
    /// Dataset-specific facts (DAC codes of a PAC sector, ISO alpha-3 of a country…).
    public var extra: JSONObject

    /// `{"code", "parent", "level", "label": "…in locale", "labels": {…}, …extra}`; the label
    /// falls back to French, then English, when the source has none in `locale`.
    public func json(_ locale: Locale) -> JSON {
        var o = JSONObject([("code", .string(code))])
        if let parent { o["parent"] = .string(parent) }
        if let level { o["level"] = .string(level) }
        o["label"] = labels[locale.rawValue] ?? labels["fr"] ?? labels["en"] ?? .null
        o["labels"] = .object(labels)
        for (k, v) in extra { o[k] = v }
        return .object(o)
    }
}

extension Store {
    /// A territory as stored, or the `storage` error of its damaged column.
    static func territory(_ r: StoredRow) throws(CDSError) -> Territory {
        Territory(code: try r.text("code"), level: try r.code("level", TerritoryLevel.self), parent: try r.optionalText("parent"),
                  nameFr: try r.text("name_fr"), nameAr: try r.text("name_ar"), kind: try r.text("kind"), population: try r.optional("population"),
                  formerRegionSMD: try r.flag("former_region_smd"))
    }

    /// The territories a query of the territory table answers.
    static func territories(_ db: Database, sql: String, arguments: StatementArguments) throws -> [Territory] {
        try storedRows(db, "territory", sql: sql, arguments: arguments).map { r throws(CDSError) in try Store.territory(r) }
    }

    /// The territory of `code`, or `not_found`.
    public func territory(_ code: String) throws(CDSError) -> Territory {
        let t = try read { db in try Store.territories(db, sql: "SELECT * FROM territory WHERE code = ?", arguments: [code]).first }
        guard let t else { throw CDSError.notFound("territory", code) }
        return t
    }

    /// The territory of a code given as a field, or `invalid_params` naming the field.
    public func territoryForField(_ code: String, field: String) throws(CDSError) -> TerritoryLevel {
        try read { db in try Store.territoryLevel(db, code, field: field) }
    }

    /// The level of a territory code used as a field, or `invalid_params` naming the field.
    static func territoryLevel(_ db: Database, _ code: String, field: String) throws -> TerritoryLevel {
        guard let r = try storedRow(db, "territory", sql: "SELECT level FROM territory WHERE code = ?", arguments: [code]) else {
            throw CDSError.invalid(field, "unknown territory code \"\(code)\"")
        }
        return try r.code("level", TerritoryLevel.self)
    }

    /// Territories by level, parent and a name search (accents ignored), ordered by code.
    public func territories(level: TerritoryLevel? = nil, parent: String? = nil, query: String? = nil, limit: Int = 100,
                            cursor: String? = nil) throws(CDSError) -> Page<Territory> {
        try read { db in
            if let parent, try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM territory WHERE code = ?)", arguments: [parent]) != true {
                throw CDSError.invalid("parent", "unknown territory code \"\(parent)\"")
            }
            var sql = "SELECT * FROM territory WHERE code > ?"
            var args: [any DatabaseValueConvertible] = [cursor ?? ""]
            if let level { sql += " AND level = ?"; args.append(level.rawValue) }
            if let parent { sql += " AND parent = ?"; args.append(parent) }
            if let query { sql += " AND search LIKE ? ESCAPE '\\'"; args.append(Store.likePattern(query)) }
            sql += " ORDER BY code LIMIT ?"
            args.append(limit + 1)
            let rows = try Store.territories(db, sql: sql, arguments: StatementArguments(args))
            return Store.page(rows, limit: limit) { $0.code }
        }
    }

    /// Entries of a reference dataset, by code, with a search.
    public func referenceItems(dataset: String, query: String? = nil, parent: String? = nil, limit: Int = 100,
                               cursor: String? = nil) throws(CDSError) -> Page<ReferenceItem> {
        guard ReferenceData.itemDatasets.contains(dataset) else {
            throw CDSError.invalid("dataset", "must be one of " + ReferenceData.itemDatasets.joined(separator: ", "))
        }
        return try read { db in
            var sql = "SELECT * FROM reference_item WHERE dataset = ? AND code > ?"
            var args: [any DatabaseValueConvertible] = [dataset, cursor ?? ""]
            if let parent { sql += " AND parent = ?"; args.append(parent) }
            if let query { sql += " AND search LIKE ? ESCAPE '\\'"; args.append(Store.likePattern(query)) }
            sql += " ORDER BY code LIMIT ?"
            args.append(limit + 1)
            let rows = try Store.storedRows(db, "reference_item", sql: sql, arguments: StatementArguments(args)).map { r throws(CDSError) -> ReferenceItem in
                var labels = JSONObject()
                for l in ["fr", "ar", "en"] { if let s = try r.optionalText("label_\(l)") { labels[l] = .string(s) } }
                guard let extra = try r.json("extra").objectValue else { throw r.damage("extra", "not a JSON object") }
                return ReferenceItem(dataset: dataset, code: try r.text("code"), parent: try r.optionalText("parent"), level: try r.optionalText("level"),
                                     labels: labels, extra: extra)
            }
            return Store.page(rows, limit: limit) { $0.code }
        }
    }
}
