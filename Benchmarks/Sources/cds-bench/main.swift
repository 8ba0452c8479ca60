// The side-by-side comparison of the indicator engine with the same figures computed by
// SQL in SQLite on the same file: the weak peer (one query per month, re-deriving each
// month from the log) and the set-based one (the facts' intervals materialized once, every
// month-end in one grouped query). With --export DIR it also writes the materialized tables
// and the engine's figures for the DuckDB peer (Benchmarks/peers/indicators_duckdb.py).
// Run: swift run -c release cds-bench --events 1000000 [--export .data/peers-1000000]
@_spi(Tooling) import CDS
import CDSCore
import CDSDataGen
import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#endif

/// The end of an interval that never ends, in days (larger than any day counted).
let forever = 2_147_483_647

/// A field of a CSV line, quoted when it holds a comma, a quote or a line break.
func csvField(_ s: String) -> String {
    s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
}

/// The median of some timings.
func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return 0 }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// The five seed indicators, compared with the set-based peers; the weak SQL computes three of them.
let compared: [IndicatorID] = [.migrantsMobilized, .collectivitiesEngaged, .collectivitiesWithCompetentADC, .actorsLinked, .territoriesConnected]

/// Every compared indicator × month-end × commune, answered by the engine, in that order.
func answerCells(_ e: IndicatorEngine, months: [Int], communes: [String]) -> [Int] {
    var cells = [Int](repeating: 0, count: compared.count * months.count * communes.count)
    var i = 0
    for id in compared {
        for d in months {
            for c in communes { cells[i] = e.count(id, day: d, territory: c); i += 1 }
        }
    }
    return cells
}

/// A digest of the cells (FNV-1a over their values), to compare another process's answers.
func digest(_ cells: [Int]) -> String {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for c in cells { h = (h ^ UInt64(bitPattern: Int64(c))) &* 0x100_0000_01b3 }
    return String(h, radix: 16)
}

/// The communes and the month-ends the cells are answered for.
func cellAxes(_ db: CDSDatabase) throws -> (communes: [String], months: [Int]) {
    let communes = try db.store.territories(level: .commune, limit: 1000).items.map(\.code)
    let months = Period.month.periods(from: DataGenerator.start, until: LocalDate(year: 2026, month: 12, day: 31) ?? DataGenerator.start).map { $0.end.daysSinceEpoch }
    return (communes, months)
}

runTool {
    let args = try ToolArguments(options: ["--events", "--db", "--export", "--warm-runs"], flags: ["--generate-only", "--no-weak-sql", "--from-snapshot"])
    let events = try args.int("--events", 1_000_000)
    let path = args.string("--db", ".data/indicators-\(events).sqlite")
    let exportFolder = args.values["--export"]
    let warmRuns = try args.int("--warm-runs", 7)
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

    // The engine, cold from its snapshot, as a portal's new process meets it: open the file and
    // answer every compared cell through the store, which reads the stored snapshot (or builds
    // from the log and stores one when none is usable). Prints one JSON line; the run below
    // starts this mode twice in fresh processes, the first to store the snapshot.
    if args.flag("--from-snapshot") {
        let (snapshotSeq, logSeq) = try DatabaseQueue(path: path).read { db in
            (try Int64.fetchOne(db, sql: "SELECT seq FROM engine_snapshot WHERE engine = 'indicators' AND layout = ?",
                                arguments: ["indicators \(IndicatorEngine.snapshotLayout)"]) ?? 0,
             try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM event") ?? 0)
        }
        var t = clock.now
        let db = try CDSDatabase(path: path, options: .trusted)
        let (communes, months) = try cellAxes(db)
        let openTime = seconds(clock.now - t)
        t = clock.now
        let cells = try db.store.withIndicatorEngine { e in answerCells(e, months: months, communes: communes) }
        let firstTime = seconds(clock.now - t)
        let line: [String: Any] = ["open_s": openTime, "first_answer_s": firstTime, "cold_s": openTime + firstTime, "snapshot_seq": snapshotSeq,
                                   "log_seq": logSeq, "cells": cells.count, "digest": digest(cells)]
        print(String(decoding: try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys]), as: UTF8.self))
        return
    }

    // The engine, cold: open the file, read and parse the log, build, answer every compared cell.
    var t = clock.now
    let db = try CDSDatabase(path: path, options: .trusted)
    let openTime = seconds(clock.now - t)
    t = clock.now
    let loaded = try db.store.indicatorEvents()
    let loadTime = seconds(clock.now - t)
    t = clock.now
    let engine = IndicatorEngine(events: loaded)
    let buildTime = seconds(clock.now - t)

    let (communes, months) = try cellAxes(db)
    let weakCompared: [IndicatorID] = [.migrantsMobilized, .collectivitiesEngaged, .territoriesConnected]
    let cellCount = compared.count * months.count * communes.count
    t = clock.now
    let firstCells = answerCells(engine, months: months, communes: communes)
    let firstAnswerTime = seconds(clock.now - t)
    let coldTime = openTime + loadTime + buildTime + firstAnswerTime

    // The engine, warm: the same cells again on the built engine (the best and the median of a few runs).
    var warmTimes: [Double] = []
    for _ in 0..<warmRuns {
        t = clock.now
        let again = answerCells(engine, months: months, communes: communes)
        warmTimes.append(seconds(clock.now - t))
        if again != firstCells { throw ToolError("the engine answered differently on a second pass") }
    }
    var engineValues: [IndicatorID: [Int: [String: Int]]] = [:]
    var i = 0
    for id in compared {
        for d in months {
            for c in communes {
                if firstCells[i] > 0 { engineValues[id, default: [:]][d, default: [:]][c] = firstCells[i] }
                i += 1
            }
        }
    }

    // Cold from the snapshot, in fresh processes: the first stores the snapshot if none is usable.
    func fromSnapshot() throws -> [String: Any] {
        let run = Process()
        run.executableURL = Bundle.main.executableURL
        run.arguments = ["--db", path, "--from-snapshot"]
        let out = Pipe()
        run.standardOutput = out
        try run.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        run.waitUntilExit()
        guard run.terminationStatus == 0, let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last,
              let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw ToolError("cds-bench --from-snapshot failed (status \(run.terminationStatus))")
        }
        guard json["digest"] as? String == digest(firstCells) else { throw ToolError("the engine read from its snapshot answered other figures") }
        return json
    }
    let storing = try fromSnapshot()
    let snapshot = try fromSnapshot()
    let snapshotCold = snapshot["cold_s"] as? Double ?? 0
    say(String(format: "engine cold from its snapshot (a fresh process): open %.3f s + read the snapshot, catch up and answer %d cells %.3f s = %.2f s "
               + "(the process before it: %.2f s, snapshot at event %@ of %@)", snapshot["open_s"] as? Double ?? 0, cellCount,
               snapshot["first_answer_s"] as? Double ?? 0, snapshotCold, storing["cold_s"] as? Double ?? 0,
               "\(snapshot["snapshot_seq"] ?? "?")", "\(snapshot["log_seq"] ?? "?")"))

    let eventCount = try db.store.verifyAuditChain().events
    say("database: \(path), \(eventCount) events, \(communes.count) communes, \(months.count) month-ends, \(compared.count) compared indicators: \(cellCount) cells")
    say(String(format: "engine cold: open %.3f s + read the log %.2f s + build %.2f s + answer %d cells %.4f s = %.2f s",
               openTime, loadTime, buildTime, cellCount, firstAnswerTime, coldTime))
    say(String(format: "engine warm: %d cells in %.4f s (best of %d; median %.4f s)", cellCount, warmTimes.min() ?? 0, warmRuns, median(warmTimes)))

    // The old figure: every indicator (the steering ones included) for every commune and month.
    t = clock.now
    for d in months {
        for id in [IndicatorID.migrantsMobilized, .collectivitiesEngaged, .collectivitiesWithCompetentADC, .actorsLinked, .territoriesConnected, .activeMembers] {
            for c in communes { _ = engine.count(id, day: d, territory: c) }
        }
        // The steering indicators, for every commune (each reads the projects in it).
        for c in communes {
            _ = engine.projectsByStage(day: d, key: c)
            _ = engine.daysToReady(day: d, key: c)
            _ = engine.finance(day: d, key: c)
            _ = engine.needsCovered(day: d, key: c)
        }
    }
    let queryTime = seconds(clock.now - t)
    say(String(format: "engine, all 10 indicators: load %.2f s + build %.2f s + every indicator × commune × month %.3f s = %.2f s", loadTime, buildTime, queryTime, loadTime + buildTime + queryTime))

    /// The cells (compared over every commune and month-end) where a peer's figures differ from the engine's.
    func mismatches(_ peer: String, _ id: IndicatorID, _ values: [Int: [String: Int]]) -> Int {
        var n = 0
        for dd in months {
            for c in communes where (values[dd]?[c] ?? 0) != (engineValues[id]?[dd]?[c] ?? 0) {
                n += 1
                if n <= 5 { say("  mismatch \(peer) \(id.rawValue) \(LocalDate(daysSinceEpoch: dd)) \(c): \(peer) \(values[dd]?[c] ?? 0), engine \(engineValues[id]?[dd]?[c] ?? 0)") }
            }
        }
        return n
    }

    func d(_ x: String) -> String { "CAST(julianday(\(x)) - 2440587.5 AS INTEGER)" }
    /// The contributions counted from their confirmation (`from_day`) until their cancellation
    /// (`until_day`, NULL when none), both as of the later of their date and the day recorded.
    let confirmedContributions = """
        SELECT c.id, c.project, c.member, c.organization,
          MAX(\(d("json_extract(c.doc, '$.confirmed_on')")), (SELECT e.occurred_at / 86400000 FROM event e WHERE e.subject = c.id AND e.type = 'contribution.confirmed')) AS from_day,
          (SELECT MAX(\(d("json_extract(c.doc, '$.cancelled_on')")), e.occurred_at / 86400000) FROM event e WHERE e.subject = c.id AND e.type = 'contribution.cancelled') AS until_day
        FROM contribution c WHERE c.status IN ('confirmed', 'delivered', 'cancelled')
        """
    let diasporaMember = "(m.heart_diaspora = 1 OR EXISTS (SELECT 1 FROM member_role r WHERE r.member = m.id AND r.role = 'diaspora'))"
    let queue = try DatabaseQueue(path: path, configuration: { var c = Configuration(); c.readonly = true; return c }())
    var totalMismatches = 0

    // The weak SQL: the same figures, one grouped query per month and indicator, on the same file.
    var weakTime = 0.0
    var weakTimes: [String: Double] = [:]
    var weakMismatches = 0
    if !args.flag("--no-weak-sql") {
        let counting = "WITH conf AS (\(confirmedContributions))"
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
        for id in weakCompared {
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
            weakTime += took
            weakTimes[id.rawValue] = took
            let n = mismatches("weak-sql", id, values)
            weakMismatches += n
            say(String(format: "weak sql %@: %.2f s for %d months × every commune (one query per month), %@", id.rawValue, took, months.count,
                       n == 0 ? "same figures as the engine" : "\(n) cells DIFFERENT"))
        }
        totalMismatches += weakMismatches
        say(String(format: "side by side: weak SQL %.2f s for 3 seed indicators; the engine %.2f s for all 10 (load and build included): %.1f× faster; queries alone %.0f× faster",
                   weakTime, loadTime + buildTime + queryTime, weakTime / (loadTime + buildTime + queryTime), weakTime / max(queryTime, 1e-9)))
    }

    // The set-based SQL: the facts' intervals materialized once as temporary tables (the same
    // derivations from the log as the weak SQL's), then every month-end in one grouped query
    // per indicator, joined with a table of the month-ends. An interval is [from_day, to_day).
    let materialize = [
        "CREATE TEMP TABLE months (d INTEGER PRIMARY KEY)",
        "INSERT INTO temp.months (d) VALUES " + months.map { "(\($0))" }.joined(separator: ", "),
        // Contributions counted from their confirmation until their cancellation (if any).
        """
        CREATE TEMP TABLE conf_iv AS
        SELECT id, project, member, organization, from_day, COALESCE(until_day, \(forever)) AS to_day FROM (\(confirmedContributions))
        WHERE from_day IS NOT NULL AND from_day < COALESCE(until_day, \(forever))
        """,
        // Diaspora members (heart diaspora included), with their origin and the day they were created.
        """
        CREATE TEMP TABLE diaspora AS
        SELECT m.id, m.origin, (SELECT MIN(e.occurred_at / 86400000) FROM event e WHERE e.subject = m.id AND e.type = 'member.created') AS created_day
        FROM member m WHERE \(diasporaMember)
        """,
        "CREATE INDEX temp.diaspora_by_id ON diaspora(id)",
        // migrants_mobilized: member × commune of the project × [confirmed, cancelled).
        """
        CREATE TEMP TABLE mm_iv AS
        SELECT pc.commune, c.member, c.from_day, c.to_day
        FROM conf_iv c JOIN project_commune pc ON pc.project = c.project JOIN diaspora m ON m.id = c.member
        """,
        // collectivities_engaged: collectivity × its territory × [signed, min(ends + 1 day, ended)).
        """
        CREATE TEMP TABLE ce_iv AS
        SELECT territory, org, from_day, to_day FROM (
          SELECT o.territory, o.id AS org,
            MAX(\(d("a.signed_on")), (SELECT e.occurred_at / 86400000 FROM event e WHERE e.subject = a.id AND e.type = 'agreement.signed')) AS from_day,
            MIN(COALESCE(\(d("a.ends_on")) + 1, \(forever)),
                CASE WHEN a.ended_on IS NULL THEN \(forever)
                     ELSE COALESCE(MAX(\(d("a.ended_on")), (SELECT e.occurred_at / 86400000 FROM event e WHERE e.subject = a.id AND e.type = 'agreement.ended')), -1) END) AS to_day
          FROM agreement a JOIN organization o ON o.id = a.organization
          WHERE o.kind IN ('commune', 'provincial_council', 'regional_council'))
        WHERE from_day IS NOT NULL AND from_day < to_day
        """,
        // territories_connected: a diaspora member's commune of origin from her creation, and
        // the communes of projects with a diaspora member's or association's counted contribution.
        // A commune of origin counts from its first diaspora member's creation, once; the same
        // interval of a commune is kept once.
        """
        CREATE TEMP TABLE tc_iv AS
        SELECT origin AS commune, MIN(created_day) AS from_day, \(forever) AS to_day FROM diaspora
        WHERE origin LIKE '__.___.__.__' AND created_day IS NOT NULL GROUP BY origin
        UNION
        SELECT pc.commune, c.from_day, c.to_day FROM conf_iv c JOIN project_commune pc ON pc.project = c.project
        LEFT JOIN diaspora m ON m.id = c.member LEFT JOIN organization o ON o.id = c.organization
        WHERE (c.member IS NOT NULL AND m.id IS NOT NULL) OR o.kind = 'diaspora_association'
        """,
        // Organizations with the day they were created; the organizations of each project (lead and partners).
        """
        CREATE TEMP TABLE org AS
        SELECT o.id, o.kind, o.country, o.territory,
          (SELECT MIN(e.occurred_at / 86400000) FROM event e WHERE e.subject = o.id AND e.type = 'organization.created') AS created_day
        FROM organization o
        """,
        "CREATE INDEX temp.org_by_id ON org(id)",
        """
        CREATE TEMP TABLE project_org AS
        SELECT id AS project, lead_organization AS org FROM project WHERE lead_organization IS NOT NULL
        UNION SELECT p.id, j.value FROM project p, json_each(p.doc, '$.partners') j
        """,
        // actors_linked: a Moroccan actor × its territory × from a diaspora member's counted
        // contribution to a project it leads or partners (while it counts), or from an
        // interaction with a diaspora member or association (for good).
        """
        CREATE TEMP TABLE al_iv AS
        SELECT territory, org, from_day, to_day FROM (
          SELECT o.territory, o.id AS org, MAX(c.from_day, m.created_day, o.created_day) AS from_day, c.to_day
          FROM conf_iv c JOIN diaspora m ON m.id = c.member JOIN project_org po ON po.project = c.project JOIN org o ON o.id = po.org
          WHERE o.country = 'MA' AND o.kind NOT IN ('facilitator', 'diaspora_association')
          UNION
          SELECT o.territory, o.id,
            MAX(\(d("i.on_day")), (SELECT e.occurred_at / 86400000 FROM event e WHERE e.subject = i.id AND e.type = 'interaction.recorded'),
                COALESCE(m.created_day, dorg.created_day), o.created_day),
            \(forever)
          FROM interaction i JOIN org o ON o.id = i.organization
          LEFT JOIN diaspora m ON m.id = i.member LEFT JOIN org dorg ON dorg.id = i.diaspora_organization
          WHERE o.country = 'MA' AND o.kind NOT IN ('facilitator', 'diaspora_association')
            AND (m.id IS NOT NULL OR dorg.kind = 'diaspora_association'))
        WHERE from_day IS NOT NULL AND from_day < to_day
        """,
        // An ADC's commune over time, from her member events that set it (the next one ends it).
        """
        CREATE TEMP TABLE adc_commune_iv AS
        SELECT member, commune, from_day, to_day FROM (
          SELECT e.subject AS member, json_extract(e.payload, '$.after.adc_commune') AS commune, e.occurred_at / 86400000 AS from_day,
            COALESCE(LEAD(e.occurred_at / 86400000) OVER (PARTITION BY e.subject ORDER BY e.seq), \(forever)) AS to_day
          FROM event e
          WHERE e.subject IN (SELECT member FROM member_role WHERE role = 'adc') AND e.type IN ('member.created', 'member.updated')
            AND json_type(e.payload, '$.after.adc_commune') IS NOT NULL)
        WHERE commune IS NOT NULL AND from_day < to_day
        """,
        // The two competences, each attestation from its day (and the day it was recorded)
        // until its revocation; there is no revocation in the generated data.
        """
        CREATE TEMP TABLE comp_iv AS
        SELECT member, competence, from_day, to_day FROM (
          SELECT c.member, c.competence,
            MAX(\(d("c.attested_on")), (SELECT e.occurred_at / 86400000 FROM event e WHERE e.subject = c.member AND e.type = 'competence.attested'
                                        AND json_extract(e.payload, '$.after.id') = c.id)) AS from_day,
            COALESCE(\(d("c.revoked_on")), \(forever)) AS to_day
          FROM competence c WHERE c.competence IN ('project_engineering', 'communication'))
        WHERE from_day IS NOT NULL AND from_day < to_day
        """,
        // collectivities_with_competent_adc: a commune × while one of its ADCs holds both.
        """
        CREATE TEMP TABLE cadc_iv AS
        SELECT DISTINCT a.commune, MAX(a.from_day, pe.from_day, co.from_day) AS from_day, MIN(a.to_day, pe.to_day, co.to_day) AS to_day
        FROM adc_commune_iv a
        JOIN comp_iv pe ON pe.member = a.member AND pe.competence = 'project_engineering'
        JOIN comp_iv co ON co.member = a.member AND co.competence = 'communication'
        WHERE MAX(a.from_day, pe.from_day, co.from_day) < MIN(a.to_day, pe.to_day, co.to_day)
        """,
    ]
    /// The grouped queries, one per indicator: (month-end, territory, value); the same text runs in DuckDB.
    let setQueries: [IndicatorID: String] = [
        .migrantsMobilized: "SELECT m.d, i.commune, COUNT(DISTINCT i.member) FROM months m JOIN mm_iv i ON i.from_day <= m.d AND m.d < i.to_day GROUP BY m.d, i.commune",
        .collectivitiesEngaged: "SELECT m.d, i.territory, COUNT(DISTINCT i.org) FROM months m JOIN ce_iv i ON i.from_day <= m.d AND m.d < i.to_day GROUP BY m.d, i.territory",
        .territoriesConnected: "SELECT m.d, i.commune, 1 FROM months m JOIN tc_iv i ON i.from_day <= m.d AND m.d < i.to_day GROUP BY m.d, i.commune",
        .actorsLinked: "SELECT m.d, i.territory, COUNT(DISTINCT i.org) FROM months m JOIN al_iv i ON i.from_day <= m.d AND m.d < i.to_day GROUP BY m.d, i.territory",
        .collectivitiesWithCompetentADC: "SELECT m.d, i.commune, 1 FROM months m JOIN cadc_iv i ON i.from_day <= m.d AND m.d < i.to_day GROUP BY m.d, i.commune",
    ]
    /// The tables the DuckDB peer loads: a name, its columns with their DuckDB types, and where
    /// the rows come from. The intervals as materialized above…
    let exported: [(table: String, columns: [(String, String)], from: String)] = [
        ("months", [("d", "BIGINT")], "temp.months"),
        ("mm_iv", [("commune", "VARCHAR"), ("member", "VARCHAR"), ("from_day", "BIGINT"), ("to_day", "BIGINT")], "temp.mm_iv"),
        ("ce_iv", [("territory", "VARCHAR"), ("org", "VARCHAR"), ("from_day", "BIGINT"), ("to_day", "BIGINT")], "temp.ce_iv"),
        ("tc_iv", [("commune", "VARCHAR"), ("from_day", "BIGINT"), ("to_day", "BIGINT")], "temp.tc_iv"),
        ("al_iv", [("territory", "VARCHAR"), ("org", "VARCHAR"), ("from_day", "BIGINT"), ("to_day", "BIGINT")], "temp.al_iv"),
        ("cadc_iv", [("commune", "VARCHAR"), ("from_day", "BIGINT"), ("to_day", "BIGINT")], "temp.cadc_iv"),
    ]
    /// …and the stored rows they are derived from (the columns the derivations read, the events
    /// of the types read; out of JSON: the contributions' dates and the projects' partners from
    /// their documents, the attested competence and the ADC's commune from event payloads), for
    /// the DuckDB peer that derives the intervals itself.
    let rawExported: [(table: String, columns: [(String, String)], from: String)] = [
        ("raw_contribution", [("id", "VARCHAR"), ("project", "VARCHAR"), ("member", "VARCHAR"), ("organization", "VARCHAR"), ("status", "VARCHAR"),
                              ("confirmed_on", "DATE"), ("cancelled_on", "DATE")],
         "(SELECT id, project, member, organization, status, json_extract(doc, '$.confirmed_on') AS confirmed_on, json_extract(doc, '$.cancelled_on') AS cancelled_on FROM contribution)"),
        ("raw_event", [("subject", "VARCHAR"), ("type", "VARCHAR"), ("occurred_at", "BIGINT")],
         "(SELECT subject, type, occurred_at FROM event WHERE type IN ('contribution.confirmed', 'contribution.cancelled', 'member.created', 'agreement.signed', 'agreement.ended', 'interaction.recorded', 'organization.created'))"),
        ("raw_competence_event", [("subject", "VARCHAR"), ("competence", "VARCHAR"), ("occurred_at", "BIGINT")],
         "(SELECT subject, json_extract(payload, '$.after.id') AS competence, occurred_at FROM event WHERE type = 'competence.attested')"),
        ("raw_adc_event", [("subject", "VARCHAR"), ("seq", "BIGINT"), ("occurred_at", "BIGINT"), ("adc_commune", "VARCHAR")],
         """
         (SELECT subject, seq, occurred_at, json_extract(payload, '$.after.adc_commune') AS adc_commune FROM event
          WHERE subject IN (SELECT member FROM member_role WHERE role = 'adc') AND type IN ('member.created', 'member.updated')
            AND json_type(payload, '$.after.adc_commune') IS NOT NULL)
         """),
        ("raw_competence", [("id", "VARCHAR"), ("member", "VARCHAR"), ("competence", "VARCHAR"), ("attested_on", "DATE"), ("revoked_on", "DATE")], "competence"),
        ("raw_interaction", [("id", "VARCHAR"), ("on_day", "DATE"), ("member", "VARCHAR"), ("diaspora_organization", "VARCHAR"), ("organization", "VARCHAR")], "interaction"),
        ("raw_project_org", [("project", "VARCHAR"), ("org", "VARCHAR")],
         "(SELECT id AS project, lead_organization AS org FROM project WHERE lead_organization IS NOT NULL UNION SELECT p.id, j.value FROM project p, json_each(p.doc, '$.partners') j)"),
        ("raw_member", [("id", "VARCHAR"), ("origin", "VARCHAR"), ("heart_diaspora", "INTEGER")], "member"),
        ("raw_member_role", [("member", "VARCHAR"), ("role", "VARCHAR")], "member_role"),
        ("raw_project_commune", [("project", "VARCHAR"), ("commune", "VARCHAR")], "project_commune"),
        ("raw_agreement", [("id", "VARCHAR"), ("organization", "VARCHAR"), ("signed_on", "DATE"), ("ends_on", "DATE"), ("ended_on", "DATE")], "agreement"),
        ("raw_organization", [("id", "VARCHAR"), ("kind", "VARCHAR"), ("country", "VARCHAR"), ("territory", "VARCHAR")], "organization"),
    ]
    var setMaterializeTime = 0.0
    var setQueryTimes: [String: Double] = [:]
    var setMismatches = 0
    var tableRows: [String: Int] = [:]
    try queue.inDatabase { dbc in
        t = clock.now
        for statement in materialize { try dbc.execute(sql: statement) }
        setMaterializeTime = seconds(clock.now - t)
        for x in exported { tableRows[x.table] = try Int.fetchOne(dbc, sql: "SELECT COUNT(*) FROM \(x.from)") ?? 0 }
        for id in compared {
            t = clock.now
            var values: [Int: [String: Int]] = [:]
            let rows = try Row.fetchCursor(dbc, sql: setQueries[id] ?? "")
            while let row = try rows.next() {
                let dd: Int = row[0] ?? 0, k: String = row[1] ?? "", v: Int = row[2] ?? 0
                if v > 0 { values[dd, default: [:]][k] = v }
            }
            let took = seconds(clock.now - t)
            setQueryTimes[id.rawValue] = took
            let n = mismatches("set-sql", id, values)
            setMismatches += n
            say(String(format: "set-based sql %@: %.3f s for %d month-ends × every commune in one grouped query, %@", id.rawValue, took, months.count,
                       n == 0 ? "same figures as the engine" : "\(n) cells DIFFERENT"))
        }

        // The export for the DuckDB peer: the materialized tables as CSV, and the figures.
        if let out = exportFolder {
            try makeDirectory(out)
            for (table, columns, from) in exported + rawExported {
                var text = columns.map(\.0).joined(separator: ",") + "\n"
                var count = 0
                let rows = try Row.fetchCursor(dbc, sql: "SELECT \(columns.map(\.0).joined(separator: ", ")) FROM \(from)")
                while let row = try rows.next() {
                    count += 1
                    text += (0..<columns.count).map { n -> String in
                        let value: DatabaseValue = row[n]
                        switch value.storage {
                        case .int64(let x): return String(x)
                        case .string(let s): return csvField(s)
                        case .null: return ""
                        default: return csvField(value.description)
                        }
                    }.joined(separator: ",") + "\n"
                }
                guard FileManager.default.createFile(atPath: out + "/" + table + ".csv", contents: Data(text.utf8)) else {
                    throw ToolError("cannot write \(out)/\(table).csv")
                }
                tableRows[table] = count
            }
        }
    }
    totalMismatches += setMismatches
    let setQueryTime = setQueryTimes.values.reduce(0, +)
    say(String(format: "set-based sql: materialize the intervals once %.2f s (%@) + %d grouped queries %.3f s = %.2f s",
               setMaterializeTime, exported.map { "\($0.table) \(tableRows[$0.table] ?? 0) rows" }.joined(separator: ", "),
               compared.count, setQueryTime, setMaterializeTime + setQueryTime))
    let warm = warmTimes.min() ?? 0
    say(String(format: "side by side (%d cells): engine warm %.4f s vs set-based sql queries %.3f s: %.0f×; engine cold %.2f s vs set-based sql materialize + queries %.2f s: %.2f×",
               cellCount, warm, setQueryTime, setQueryTime / max(warm, 1e-9), coldTime, setMaterializeTime + setQueryTime, (setMaterializeTime + setQueryTime) / coldTime))

    if let out = exportFolder {
        var figures: [String: Any] = [:]
        for id in compared {
            var byDay: [String: Any] = [:]
            for (dd, byCommune) in engineValues[id] ?? [:] { byDay[String(dd)] = byCommune }
            figures[id.rawValue] = byDay
        }
        let doc: [String: Any] = [
            "database": path, "events": eventCount, "communes": communes, "months": months,
            "indicators": compared.map(\.rawValue),
            "queries": Dictionary(uniqueKeysWithValues: compared.map { ($0.rawValue, setQueries[$0] ?? "") }),
            "tables": exported.map { ["name": $0.table, "file": $0.table + ".csv", "rows": tableRows[$0.table] ?? 0, "columns": $0.columns.map { [$0.0, $0.1] }] as [String: Any] },
            "raw_tables": rawExported.map { ["name": $0.table, "file": $0.table + ".csv", "rows": tableRows[$0.table] ?? 0, "columns": $0.columns.map { [$0.0, $0.1] }] as [String: Any] },
            "forever": forever,
            "figures": figures,
            "engine": ["open_s": openTime, "read_log_s": loadTime, "build_s": buildTime, "first_answer_s": firstAnswerTime, "cold_s": coldTime,
                       "warm_best_s": warm, "warm_median_s": median(warmTimes), "warm_runs": warmRuns, "cells": cellCount,
                       "all_indicators_answer_s": queryTime, "from_snapshot": snapshot, "from_snapshot_storing": storing] as [String: Any],
            "sqlite_set": ["materialize_s": setMaterializeTime, "query_s": setQueryTimes, "queries_total_s": setQueryTime, "mismatches": setMismatches] as [String: Any],
            "sqlite_weak": args.flag("--no-weak-sql") ? NSNull() : ["query_s": weakTimes, "total_s": weakTime, "mismatches": weakMismatches] as [String: Any],
        ]
        let data = try JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys])
        guard FileManager.default.createFile(atPath: out + "/engine.json", contents: data) else { throw ToolError("cannot write \(out)/engine.json") }
        say("exported \((exported + rawExported).map { $0.table + ".csv" }.joined(separator: ", ")) and engine.json to \(out)")
    }
    say("mismatches: \(totalMismatches)")
    if totalMismatches > 0 { throw ToolError("\(totalMismatches) figures differ between the engine and SQL") }
}
