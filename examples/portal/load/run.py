"""The portal under load, on loopback: Debian's wrk against each page at 50 connections, then
concurrent writes (offers posted through the form) counted back in the library.

  python3 examples/portal/load/run.py DB [--connections 50] [--seconds 10] [--threads 16]

It starts the portal (waitress) on DB, gives one of its members a portal account (the admin
path of `python -m portal account`), signs in over HTTP, and prints a Markdown table.
"""
from __future__ import annotations

import argparse
import http.client
import os
import pathlib
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(ROOT / "bindings" / "python"), str(ROOT / "examples")]

import cds  # noqa: E402

from portal.accounts import Accounts  # noqa: E402


def wrk(url: str, connections: int, seconds: int, headers: dict, script: str | None = None, env=None) -> dict:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, env=env, check=True).stdout
    def ms(label: str) -> float:
        m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return dict(rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), p50=ms("50"), p99=ms("99"),
                requests=requests, bad=int(bad.group(1)) if bad else 0, errors=errors.group(1) if errors else "")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--workers", type=int, default=1, help="more than 1: gunicorn (gthread) instead of waitress")
    args = ap.parse_args()
    tmp = pathlib.Path(tempfile.mkdtemp())
    accounts_path = str(tmp / "accounts.sqlite")
    with cds.open(args.db, trusted=True) as lib:          # the benchmark's admin path: pick a member
        member = lib.offer.list(kind="skill", status="active", limit=1000)["items"][-1]["member"]
        published = next(p["id"] for p in lib.project.list(stage="mobilization")["items"])
        offers_before = len(list(lib.pages("offer.list", member=member)))
    Accounts(accounts_path).create("load@test.cds", "a-long-load-password", member)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path[:2]))
    if args.workers > 1:
        cmd = [sys.executable, "-m", "gunicorn", "-w", str(args.workers), "-k", "gthread", "--threads",
               str(args.threads), "-b", f"127.0.0.1:{port}", "portal.wsgi:app"]
        env.update(PORTAL_DB=args.db, PORTAL_ACCOUNTS=accounts_path)
    else:
        cmd = [sys.executable, "-m", "portal", "serve", args.db, "--accounts", accounts_path,
               "--port", str(port), "--threads", str(args.threads)]
    server = subprocess.Popen(cmd, env=env,
                              stdout=open(tmp / "server.log", "w"), stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        base = f"http://127.0.0.1:{port}"
        # Sign in over HTTP, as a browser does: the visitor cookie and its CSRF token, then the session.
        c = http.client.HTTPConnection("127.0.0.1", port)
        c.request("GET", "/login")
        r = c.getresponse()
        page = r.read().decode()
        visitor = re.search(r"cds_visitor=([^;]+)", r.getheader("Set-Cookie")).group(1)
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
        c.request("POST", "/login", urllib.parse.urlencode({"csrf": token, "email": "load@test.cds",
                                                           "password": "a-long-load-password"}),
                  {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"cds_visitor={visitor}"})
        r = c.getresponse()
        r.read()
        session = re.search(r"cds_session=([^;]+)", r.getheader("Set-Cookie")).group(1)
        cookie = f"cds_visitor={visitor}; cds_session={session}"
        c.request("GET", "/me/offers", headers={"Cookie": cookie})
        csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', c.getresponse().read().decode()).group(1)

        pages = [("/", {}), ("/communes", {}), ("/communes/09.581.03.03", {}), (f"/projects/{published}", {}),
                 ("/search?commune=09.541&skill=31", {}), ("/login", {}),
                 ("/me", {"Cookie": cookie}), ("/me/fit", {"Cookie": cookie}), ("/me/offers", {"Cookie": cookie})]
        # One request per page first, alone: the library builds its indicator engine on the first
        # indicator call of a handle (seconds at 100k members), and concurrent first calls each build it.
        for path, headers in pages:
            t = time.time()
            c.request("GET", path, headers=headers)
            c.getresponse().read()
            print(f"first {path}: {(time.time() - t) * 1000:.0f} ms", file=sys.stderr)
        print("| page | requests/s | p50 ms | p99 ms | requests | errors |")
        print("|---|---:|---:|---:|---:|---|")
        for path, headers in pages:
            res = wrk(base + path, args.connections, args.seconds, headers)
            shown = re.sub(r"prj_[0-9a-z]+", "prj_…", path) + (" (signed in)" if headers else "")
            print(f"| `{shown}` | {res['rps']:.0f} | {res['p50']:.1f} | {res['p99']:.1f} | {res['requests']} | "
                  f"{res['bad']} non-2xx/3xx {res['errors']} |", flush=True)
        res = wrk(base + "/me/offers", args.connections, args.seconds, {}, str(HERE / "post_offer.lua"),
                  env=dict(os.environ, PORTAL_COOKIE=cookie, PORTAL_CSRF=csrf))
        with cds.open(args.db, trusted=True) as lib:
            stored = len(list(lib.pages("offer.list", member=member))) - offers_before
        answered = res["requests"] - res["bad"]
        print(f"| `POST /me/offers` (writes) | {res['rps']:.0f} | {res['p50']:.1f} | {res['p99']:.1f} | "
              f"{res['requests']} | {res['bad']} non-2xx/3xx {res['errors']} |")
        # wrk stops at the deadline without counting the requests still in flight (at most one
        # per connection): every answered write must be stored, and no more than those in flight besides.
        lost = answered - stored
        print(f"\nwrites: {answered} answered by a redirect, {stored} offers stored, "
              f"{'none lost' if lost <= 0 and stored - answered <= args.connections else f'{lost} LOST'}")
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
