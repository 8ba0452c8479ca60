#!/usr/bin/env python3
"""The indicator engine's DuckDB peer, side by side with the engine and SQLite, on the same data.

`cds-bench --export DIR` writes the facts' intervals it materialized in SQLite (one CSV
per table: months, mm_iv, ce_iv, tc_iv, al_iv, cadc_iv), the set-based grouped queries it
ran on them, the engine's figures for the five seed indicators × every commune ×
month-end, and the engine's and SQLite's times (engine.json). This script:

1. loads the same tables into an in-memory DuckDB (timed: the load);
2. runs the same grouped queries, one per indicator, every month-end at once (timed: the
   first run, then the best and the median of `--runs`);
3. in a second in-memory DuckDB, loads the stored rows those intervals come from (the
   raw_*.csv: contributions, agreements, members and their roles, organizations, project
   communes and organizations, interactions, competences, the events of the types read),
   derives the same intervals in DuckDB's SQL
   (DERIVE below, the same rules as cds-bench's SQLite temporary tables) and runs the
   same queries: the whole way from stored rows to figures, as the engine goes from its log;
4. checks every cell (indicator × commune × month-end) of both against the engine's
   figure and exits 1 on any difference (the first few are printed);
4. prints the figures side by side: the engine cold (open the file, read the log, build,
   answer every cell) and warm (every cell on a built engine), SQLite set-based
   (materialize + queries) and weak (one query per month), DuckDB load and query, with
   the ratios the targets of issue 13 name (engine warm vs DuckDB query: ≥ 10×; engine
   cold vs DuckDB load + query: faster). They are also written to DIR/duckdb.json.

Exit status: 0 when every figure is the engine's; 1 when one differs; 2 when DuckDB is
not installed or DIR holds no export.

Usage:
    (cd Benchmarks && swift run -c release cds-bench --events 300000 --export .data/peers-265000)
    python3 Benchmarks/peers/indicators_duckdb.py [--data Benchmarks/.data/peers-265000] [--runs 5] [--threads N]
"""
import argparse
import json
import os
import statistics
import sys
import time

try:
    import duckdb
except ImportError as error:  # a clear message rather than a traceback
    print(f"missing Python module: {error.name}. Install the peer with: python3 -m pip install duckdb",
          file=sys.stderr)
    sys.exit(2)


REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_export(folder):
    """engine.json of an export, or exit 2 saying what is missing."""
    path = os.path.join(folder, "engine.json")
    if not os.path.isfile(path):
        print(f"no export in {folder} (engine.json is missing). Make one with:\n"
              f"  (cd Benchmarks && swift run -c release cds-bench --events 300000 --export .data/peers-265000)",
              file=sys.stderr)
        sys.exit(2)
    with open(path) as f:
        return json.load(f)


# The intervals derived from the stored rows, in DuckDB: the same rules as cds-bench's
# temporary tables in SQLite (Benchmarks/Sources/cds-bench/main.swift, `materialize`). A day
# is the number of days since 1970-01-01; an interval is [from_day, to_day), FOREVER when open.
# SQLite's max(a, b) is NULL when either is: CASE spells that out (DuckDB's greatest skips NULLs).
# An entity's event of a type is taken once (its earliest day).
DERIVE = [
    "CREATE TABLE ev AS SELECT subject, type, MIN(occurred_at // 86400000) AS day FROM raw_event GROUP BY subject, type",
    # Contributions counted from their confirmation until their cancellation (if any).
    """CREATE TABLE conf_iv AS
       SELECT id, project, member, organization, from_day, COALESCE(until_day, {F}) AS to_day FROM (
         SELECT c.id, c.project, c.member, c.organization,
           CASE WHEN c.confirmed_on IS NULL OR ec.day IS NULL THEN NULL
                ELSE greatest(c.confirmed_on - DATE '1970-01-01', ec.day) END AS from_day,
           CASE WHEN ex.day IS NULL OR c.cancelled_on IS NULL THEN NULL
                ELSE greatest(c.cancelled_on - DATE '1970-01-01', ex.day) END AS until_day
         FROM raw_contribution c
         LEFT JOIN ev ec ON ec.subject = c.id AND ec.type = 'contribution.confirmed'
         LEFT JOIN ev ex ON ex.subject = c.id AND ex.type = 'contribution.cancelled'
         WHERE c.status IN ('confirmed', 'delivered', 'cancelled'))
       WHERE from_day IS NOT NULL AND from_day < COALESCE(until_day, {F})""",
    # Diaspora members (heart diaspora included), their origin and the day they were created.
    """CREATE TABLE diaspora AS
       SELECT m.id, m.origin, ev.day AS created_day FROM raw_member m
       LEFT JOIN ev ON ev.subject = m.id AND ev.type = 'member.created'
       WHERE m.heart_diaspora = 1 OR m.id IN (SELECT member FROM raw_member_role WHERE role = 'diaspora')""",
    # migrants_mobilized: member × commune of the project × [confirmed, cancelled).
    """CREATE TABLE mm_iv AS
       SELECT pc.commune, c.member, c.from_day, c.to_day
       FROM conf_iv c JOIN raw_project_commune pc ON pc.project = c.project JOIN diaspora m ON m.id = c.member""",
    # collectivities_engaged: collectivity × its territory × [signed, min(ends + 1 day, ended)).
    """CREATE TABLE ce_iv AS
       SELECT territory, org, from_day, to_day FROM (
         SELECT o.territory, o.id AS org,
           CASE WHEN es.day IS NULL THEN NULL ELSE greatest(a.signed_on - DATE '1970-01-01', es.day) END AS from_day,
           least(COALESCE(a.ends_on - DATE '1970-01-01' + 1, {F}),
                 CASE WHEN a.ended_on IS NULL THEN {F}
                      WHEN ee.day IS NULL THEN -1
                      ELSE greatest(a.ended_on - DATE '1970-01-01', ee.day) END) AS to_day
         FROM raw_agreement a JOIN raw_organization o ON o.id = a.organization
         LEFT JOIN ev es ON es.subject = a.id AND es.type = 'agreement.signed'
         LEFT JOIN ev ee ON ee.subject = a.id AND ee.type = 'agreement.ended'
         WHERE o.kind IN ('commune', 'provincial_council', 'regional_council'))
       WHERE from_day IS NOT NULL AND from_day < to_day""",
    # territories_connected: a diaspora member's commune of origin from the first one's
    # creation, and the communes of projects with a diaspora member's or association's
    # counted contribution; the same interval of a commune once.
    """CREATE TABLE tc_iv AS
       SELECT origin AS commune, MIN(created_day) AS from_day, {F} AS to_day FROM diaspora
       WHERE origin LIKE '__.___.__.__' AND created_day IS NOT NULL GROUP BY origin
       UNION
       SELECT pc.commune, c.from_day, c.to_day FROM conf_iv c JOIN raw_project_commune pc ON pc.project = c.project
       LEFT JOIN diaspora m ON m.id = c.member LEFT JOIN raw_organization o ON o.id = c.organization
       WHERE (c.member IS NOT NULL AND m.id IS NOT NULL) OR o.kind = 'diaspora_association'""",
    # Organizations with the day they were created.
    """CREATE TABLE org AS
       SELECT o.id, o.kind, o.country, o.territory, ev.day AS created_day FROM raw_organization o
       LEFT JOIN ev ON ev.subject = o.id AND ev.type = 'organization.created'""",
    # actors_linked: a Moroccan actor × its territory × from a diaspora member's counted
    # contribution to a project it leads or partners (while it counts), or from an
    # interaction with a diaspora member or association (for good).
    """CREATE TABLE al_iv AS
       SELECT territory, org, from_day, to_day FROM (
         SELECT o.territory, o.id AS org,
           CASE WHEN m.created_day IS NULL OR o.created_day IS NULL THEN NULL
                ELSE greatest(c.from_day, m.created_day, o.created_day) END AS from_day, c.to_day
         FROM conf_iv c JOIN diaspora m ON m.id = c.member JOIN raw_project_org po ON po.project = c.project JOIN org o ON o.id = po.org
         WHERE o.country = 'MA' AND o.kind NOT IN ('facilitator', 'diaspora_association')
         UNION
         SELECT o.territory, o.id,
           CASE WHEN ei.day IS NULL OR COALESCE(m.created_day, dorg.created_day) IS NULL OR o.created_day IS NULL THEN NULL
                ELSE greatest(i.on_day - DATE '1970-01-01', ei.day, COALESCE(m.created_day, dorg.created_day), o.created_day) END,
           {F}
         FROM raw_interaction i JOIN org o ON o.id = i.organization
         LEFT JOIN ev ei ON ei.subject = i.id AND ei.type = 'interaction.recorded'
         LEFT JOIN diaspora m ON m.id = i.member LEFT JOIN org dorg ON dorg.id = i.diaspora_organization
         WHERE o.country = 'MA' AND o.kind NOT IN ('facilitator', 'diaspora_association')
           AND (m.id IS NOT NULL OR dorg.kind = 'diaspora_association'))
       WHERE from_day IS NOT NULL AND from_day < to_day""",
    # An ADC's commune over time, from her member events that set it (the next one ends it).
    """CREATE TABLE adc_commune_iv AS
       SELECT member, commune, from_day, to_day FROM (
         SELECT subject AS member, adc_commune AS commune, occurred_at // 86400000 AS from_day,
           COALESCE(LEAD(occurred_at // 86400000) OVER (PARTITION BY subject ORDER BY seq), {F}) AS to_day
         FROM raw_adc_event)
       WHERE commune IS NOT NULL AND from_day < to_day""",
    # The two competences, each attestation from its day (and the day it was recorded) until
    # its revocation.
    """CREATE TABLE comp_iv AS
       SELECT member, competence, from_day, to_day FROM (
         SELECT c.member, c.competence,
           CASE WHEN e.occurred_at IS NULL THEN NULL
                ELSE greatest(c.attested_on - DATE '1970-01-01', e.occurred_at // 86400000) END AS from_day,
           COALESCE(c.revoked_on - DATE '1970-01-01', {F}) AS to_day
         FROM raw_competence c
         LEFT JOIN raw_competence_event e ON e.subject = c.member AND e.competence = c.id
         WHERE c.competence IN ('project_engineering', 'communication'))
       WHERE from_day IS NOT NULL AND from_day < to_day""",
    # collectivities_with_competent_adc: a commune × while one of its ADCs holds both.
    """CREATE TABLE cadc_iv AS
       SELECT DISTINCT a.commune, greatest(a.from_day, pe.from_day, co.from_day) AS from_day,
         least(a.to_day, pe.to_day, co.to_day) AS to_day
       FROM adc_commune_iv a
       JOIN comp_iv pe ON pe.member = a.member AND pe.competence = 'project_engineering'
       JOIN comp_iv co ON co.member = a.member AND co.competence = 'communication'
       WHERE greatest(a.from_day, pe.from_day, co.from_day) < least(a.to_day, pe.to_day, co.to_day)""",
]


def load_tables(con, folder, tables):
    """Creates each exported table in DuckDB from its CSV, with the declared column types."""
    for t in tables:
        columns = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in t["columns"]) + "}"
        path = os.path.join(folder, t["file"]).replace("'", "''")
        con.execute(f"CREATE TABLE {t['name']} AS SELECT * FROM read_csv('{path}', header = true, columns = {columns})")
        rows = con.execute(f"SELECT COUNT(*) FROM {t['name']}").fetchone()[0]
        if rows != t["rows"]:
            raise SystemExit(f"error: {t['name']} holds {rows} rows in DuckDB, {t['rows']} in SQLite")


def mismatches(indicator, rows, export, shown):
    """The cells (every commune × month-end) where DuckDB's figure differs from the engine's."""
    got = {}
    for day, territory, value in rows:
        if value:
            got[(int(day), territory)] = int(value)
    engine = export["figures"].get(indicator, {})
    n = 0
    for day in export["months"]:
        want_by_commune = engine.get(str(day), {})
        for commune in export["communes"]:
            want, have = want_by_commune.get(commune, 0), got.get((day, commune), 0)
            if want != have:
                n += 1
                if shown[0] < 5:
                    shown[0] += 1
                    print(f"  mismatch {indicator} day {day} {commune}: duckdb {have}, engine {want}", file=sys.stderr)
    return n


def run_queries(con, export, runs, peer, shown):
    """Runs each indicator's grouped query (first run, then `runs` timed runs), checks every
    cell against the engine's figures; answers the times and the number of cells that differ."""
    first, best, med, total = {}, {}, {}, 0
    for indicator in export["indicators"]:
        query = export["queries"][indicator]
        t = time.perf_counter()
        rows = con.execute(query).fetchall()
        first[indicator] = time.perf_counter() - t
        n = mismatches(indicator, rows, export, shown)
        total += n
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            again = con.execute(query).fetchall()
            times.append(time.perf_counter() - t)
            if sorted(again) != sorted(rows):
                raise SystemExit(f"error: DuckDB answered {indicator} differently on a second run")
        best[indicator], med[indicator] = min(times), statistics.median(times)
        print(f"{peer} {indicator}: first {first[indicator]:.4f} s, best {best[indicator]:.4f} s, "
              f"median {med[indicator]:.4f} s of {runs}; "
              + ("same figures as the engine" if n == 0 else f"{n} cells DIFFERENT"), file=sys.stderr)
    return first, best, med, total


def ratio(slower, faster):
    return slower / faster if faster > 0 else float("inf")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=os.path.join(REPO, "Benchmarks", ".data", "peers-265000"),
                        help="the folder cds-bench --export wrote")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each query after the first")
    parser.add_argument("--threads", type=int, default=0, help="DuckDB threads (default: DuckDB's own, every core)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs takes at least 1")
    export = load_export(args.data)

    con = duckdb.connect(":memory:")
    if args.threads:
        con.execute(f"SET threads = {args.threads}")
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]

    t = time.perf_counter()
    load_tables(con, args.data, export["tables"])
    load_s = time.perf_counter() - t

    shown = [0]
    first, best, med, total_mismatches = run_queries(con, export, args.runs, "duckdb", shown)

    # The whole way in DuckDB: the stored rows, the intervals derived, the same queries.
    raw = duckdb.connect(":memory:")
    if args.threads:
        raw.execute(f"SET threads = {args.threads}")
    t = time.perf_counter()
    load_tables(raw, args.data, export["raw_tables"] + [x for x in export["tables"] if x["name"] == "months"])
    raw_load_s = time.perf_counter() - t
    t = time.perf_counter()
    for statement in DERIVE:
        raw.execute(statement.format(F=export["forever"]))
    derive_s = time.perf_counter() - t
    for x in export["tables"]:
        rows = raw.execute(f"SELECT COUNT(*) FROM {x['name']}").fetchone()[0]
        print(f"duckdb from stored rows: {x['name']} {rows} rows (SQLite's: {x['rows']})", file=sys.stderr)
    raw_first, raw_best, _, raw_mismatches = run_queries(raw, export, args.runs, "duckdb from stored rows", shown)
    total_mismatches += raw_mismatches

    eng, lite, weak = export["engine"], export["sqlite_set"], export.get("sqlite_weak")
    query_first, query_best = sum(first.values()), sum(best.values())
    cold, warm = eng["cold_s"], eng["warm_best_s"]
    snap = eng.get("from_snapshot")
    lite_total = lite["materialize_s"] + lite["queries_total_s"]
    raw_total = raw_load_s + derive_s + sum(raw_first.values())
    cells = eng["cells"]
    print(f"\n{export['events']:,} events, {len(export['indicators'])} indicators × {len(export['communes'])} communes × "
          f"{len(export['months'])} month-ends = {cells:,} cells; DuckDB {duckdb.__version__}, {threads} threads")
    lines = [
        ("engine cold: open + read the log + build + answer",
         f"{eng['open_s']:.3f} + {eng['read_log_s']:.2f} + {eng['build_s']:.2f} + {eng['first_answer_s']:.4f} = {cold:.2f} s"),
        ("engine cold from its snapshot: open + read it + answer",
         f"{snap['open_s']:.3f} + {snap['first_answer_s']:.3f} = {snap['cold_s']:.2f} s" if snap else "not measured"),
        ("engine warm: answer every cell (best)", f"{warm:.4f} s (median {eng['warm_median_s']:.4f} s of {eng['warm_runs']})"),
        ("SQLite set-based: materialize + queries", f"{lite['materialize_s']:.2f} + {lite['queries_total_s']:.3f} = {lite_total:.2f} s"),
    ]
    if weak:
        lines.append(("SQLite weak: one query per month", f"{weak['total_s']:.2f} s"))
    lines += [
        ("DuckDB: load the tables", f"{load_s:.3f} s"),
        ("DuckDB: queries (first run; best)", f"{query_first:.4f} s; {query_best:.4f} s"),
        ("DuckDB: load + queries (first run)", f"{load_s + query_first:.3f} s"),
        ("DuckDB from stored rows: load + derive + queries",
         f"{raw_load_s:.3f} + {derive_s:.3f} + {sum(raw_first.values()):.4f} = {raw_total:.3f} s (queries best {sum(raw_best.values()):.4f} s)"),
    ]
    width = max(len(a) for a, _ in lines)
    for a, b in lines:
        print(f"  {a.ljust(width)}  {b}")
    warm_vs_query = ratio(query_best, warm)
    cold_vs_duck = ratio(load_s + query_first, cold)
    print("\nratios (how many times faster the engine is; below 1 the peer is faster):")
    print(f"  engine warm vs DuckDB query (best):         {warm_vs_query:8.1f}×   target ≥ 10×: {'met' if warm_vs_query >= 10 else 'NOT met'}")
    print(f"  engine cold vs DuckDB load + query:         {cold_vs_duck:8.2f}×   target > 1×: {'met' if cold_vs_duck > 1 else 'NOT met'}")
    snap_vs_duck = ratio(load_s + query_first, snap["cold_s"]) if snap else None
    if snap_vs_duck is not None:
        print(f"  engine cold from its snapshot vs DuckDB load + query: {snap_vs_duck:6.2f}×   target > 1×: {'met' if snap_vs_duck > 1 else 'NOT met'}")
    cold_vs_raw = ratio(raw_total, cold)
    print(f"  engine cold vs DuckDB from stored rows:     {cold_vs_raw:8.2f}×   (load + derive + query: the same way as the engine's)")
    print(f"  engine warm vs SQLite set-based queries:    {ratio(lite['queries_total_s'], warm):8.1f}×")
    print(f"  engine cold vs SQLite materialize + query:  {ratio(lite_total, cold):8.2f}×")
    if weak:
        print(f"  engine cold vs SQLite weak:                 {ratio(weak['total_s'], cold):8.2f}×")
    print("  (the engine's and SQLite's times are the ones cds-bench measured when it exported; DuckDB's are measured now;"
          " the first DuckDB is handed the intervals SQLite derived, the second derives them from the stored rows)")

    result = {"duckdb": duckdb.__version__, "threads": threads, "load_s": load_s, "query_first_s": first,
              "query_best_s": best, "query_median_s": med, "runs": args.runs, "mismatches": total_mismatches,
              "raw_load_s": raw_load_s, "raw_derive_s": derive_s, "raw_query_first_s": raw_first, "raw_query_best_s": raw_best,
              "ratios": {"engine_warm_vs_duckdb_query": warm_vs_query, "engine_cold_vs_duckdb_load_query": cold_vs_duck,
                         "engine_cold_from_snapshot_vs_duckdb_load_query": snap_vs_duck,
                         "engine_cold_vs_duckdb_from_stored_rows": cold_vs_raw}}
    with open(os.path.join(args.data, "duckdb.json"), "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
    print(f"mismatches: {total_mismatches}", file=sys.stderr)
    return 1 if total_mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
