"""python -m portal: serve the portal, or manage its accounts (the admin paths).

  serve DB [--accounts FILE] [--host H] [--port P] [--threads N]
  account DB --member mbr_… --email E        link a portal account to an existing member
                                              (password from $PORTAL_PASSWORD or asked)
  bootstrap DB --name N --email E            the first facilitator: creates the member with a
                                              trusted handle (the one trusted path) and her account
  demo-accounts DB                            accounts for the demo's facilitator, ADCs and
                                              commune representatives, with random passwords
  bytes DB                                    the bytes of each public page (HTML, and the CSS
                                              that is its only other file), as a visitor loads them
"""
from __future__ import annotations

import argparse
import getpass
import logging
import os
import secrets
import sys

import cds

from .accounts import Accounts


def _accounts_path(db: str, given: str | None) -> str:
    return given or os.path.splitext(db)[0] + ".portal-accounts.sqlite"


def _password() -> str:
    return os.environ.get("PORTAL_PASSWORD") or getpass.getpass("password: ")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="portal")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve")
    s.add_argument("db")
    s.add_argument("--accounts")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8080)
    s.add_argument("--threads", type=int, default=8)
    a = sub.add_parser("account")
    a.add_argument("db"); a.add_argument("--accounts"); a.add_argument("--member", required=True)
    a.add_argument("--email", required=True)
    b = sub.add_parser("bootstrap")
    b.add_argument("db"); b.add_argument("--accounts"); b.add_argument("--name", required=True)
    b.add_argument("--email", required=True); b.add_argument("--country", default="MA")
    d = sub.add_parser("demo-accounts")
    d.add_argument("db"); d.add_argument("--accounts")
    m = sub.add_parser("bytes")
    m.add_argument("db"); m.add_argument("--accounts")
    args = ap.parse_args(argv)
    accounts_path = _accounts_path(args.db, args.accounts)

    if args.cmd == "serve":
        import waitress

        from .app import create_app, warm
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
        app = create_app(args.db, accounts_path)
        warm(app)
        print(f"CDS portal on http://{args.host}:{args.port}/ (database {args.db}, accounts {accounts_path})",
              flush=True)
        waitress.serve(app, host=args.host, port=args.port, threads=args.threads, ident="cds-portal")
        return 0

    if args.cmd == "bytes":
        import gzip
        import re

        from .app import create_app
        client = create_app(args.db, accounts_path).test_client()
        css = len(client.get("/static/portal.css", base_url="https://localhost").get_data())
        communes = client.get("/communes", base_url="https://localhost").get_data(as_text=True)
        commune = re.search(r'href="(/communes/[0-9.]+)"', communes).group(1)
        project = re.search(r'href="(/projects/prj_[0-9a-z]+)"',
                            client.get(commune, base_url="https://localhost").get_data(as_text=True)).group(1)
        print(f"| page | HTML bytes | gzip | with the CSS ({css} B, cached after the first page) |")
        print("|---|---:|---:|---:|")
        for path in ["/", "/communes", commune, project, "/search", "/search?commune=09.541&skill=31",
                     "/signup", "/login", "/spaces", "/learning", "/?lang=ar"]:
            body = client.get(path, base_url="https://localhost").get_data()
            print(f"| `{path}` | {len(body):,} | {len(gzip.compress(body)):,} | {len(body) + css:,} |")
        return 0

    accounts = Accounts(accounts_path)
    if args.cmd == "account":
        # Not trusted: the member reads herself, which proves she exists and is not erased.
        with cds.open(args.db) as lib:
            lib.acting_as(args.member).member.get(id=args.member)
        accounts.create(args.email, _password(), args.member)
        print(f"account {args.email} → {args.member}")
    elif args.cmd == "bootstrap":
        # The one trusted path: only the system may create the first facilitator.
        with cds.open(args.db, trusted=True) as lib:
            m = lib.member.create(name=args.name, gender="undisclosed", roles=["facilitator"],
                                  residence_country=args.country, email=args.email,
                                  consents=[{"purpose": "processing", "version": "2026-01"}])
        accounts.create(args.email, _password(), m["id"])
        print(f"facilitator {m['id']} with account {args.email}")
    elif args.cmd == "demo-accounts":
        # An admin path on the demo: a trusted handle lists the staff to give them accounts.
        with cds.open(args.db, trusted=True) as lib:
            staff = lib.member.list(role="facilitator", limit=100)["items"] + \
                lib.member.list(role="adc", limit=100)["items"]
            communes = {o["id"] for o in lib.organization.list(kind="commune", limit=1000)["items"]}
            reps = [m for m in lib.member.list(role="local_actor", limit=1000)["items"]
                    if any(o["organization"] in communes for o in m.get("organizations", []))]
        for m in staff + reps:
            email = m["name"].lower().replace(" ", ".") + "@demo.cds"
            if accounts.email_taken(email):
                continue
            password = secrets.token_urlsafe(9)
            accounts.create(email, password, m["id"])
            print(f"{email:40} {password:14} {m['name']} ({', '.join(m['roles'])})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
