"""Adds N diaspora members (and an offer for one in ten) to a copy of the demo database, for
the portal's load test. A benchmark job: it opens a trusted handle and writes in batches.

  python3 examples/portal/load/populate.py DB --members 100000 --offers-every 10
"""
from __future__ import annotations

import argparse
import random
import sys
import time

import cds

COUNTRIES = ["FR", "BE", "NL", "ES", "DE", "IT", "CA", "GB"]
SKILLS = ["2142", "3112", "2411", "3113", "2421", "2144", "7411", "2341", "1219", "2353"]
LANGS = [["fr", "ar"], ["shi", "fr"], ["ar", "nl"], ["ar", "es"], ["shi", "ar", "fr"]]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--offers-every", type=int, default=10)
    ap.add_argument("--batch", type=int, default=2000)
    args = ap.parse_args()
    rnd = random.Random(19)
    t0 = time.time()
    with cds.open(args.db, trusted=True, busy_timeout_ms=10000) as db:   # a job: the trusted system
        communes = [t["code"] for p in ("09.581", "09.541")
                    for t in db.territory.list(level="commune", parent=p, limit=1000)["items"]]
        done = 0
        while done < args.members:
            n = min(args.batch, args.members - done)
            calls = [{"method": "member.create", "params": {
                "name": f"Membre {done + i}", "gender": rnd.choice("fm"), "roles": ["diaspora"],
                "residence_country": rnd.choice(COUNTRIES), "origin": rnd.choice(communes),
                "skills": [rnd.choice(SKILLS)], "languages": rnd.choice(LANGS),
                "consents": [{"purpose": "processing", "version": "2026-01"},
                             {"purpose": "contact", "version": "2026-01"}]
                + ([{"purpose": "publication", "version": "2026-01"}] if rnd.random() < 0.3 else [])}}
                for i in range(n)]
            ids = [r["id"] for r in db.batch(calls=calls)["results"]]
            offers = [{"method": "offer.create", "params": {
                "member": mid, "kind": "skill", "skills": [rnd.choice(SKILLS)],
                "description": "Conseil à distance", "contact_consent": True, "remote": True,
                "capacity": {"unit": "person_days", "amount": rnd.randint(2, 10)}}}
                for j, mid in enumerate(ids) if (done + j) % args.offers_every == 0]
            if offers:
                db.batch(calls=offers)
            done += n
            print(f"{done} members ({time.time() - t0:.0f} s)", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
