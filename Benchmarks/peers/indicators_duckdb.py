#!/usr/bin/env python3
"""The indicator engine's DuckDB peer, side by side with the engine and SQLite, on the same data.

`cds-bench --export DIR` writes the facts' intervals it materialized in SQLite (one CSV
per table: months.csv, mm_iv.csv, ce_iv.csv, tc_iv.csv), the set-based grouped queries it
ran on them, the engine's figures for every compared indicator × commune × month-end, and
the engine's and SQLite's times (engine.json). This script:

1. loads the same tables into an in-memory DuckDB (timed: the load);
2. runs the same grouped queries, one per indicator, every month-end at once (timed: the
   first run, then the best and the median of `--runs`);
3. checks every cell (indicator × commune × month-end) against the engine's figure and
   exits 1 on any difference (the first few are printed);
4. prints the figures side by side: the engine cold (open the file, read the log, build,
   answer every cell) and warm (every cell on a built engine), SQLite set-based
   (materialize + queries) and weak (one query per month), DuckDB load and query, with
   the ratios the targets of issue 13 name (engine warm vs DuckDB query: ≥ 10×; engine
   cold vs DuckDB load + query: faster). They are also written to DIR/duckdb.json.

Exit status: 0 when every figure is the engine's; 1 when one differs; 2 when DuckDB is
not installed or DIR holds no export.

Usage:
    python3 Benchmarks/peers/indicators_duckdb.py --data Benchmarks/.data/peers-265000 [--runs 5] [--threads N]
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


def load_export(folder):
    """engine.json of an export, or exit 2 saying what is missing."""
    path = os.path.join(folder, "engine.json")
    if not os.path.isfile(path):
        print(f"no export in {folder} (engine.json is missing). Make one with:\n"
              f"  swift run -c release --package-path Benchmarks cds-bench --events 265000 --export {folder}",
              file=sys.stderr)
        sys.exit(2)
    with open(path) as f:
        return json.load(f)


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


def ratio(slower, faster):
    return slower / faster if faster > 0 else float("inf")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=os.path.join("Benchmarks", ".data", "peers-265000"),
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

    first, best, med, total_mismatches = {}, {}, {}, 0
    shown = [0]
    for indicator in export["indicators"]:
        query = export["queries"][indicator]
        t = time.perf_counter()
        rows = con.execute(query).fetchall()
        first[indicator] = time.perf_counter() - t
        n = mismatches(indicator, rows, export, shown)
        total_mismatches += n
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            again = con.execute(query).fetchall()
            times.append(time.perf_counter() - t)
            if sorted(again) != sorted(rows):
                raise SystemExit(f"error: DuckDB answered {indicator} differently on a second run")
        best[indicator], med[indicator] = min(times), statistics.median(times)
        print(f"duckdb {indicator}: first {first[indicator]:.4f} s, best {best[indicator]:.4f} s, "
              f"median {med[indicator]:.4f} s of {args.runs}; "
              + ("same figures as the engine" if n == 0 else f"{n} cells DIFFERENT"), file=sys.stderr)

    eng, lite, weak = export["engine"], export["sqlite_set"], export.get("sqlite_weak")
    query_first, query_best = sum(first.values()), sum(best.values())
    cold, warm = eng["cold_s"], eng["warm_best_s"]
    lite_total = lite["materialize_s"] + lite["queries_total_s"]
    cells = eng["cells"]
    print(f"\n{export['events']:,} events, {len(export['indicators'])} indicators × {len(export['communes'])} communes × "
          f"{len(export['months'])} month-ends = {cells:,} cells; DuckDB {duckdb.__version__}, {threads} threads")
    lines = [
        ("engine cold: open + read the log + build + answer",
         f"{eng['open_s']:.3f} + {eng['read_log_s']:.2f} + {eng['build_s']:.2f} + {eng['first_answer_s']:.4f} = {cold:.2f} s"),
        ("engine warm: answer every cell (best)", f"{warm:.4f} s (median {eng['warm_median_s']:.4f} s of {eng['warm_runs']})"),
        ("SQLite set-based: materialize + queries", f"{lite['materialize_s']:.2f} + {lite['queries_total_s']:.3f} = {lite_total:.2f} s"),
    ]
    if weak:
        lines.append(("SQLite weak: one query per month", f"{weak['total_s']:.2f} s"))
    lines += [
        ("DuckDB: load the tables", f"{load_s:.3f} s"),
        ("DuckDB: queries (first run; best)", f"{query_first:.4f} s; {query_best:.4f} s"),
        ("DuckDB: load + queries (first run)", f"{load_s + query_first:.3f} s"),
    ]
    width = max(len(a) for a, _ in lines)
    for a, b in lines:
        print(f"  {a.ljust(width)}  {b}")
    warm_vs_query = ratio(query_best, warm)
    cold_vs_duck = ratio(load_s + query_first, cold)
    print("\nratios (how many times faster the engine is; below 1 the peer is faster):")
    print(f"  engine warm vs DuckDB query (best):         {warm_vs_query:8.1f}×   target ≥ 10×: {'met' if warm_vs_query >= 10 else 'NOT met'}")
    print(f"  engine cold vs DuckDB load + query:         {cold_vs_duck:8.2f}×   target > 1×: {'met' if cold_vs_duck > 1 else 'NOT met'}")
    print(f"  engine warm vs SQLite set-based queries:    {ratio(lite['queries_total_s'], warm):8.1f}×")
    print(f"  engine cold vs SQLite materialize + query:  {ratio(lite_total, cold):8.2f}×")
    if weak:
        print(f"  engine cold vs SQLite weak:                 {ratio(weak['total_s'], cold):8.2f}×")
    print("  (the engine's and SQLite's times are the ones cds-bench measured when it exported; DuckDB's are measured now;"
          " DuckDB is handed the intervals SQLite derived from the log, the engine derives its own)")

    result = {"duckdb": duckdb.__version__, "threads": threads, "load_s": load_s, "query_first_s": first,
              "query_best_s": best, "query_median_s": med, "runs": args.runs, "mismatches": total_mismatches,
              "ratios": {"engine_warm_vs_duckdb_query": warm_vs_query, "engine_cold_vs_duckdb_load_query": cold_vs_duck}}
    with open(os.path.join(args.data, "duckdb.json"), "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
    print(f"mismatches: {total_mismatches}", file=sys.stderr)
    return 1 if total_mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
