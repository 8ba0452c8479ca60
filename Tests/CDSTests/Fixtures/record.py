"""Records the answers of the 0.1.0 release to read calls on the fixture database."""
import json, subprocess, sys, shutil, tempfile, os
cli, db, out = sys.argv[1], sys.argv[2], sys.argv[3]
tmp = tempfile.mkdtemp(); path = os.path.join(tmp, "f.sqlite"); shutil.copy(db, path)
def call(method, params):
    r = subprocess.run([cli, "call", path, method, json.dumps(params)], capture_output=True, text=True)
    return json.loads(r.stdout or r.stderr)
def all_pages(method, params):
    items, cursor = [], None
    while True:
        p = dict(params); p["limit"] = 1000
        if cursor: p["cursor"] = cursor
        r = call(method, p)["result"]; items += r["items"]; cursor = r["next_cursor"]
        if not cursor: return items
calls = []
def rec(method, params): calls.append({"method": method, "params": params, "answer": call(method, params)})
rec("audit.verify", {})
for loc in ["fr", "en", "ar"]:
    rec("indicators.compute", {"as_of": "2026-12-31", "provenance": True, "locale": loc})
rec("indicators.compute", {"as_of": "2026-06-30"})
rec("indicators.compute", {"as_of": "2026-12-31", "territory": "09.581", "period": "quarter", "from": "2026-01-01", "until": "2026-12-31"})
rec("indicators.compute", {"as_of": "2026-12-31", "disaggregate": "gender", "provenance": True})
rec("indicators.compute", {"as_of": "2026-12-31", "disaggregate": "country_of_residence"})
rec("indicators.compute", {"as_of": "2026-12-31", "reporting_currency": "MAD", "rates": [{"from": "EUR", "rate": "10.85", "on": "2026-01-01"}]})
projects = all_pages("project.list", {})
rec("project.list", {"limit": 1000})
for p in projects:
    rec("project.get", {"id": p["id"]})
    rec("project.history", {"id": p["id"], "limit": 1000})
    rec("project.checklist", {"id": p["id"]})
for m in ["member.list", "organization.list", "need.list", "offer.list", "contribution.list", "match.list", "interaction.list", "agreement.list", "event.list"]:
    rec(m, {"limit": 1000})
rec("match.all", {"k": 3, "explain": True})
rec("match.allocate", {"max_per_member": 1})
rec("match.weights", {})
for n in all_pages("need.list", {"status": "open"}):
    rec("match.need", {"need": n["id"], "k": 5})
members = all_pages("member.list", {})
for m in members:
    rec("member.get", {"id": m["id"]})
    rec("match.member", {"member": m["id"], "k": 5})
rec("member.export", {"id": members[0]["id"]})
json.dump({"made_by": "cds 0.1.0 (main at 81cf3ee), cds-cli demo", "calls": calls}, open(out, "w"), ensure_ascii=False, indent=1)
print(len(calls), "calls recorded;", sum(1 for c in calls if "error" in c["answer"]), "errors")
