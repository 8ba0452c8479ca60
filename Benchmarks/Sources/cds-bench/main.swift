// The side-by-side comparison of the indicator engine with the same figures computed by
// SQL in SQLite on the same file. Run: swift run -c release cds-bench --events 1000000
@_spi(Tooling) import CDS
import CDSCore
import CDSDataGen
import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#endif


runTool {
    let args = try ToolArguments(options: ["--events", "--db"], flags: ["--generate-only"])
    let events = try args.int("--events", 1_000_000)
    let path = args.string("--db", ".data/indicators-\(events).sqlite")
    let clock = ContinuousClock()

    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty { try makeDirectory(folder) }
    if access(path, F_OK) != 0 {
        say("generating \(path) (about \(events) events, seed 20260301)…")
        let t = clock.now
        let db = try CDSDatabase(path: path, options: .trusted)
        let n = try DataGenerator.generate(into: db, events: events) { done, total in
            if done % 200_000 < 20_000 { say("  \(done)/\(total) operations") }
        }
        say("generated \(n) events in \(String(format: "%.1f", seconds(clock.now - t))) s")
    }

    if args.flag("--generate-only") { return }

    let db = try CDSDatabase(path: path, options: .trusted)
    let eventCount = try db.store.verifyAuditChain().events
    let communes = try db.store.territories(level: .commune, limit: 1000).items.map(\.code)
    let months = Period.month.periods(from: DataGenerator.start, until: LocalDate(year: 2026, month: 12, day: 31) ?? DataGenerator.start).map { $0.end.daysSinceEpoch }
    say("database: \(path), \(eventCount) events, \(communes.count) communes, \(months.count) months")

    // The engine: read and parse the log, build, then every indicator for every commune and month.
    var t = clock.now
    let loaded = try db.store.indicatorEvents()
    let loadTime = seconds(clock.now - t)
    t = clock.now
    let engine = IndicatorEngine(events: loaded)
    let buildTime = seconds(clock.now - t)
    let compared: [IndicatorID] = [.migrantsMobilized, .collectivitiesEngaged, .territoriesConnected]
    var engineValues: [IndicatorID: [Int: [String: Int]]] = [:]
    t = clock.now
    for d in months {
        for id in [IndicatorID.migrantsMobilized, .collectivitiesEngaged, .collectivitiesWithCompetentADC, .actorsLinked, .territoriesConnected, .activeMembers] {
            for c in communes {
                let v = engine.count(id, day: d, territory: c)
                if compared.contains(id), v > 0 { engineValues[id, default: [:]][d, default: [:]][c] = v }
            }
        }
        // The steering indicators, for every territory at once.
        _ = engine.projectsByStage(day: d)
        _ = engine.daysToReady(day: d)
        _ = engine.finance(day: d)
        _ = engine.needsCovered(day: d)
    }
    let queryTime = seconds(clock.now - t)
    say(String(format: "engine: load %.2f s + build %.2f s + every indicator × commune × month %.3f s = %.2f s", loadTime, buildTime, queryTime, loadTime + buildTime + queryTime))

    // SQL: the same figures, one grouped query per month and indicator, on the same file.
    func d(_ x: String) -> String { "CAST(julianday(\(x)) - 2440587.5 AS INTEGER)" }
    let counting = """
        WITH conf AS (
          SELECT c.id, c.project, c.member, c.organization,
            MAX(\(d("json_extract(c.doc, '$.confirmed_on')")), (SELECT e.occurred_at / 86400000 FROM event e WHERE e.subject = c.id AND e.type = 'contribution.confirmed')) AS from_day,
            (SELECT MAX(\(d("json_extract(c.doc, '$.cancelled_on')")), e.occurred_at / 86400000) FROM event e WHERE e.subject = c.id AND e.type = 'contribution.cancelled') AS until_day
          FROM contribution c WHERE c.status IN ('confirmed', 'delivered', 'cancelled'))
        """
    let diasporaMember = "(m.heart_diaspora = 1 OR EXISTS (SELECT 1 FROM member_role r WHERE r.member = m.id AND r.role = 'diaspora'))"
    let sql: [IndicatorID: String] = [
        .migrantsMobilized: """
            \(counting)
            SELECT pc.commune, COUNT(DISTINCT conf.member) FROM conf
            JOIN project_commune pc ON pc.project = conf.project JOIN member m ON m.id = conf.member
            WHERE conf.from_day <= :d AND (conf.until_day IS NULL OR conf.until_day > :d) AND \(diasporaMember)
            GROUP BY pc.commune
            """,
        .collectivitiesEngaged: """
            SELECT o.territory, COUNT(DISTINCT o.id) FROM agreement a JOIN organization o ON o.id = a.organization
            WHERE o.kind IN ('commune', 'provincial_council', 'regional_council')
              AND MAX(\(d("a.signed_on")), (SELECT e.occurred_at / 86400000 FROM event e WHERE e.subject = a.id AND e.type = 'agreement.signed')) <= :d
              AND (a.ends_on IS NULL OR :d <= \(d("a.ends_on")))
              AND NOT (a.ended_on IS NOT NULL AND MAX(\(d("a.ended_on")), (SELECT e.occurred_at / 86400000 FROM event e WHERE e.subject = a.id AND e.type = 'agreement.ended')) <= :d)
            GROUP BY o.territory
            """,
        .territoriesConnected: """
            \(counting)
            SELECT k, 1 FROM (
              SELECT m.origin AS k FROM member m WHERE m.origin LIKE '__.___.__.__' AND \(diasporaMember)
                AND (SELECT MIN(e.occurred_at / 86400000) FROM event e WHERE e.subject = m.id AND e.type = 'member.created') <= :d
              UNION
              SELECT pc.commune FROM conf JOIN project_commune pc ON pc.project = conf.project
              LEFT JOIN member m ON m.id = conf.member LEFT JOIN organization o ON o.id = conf.organization
              WHERE conf.from_day <= :d AND (conf.until_day IS NULL OR conf.until_day > :d)
                AND ((conf.member IS NOT NULL AND \(diasporaMember)) OR o.kind = 'diaspora_association')
            ) GROUP BY k
            """,
    ]
    let queue = try DatabaseQueue(path: path, configuration: { var c = Configuration(); c.readonly = true; return c }())
    var mismatches = 0
    var sqlTime = 0.0
    for id in compared {
        t = clock.now
        var values: [Int: [String: Int]] = [:]
        try queue.read { dbc in
            let stmt = try dbc.makeStatement(sql: sql[id] ?? "")
            for dd in months {
                for row in try Row.fetchAll(stmt, arguments: ["d": dd]) {
                    let k: String = row[0] ?? ""
                    let v: Int = row[1] ?? 0
                    if v > 0 { values[dd, default: [:]][k] = v }
                }
            }
        }
        let took = seconds(clock.now - t)
        sqlTime += took
        let same = values == (engineValues[id] ?? [:])
        if !same {
            for dd in months {
                for c in Set((values[dd] ?? [:]).keys).union((engineValues[id]?[dd] ?? [:]).keys) where values[dd]?[c] != engineValues[id]?[dd]?[c] {
                    mismatches += 1
                    if mismatches <= 5 { say("  mismatch \(id.rawValue) \(LocalDate(daysSinceEpoch: dd)) \(c): sql \(values[dd]?[c] ?? 0) engine \(engineValues[id]?[dd]?[c] ?? 0)") }
                }
            }
        }
        say(String(format: "sql %@: %.2f s for %d months × every commune%@", id.rawValue, took, months.count, same ? ", same figures as the engine" : ", DIFFERENT figures"))
    }
    let engineTotal = loadTime + buildTime + queryTime
    say(String(format: "side by side: SQL %.2f s for 3 indicators; the engine %.2f s for all 10 (load and build included): %.1f× faster; queries alone %.0f× faster",
               sqlTime, engineTotal, sqlTime / engineTotal, sqlTime / max(queryTime, 1e-9)))
    say("mismatches: \(mismatches)")
    if mismatches > 0 { throw ToolError("\(mismatches) figures differ between the engine and SQL") }
}
