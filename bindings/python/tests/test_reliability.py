"""Reliability: a killed writer never leaves a corrupt or half-written database, and
storage faults answer a clear ``storage`` error without corrupting anything.

Every test runs the real library (``$CDS_LIBRARY``). Writers that are killed, starved of
disk or stripped of permissions run in a subprocess, so that the test process stays
alive whatever the library does; the parent then checks the file with Python's own
``sqlite3`` (read-only) and through the library.

The central check, :func:`check_consistency`, replays the hash-chained event log and
compares it with the tables: a transaction that was half applied (a row without its
event, an event without its row, a consent withdrawn without its event…) shows up as a
difference.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest

import cds

BINDING_DIR = Path(__file__).resolve().parents[1]  # bindings/python, put on the children's sys.path

#: Crash trials: FILES fresh database files, each reused for TRIALS_PER_FILE kills so that it grows.
FILES = 4
TRIALS_PER_FILE = 25
SEED = 20260301
#: The kill lands this long after the writer reports that it has started writing.
MIN_DELAY, MAX_DELAY = 0.020, 0.400


# --------------------------------------------------------------------------------------
# Helpers: subprocesses, sqlite3 on the file, the consistency replay
# --------------------------------------------------------------------------------------


def child_env() -> Dict[str, str]:
    env = dict(os.environ)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env  # CDS_LIBRARY is set by conftest.py


def run_child(code: str, *args: object, timeout: float = 60) -> subprocess.CompletedProcess:
    """Runs ``code`` in a fresh Python with the binding importable, ``args`` as argv[1:]."""
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True, text=True, timeout=timeout, env=child_env(),
    )


def last_json_line(result: subprocess.CompletedProcess) -> Dict[str, Any]:
    """The child's report: its last stdout line, a JSON object."""
    assert result.returncode == 0, (
        f"the child process died (exit {result.returncode}); the library must not take the "
        f"host process down.\nstdout:\n{result.stdout}\nstderr:\n{result.stderr[-4000:]}"
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no report from the child.\nstdout:\n{result.stdout}\nstderr:\n{result.stderr[-4000:]}"
    return json.loads(lines[-1])


def ro_connect(path: Path) -> sqlite3.Connection:
    """Python's sqlite3 on the file, read-only (no checkpoint, no change to the file)."""
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def integrity(path: Path) -> str:
    connection = ro_connect(path)
    try:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
    finally:
        connection.close()
    return "; ".join(str(row[0]) for row in rows)


def event_count(path: Path) -> int:
    connection = ro_connect(path)
    try:
        return connection.execute("SELECT count(*) FROM event").fetchone()[0]
    finally:
        connection.close()


def logical_dump(path: Path) -> List[str]:
    """The schema and every row, as SQL text: what the file means, whatever its bytes."""
    connection = ro_connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def instant_ms(text: Optional[str]) -> Optional[int]:
    """An RFC 3339 UTC instant of the event log as milliseconds since the epoch."""
    if text is None:
        return None
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (moment - dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)) // dt.timedelta(milliseconds=1)


MEMBER_SCALARS = ("name", "email", "phone", "gender", "residence_country", "residence_city",
                  "origin", "heart_diaspora", "adc_commune", "invited_by")
MEMBER_LISTS = ("roles", "languages", "skills", "organizations")


def check_consistency(path: Path) -> Dict[str, int]:
    """Replays the event log and compares it with the tables; returns counts.

    Raises AssertionError listing every difference, i.e. every transaction that was only
    half applied (rows without their event or the other way round).
    """
    connection = ro_connect(path)
    try:
        return _check_consistency(connection)
    finally:
        connection.close()


def _check_consistency(c: sqlite3.Connection) -> Dict[str, int]:
    problems: List[str] = []
    events = c.execute("SELECT seq, type, subject, payload FROM event ORDER BY seq").fetchall()
    seqs = [row[0] for row in events]
    if seqs != list(range(1, len(seqs) + 1)):
        problems.append(f"event seq is not 1…{len(seqs)} without gaps")

    # --- the rules, as stated ---------------------------------------------------------
    member_ids = [row[0] for row in c.execute("SELECT id FROM member")]
    created = Counter(row[2] for row in events if row[1] == "member.created")
    for member in member_ids:
        if created[member] != 1:
            problems.append(f"member {member} has {created[member]} member.created events (want exactly 1)")
    for subject in set(created) - set(member_ids):
        problems.append(f"member.created event for {subject}, which is not a member row")

    withdrawn_events = {(row[2], json.loads(row[3])["after"]["purpose"]) for row in events if row[1] == "consent.withdrawn"}
    for member, purpose in c.execute("SELECT member, purpose FROM consent WHERE withdrawn_at IS NOT NULL"):
        if (member, purpose) not in withdrawn_events:
            problems.append(f"consent {member}/{purpose} is withdrawn without a consent.withdrawn event")

    agreement_rows = c.execute("SELECT count(*) FROM agreement").fetchone()[0]
    signed_events = sum(1 for row in events if row[1] == "agreement.signed")
    if agreement_rows != signed_events:
        problems.append(f"{agreement_rows} agreement rows but {signed_events} agreement.signed events")

    org_ids = {row[0] for row in c.execute("SELECT id FROM organization")}
    org_created = Counter(row[2] for row in events if row[1] == "organization.created")
    for org in org_ids:
        if org_created[org] != 1:
            problems.append(f"organization {org} has {org_created[org]} organization.created events (want exactly 1)")
    for subject in set(org_created) - org_ids:
        problems.append(f"organization.created event for {subject}, which is not an organization row")

    # --- the replay: the tables must be exactly what the log says -----------------------
    members: Dict[str, Dict[str, Any]] = {}
    consents: Dict[Tuple[str, str], Tuple[str, Optional[int], Optional[int]]] = {}
    organizations: Dict[str, Tuple[str, Optional[str]]] = {}
    agreements: Dict[str, Tuple[str, str]] = {}
    for seq, kind, subject, payload_text in events:
        payload = json.loads(payload_text)
        after = payload.get("after", {})
        if kind == "member.created":
            members[subject] = {key: after.get(key) for key in MEMBER_SCALARS + MEMBER_LISTS}
            for consent in after.get("consents", []):
                consents[(subject, consent["purpose"])] = (
                    consent["version"], instant_ms(consent["given_at"]), instant_ms(consent["withdrawn_at"]))
        elif kind == "member.updated":
            if subject not in members:
                problems.append(f"event {seq}: member.updated of unknown member {subject}")
                continue
            members[subject].update({key: value for key, value in after.items() if key in members[subject]})
        elif kind in ("consent.given", "consent.withdrawn"):
            consents[(subject, after["purpose"])] = (
                after["version"], instant_ms(after["given_at"]), instant_ms(after["withdrawn_at"]))
        elif kind == "organization.created":
            organizations[subject] = (after["kind"], after.get("territory"))
        elif kind == "agreement.signed":
            agreements[subject] = (after["organization"], after["signed_on"])

    def listed(sql: str) -> Dict[str, list]:
        out: Dict[str, list] = {}
        for row in c.execute(sql):
            out.setdefault(row[0], []).append(row[1] if len(row) == 2 else {"organization": row[1], "role": row[2]})
        return out

    roles = listed("SELECT member, role FROM member_role ORDER BY member, position")
    languages = listed("SELECT member, language FROM member_language ORDER BY member, position")
    skills = listed("SELECT member, skill FROM member_skill ORDER BY member, position")
    memberships = listed("SELECT member, organization, role FROM membership ORDER BY member, position")
    stored_members: Dict[str, Dict[str, Any]] = {}
    for row in c.execute(f"SELECT id, {', '.join(MEMBER_SCALARS)} FROM member"):
        member = dict(zip(MEMBER_SCALARS, row[1:]))
        member["heart_diaspora"] = bool(member["heart_diaspora"])
        member["roles"] = roles.get(row[0], [])
        member["languages"] = languages.get(row[0], [])
        member["skills"] = skills.get(row[0], [])
        member["organizations"] = memberships.get(row[0], [])
        stored_members[row[0]] = member
    for member in sorted(set(members) | set(stored_members)):
        if members.get(member) != stored_members.get(member):
            problems.append(f"member {member}: the log says {members.get(member)}, the tables hold {stored_members.get(member)}")

    stored_consents = {
        (row[0], row[1]): (row[2], row[3], row[4])
        for row in c.execute("SELECT member, purpose, version, given_at, withdrawn_at FROM consent")
    }
    for key in sorted(set(consents) | set(stored_consents)):
        if consents.get(key) != stored_consents.get(key):
            problems.append(f"consent {key}: the log says {consents.get(key)}, the table holds {stored_consents.get(key)}")

    stored_orgs = {row[0]: (row[1], row[2]) for row in c.execute("SELECT id, kind, territory FROM organization")}
    if organizations != stored_orgs:
        problems.append(f"organizations differ from the log: {sorted(set(organizations) ^ set(stored_orgs))[:5]}")
    stored_agreements = {row[0]: (row[1], row[2]) for row in c.execute("SELECT id, organization, signed_on FROM agreement")}
    if agreements != stored_agreements:
        problems.append(f"agreements differ from the log: {sorted(set(agreements) ^ set(stored_agreements))[:5]}")

    assert not problems, f"{len(problems)} inconsistencies (half-applied transactions):\n" + "\n".join(problems[:20])
    return {"events": len(events), "members": len(stored_members), "consents": len(stored_consents),
            "withdrawn": sum(1 for v in stored_consents.values() if v[2] is not None),
            "organizations": len(stored_orgs), "agreements": len(stored_agreements)}


def uncommitted_wal_frames(path: Path) -> int:
    """How many frames of the current WAL follow its last commit frame: a transaction
    that the kill interrupted while SQLite was writing it (recovery must ignore them)."""
    wal = Path(str(path) + "-wal")
    data = wal.read_bytes() if wal.exists() else b""
    if len(data) < 32:
        return 0
    page_size = int.from_bytes(data[8:12], "big")
    salts = data[16:24]
    frames = since_commit = 0
    offset = 32
    while offset + 24 + page_size <= len(data):
        header = data[offset:offset + 24]
        if header[8:16] != salts:
            break  # a frame of an earlier round of the WAL
        frames += 1
        since_commit = 0 if int.from_bytes(header[4:8], "big") else since_commit + 1
        offset += 24 + page_size
    return since_commit


def assert_writable(path: Path) -> None:
    """The database still accepts a write (two transactions) and its log still verifies."""
    with cds.open(path, busy_timeout_ms=5000, trusted=True) as db:
        member = db.member.create(name="Après la panne", gender="x", roles=["diaspora"], residence_country="BE",
                                  consents=[{"purpose": "contact", "version": "2026-01"}])
        db.consent.withdraw(member=member["id"], purpose="contact")
        assert db.member.get(id=member["id"])["consents"][0]["withdrawn_at"] is not None
        assert db.audit.verify()["ok"] is True


# --------------------------------------------------------------------------------------
# 1. Crash safety: SIGKILL in the middle of a stream of writes
# --------------------------------------------------------------------------------------

#: The killed writer: argv = binding dir, db path, acknowledgement log, seed. It prints
#: "writing" when its loop starts, then writes as fast as it can, appending one line per
#: acknowledged call to the acknowledgement log (plain write(2): survives SIGKILL).
WRITER = r'''
import os, random, sys
sys.path.insert(0, sys.argv[1])
import cds

path, ack_path, seed = sys.argv[2], sys.argv[3], int(sys.argv[4])
rng = random.Random(seed)
db = cds.open(path, busy_timeout_ms=5000, trusted=True)

communes = [t["code"] for t in db.pages("territory.list", level="commune", limit=1000)]
organizations = list(db.pages("organization.list", kind="commune", limit=1000))
used = {o["territory"] for o in organizations}
free_communes = [code for code in communes if code not in used]
rng.shuffle(free_communes)
signed = {a["organization"] for a in db.pages("agreement.list", limit=1000)}
unsigned = [o["id"] for o in organizations if o["id"] not in signed]
org_ids = [o["id"] for o in organizations]
skills = [s["code"] for s in db.reference.list(dataset="skills", limit=300)["items"]]
LANGUAGES = ["fr", "ar", "ary", "en", "es", "nl", "de", "it"]
COUNTRIES = ["FR", "BE", "NL", "ES", "IT", "DE", "CA", "MA"]
CITIES = ["Lyon", "Marseille", "Bruxelles", "Anvers", "Utrecht", "Madrid", "Turin", None]
PURPOSES = ["processing", "contact", "publication"]

members = {}  # id -> {purpose: in force?}
for m in db.member.list(limit=200)["items"]:
    members[m["id"]] = {c["purpose"]: c["withdrawn_at"] is None for c in m["consents"]}
member_ids = list(members)

ack = os.open(ack_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
def done(method, ident):
    os.write(ack, ("%s %s\n" % (method, ident)).encode())

def create_member(i):
    consents = [{"purpose": p, "version": "2026-0%d" % rng.randint(1, 3)} for p in PURPOSES if rng.random() < 0.6]
    params = dict(
        name="Membre %d-%d" % (seed, i), gender=rng.choice(["f", "m", "x", "undisclosed"]),
        roles=rng.sample(["diaspora", "local_actor"], rng.randint(1, 2)),
        residence_country=rng.choice(COUNTRIES), residence_city=rng.choice(CITIES),
        origin=rng.choice(communes), languages=rng.sample(LANGUAGES, rng.randint(0, 3)),
        skills=rng.sample(skills, rng.randint(0, 3)), consents=consents,
        email="m%d.%d@example.org" % (seed, i),
    )
    params["heart_diaspora"] = "diaspora" in params["roles"] and rng.random() < 0.2
    if params["residence_city"] is None:
        del params["residence_city"]  # null only clears, in an update
    if org_ids and rng.random() < 0.3:
        params["organizations"] = [{"organization": rng.choice(org_ids), "role": "membre"}]
    m = db.member.create(params)
    members[m["id"]] = {c["purpose"]: True for c in consents}
    member_ids.append(m["id"])
    done("member.create", m["id"])

def update_member(i):
    member = rng.choice(member_ids)
    change = rng.choice([
        {"residence_city": rng.choice(CITIES)},
        {"languages": rng.sample(LANGUAGES, rng.randint(0, 4)), "phone": "+33 6 %08d" % i},
        {"name": "Membre renommé %d-%d" % (seed, i), "skills": rng.sample(skills, rng.randint(0, 2))},
        {"organizations": [{"organization": o, "role": "membre"} for o in rng.sample(org_ids, min(len(org_ids), 2))]},
    ])
    db.member.update(id=member, **change)
    done("member.update", member)

def withdraw_consent(i):
    choices = [(m, p) for m in member_ids[-50:] for p, on in members[m].items() if on]
    if not choices:
        return create_member(i)
    member, purpose = rng.choice(choices)
    db.consent.withdraw(member=member, purpose=purpose)
    members[member][purpose] = False
    done("consent.withdraw", member)

def give_consent(i):
    member = rng.choice(member_ids[-50:])
    purpose = rng.choice(PURPOSES)
    db.consent.give(member=member, purpose=purpose, version="2026-04")
    members[member][purpose] = True
    done("consent.give", member)

def sign_agreement(i):
    organization = unsigned.pop()
    year = rng.randint(2020, 2026)
    a = db.agreement.sign(organization=organization, signed_on="%d-%02d-%02d" % (year, rng.randint(1, 12), rng.randint(1, 28)))
    done("agreement.sign", a["id"])

def create_commune(i):
    if not free_communes:
        return update_member(i)
    o = db.organization.create(kind="commune", territory=free_communes.pop())
    org_ids.append(o["id"])
    done("organization.create", o["id"])
    if rng.random() < 0.7:
        unsigned.append(o["id"])
        sign_agreement(i)
    else:
        unsigned.insert(0, o["id"])

def batch_members(i):
    # Several members in one transaction, all or nothing: the names are logged before the
    # call, so that after a kill the test can count how many of them exist (none or all).
    names = ["Lot %d-%d-%d" % (seed, i, k) for k in range(rng.randint(2, 8))]
    os.write(ack, ("pending %s\n" % "|".join(names)).encode())
    answer = db.call("batch", calls=[
        {"method": "member.create", "params": {"name": name, "gender": "f", "roles": ["diaspora"], "residence_country": rng.choice(COUNTRIES)}}
        for name in names])
    ids = [r["id"] for r in answer["results"]]
    for m in ids:
        members[m] = {}
        member_ids.append(m)
    done("batch", ",".join(ids))

sys.stdout.write("writing\n")
sys.stdout.flush()
i = 0
while True:
    i += 1
    r = rng.random()
    try:
        if not member_ids or r < 0.40:
            create_member(i)
        elif r < 0.68:
            update_member(i)
        elif r < 0.82:
            withdraw_consent(i)
        elif r < 0.93:
            give_consent(i)
        elif r < 0.96 and unsigned:
            sign_agreement(i)
        elif r < 0.985:
            batch_members(i)
        else:
            create_commune(i)
    except cds.Error as error:
        done("error", "%s %s" % (error.code, str(error).replace("\n", " ")))
        raise
'''


def test_a_writer_killed_at_any_moment_leaves_an_intact_consistent_writable_database(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    kept = tmp_path / "last-crash"  # the raw files just after the last kill, for a reproduction
    stats = Counter()
    started = time.monotonic()
    trial = 0
    for file_number in range(FILES):
        path = tmp_path / f"crash-{file_number}.sqlite"
        with cds.open(path, trusted=True) as db:  # created and migrated before the first kill
            assert db.audit.verify()["ok"] is True
        before = 0
        for _ in range(TRIALS_PER_FILE):
            trial += 1
            child_seed = rng.randrange(1 << 30)
            delay = rng.uniform(MIN_DELAY, MAX_DELAY)
            where = f"trial {trial} (file {path.name}, child seed {child_seed}, delay {delay * 1000:.0f} ms)"
            ack_path = tmp_path / f"ack-{trial}.log"

            process = subprocess.Popen(
                [sys.executable, "-c", WRITER, str(BINDING_DIR), str(path), str(ack_path), str(child_seed)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env(),
            )
            try:
                ready, _, _ = select.select([process.stdout], [], [], 30)
                line = process.stdout.readline() if ready else b""
                assert line == b"writing\n", (
                    f"{where}: the writer did not start: {line!r}\n{process.stderr.read().decode()[-4000:] if process.poll() is not None else ''}")
                time.sleep(delay)
                if process.poll() is not None:
                    pytest.fail(f"{where}: the writer died before the kill (exit {process.returncode}):\n"
                                f"{process.stderr.read().decode()[-4000:]}\n{ack_path.read_text()[-2000:]}")
                os.kill(process.pid, signal.SIGKILL)
                assert process.wait(30) == -signal.SIGKILL
            finally:
                if process.poll() is None:
                    process.kill()
                    process.wait()
                process.stdout.close()
                process.stderr.close()

            stats["kills inside a commit (uncommitted WAL frames)"] += uncommitted_wal_frames(path) > 0
            shutil.rmtree(kept, ignore_errors=True)
            kept.mkdir()
            for file in path.parent.glob(path.name + "*"):
                shutil.copy2(file, kept / file.name)
            where += f"; the files as the kill left them: {kept}"

            lines = ack_path.read_text().splitlines() if ack_path.exists() else []
            # A batch logs its member names before the call ("pending …") and its ids after.
            pending = [line.split(" ", 1)[1].split("|") for line in lines if line.startswith("pending ")]
            acks = [line for line in lines if not line.startswith("pending ")]
            batches = [line.split(" ", 1)[1].split(",") for line in acks if line.startswith("batch ")]
            errors = [line for line in acks if line.startswith("error ")]
            assert not errors, f"{where}: a write failed in the writer: {errors}"

            # The file as the kill left it, read by SQLite alone (before the library recovers it).
            assert integrity(path) == "ok", f"{where}: integrity_check before reopening: {integrity(path)}"

            # The library reopens it (recovering the WAL) and its event log verifies.
            with cds.open(path, busy_timeout_ms=5000, trusted=True) as db:
                audit = db.audit.verify()
                assert audit["ok"] is True, f"{where}: audit.verify after the kill: {audit}"
                # Every acknowledged creation is there (a committed call is durable).
                for line in acks:
                    method, ident = line.split(" ", 1)
                    if method == "member.create":
                        db.member.get(id=ident)
                    elif method == "organization.create":
                        db.organization.get(id=ident)
                    elif method == "agreement.sign":
                        db.agreement.get(id=ident)
                    elif method == "batch":
                        for m in ident.split(","):
                            db.member.get(id=m)
                # The batch the kill may have caught is all there or not at all.
                if len(pending) > len(batches):
                    names = pending[-1]
                    found = sum(1 for name in names if any(m["name"] == name for m in db.pages("member.list", q=name, limit=1000)))
                    assert found in (0, len(names)), f"{where}: a killed batch left {found} of its {len(names)} members"
                    stats["batches caught by the kill, all or nothing"] += 1
                    stats["  of which committed"] += found == len(names)

            assert integrity(path) == "ok", f"{where}: integrity_check after reopening: {integrity(path)}"
            try:
                counts = check_consistency(path)
            except AssertionError as error:
                raise AssertionError(f"{where}: {error}") from None
            assert counts["events"] == audit["events"]

            # Each acknowledged call committed one event (a batch one per member); at most one
            # more call committed and was killed before it returned (a batch: all its events).
            added = counts["events"] - before
            acked = len(acks) - len(batches) + sum(len(b) for b in batches)
            in_flight = {0, 1} if len(pending) == len(batches) else {0, len(pending[-1])}
            assert added - acked in in_flight, (
                f"{where}: {acked} acknowledged events but {added} new events (in flight: {sorted(in_flight)})")
            stats["batches acknowledged"] += len(batches)
            stats["trials"] += 1
            stats["acknowledged writes"] += len(acks)
            stats["trials that wrote"] += added > 0
            stats["committed but killed before returning"] += added > acked

            assert_writable(path)
            before = counts["events"] + 2
        for key, value in counts.items():
            stats[f"file {file_number}: {key}"] = value

    elapsed = time.monotonic() - started
    print(f"\ncrash safety: {stats['trials']} SIGKILL trials in {elapsed:.1f} s (seed {SEED}); {dict(stats)}")
    assert stats["trials"] >= 100
    assert stats["trials that wrote"] >= 0.9 * stats["trials"], "the kills must land while the writer writes"


# --------------------------------------------------------------------------------------
# 2. Storage faults
# --------------------------------------------------------------------------------------


def make_database(path: Path, members: int = 3) -> List[str]:
    """A database with a few members (one with consents) and a commune with an agreement."""
    ids = []
    with cds.open(path, trusted=True) as db:
        for n in range(members):
            ids.append(db.member.create(name=f"Membre {n}", gender="f", roles=["diaspora"], residence_country="FR",
                                        consents=[{"purpose": "processing", "version": "2026-01"}])["id"])
        commune = db.organization.create(kind="commune", territory="09.541.11.33")
        db.agreement.sign(organization=commune["id"], signed_on="2026-01-15")
    return ids


def assert_every_write_is_refused_with_storage(db: cds.Database, member: str) -> None:
    attempts = {
        "member.create": lambda: db.member.create(name="Refusé", gender="m", roles=["diaspora"], residence_country="BE"),
        "member.update": lambda: db.member.update(id=member, residence_city="Gand"),
        "consent.withdraw": lambda: db.consent.withdraw(member=member, purpose="processing"),
        "organization.create": lambda: db.organization.create(kind="commune", territory="09.581.03.03"),
    }
    for method, attempt in attempts.items():
        with pytest.raises(cds.StorageError) as caught:
            attempt()
        assert caught.value.code == "storage", method


def test_a_read_only_open_refuses_every_write_with_storage_and_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "cds.sqlite"
    ids = make_database(path)
    digest = sha256(path)
    with cds.open(path, read_only=True, trusted=True) as db:
        assert_every_write_is_refused_with_storage(db, ids[0])
        # Reads work, before and after the refusals.
        assert db.member.get(id=ids[0])["residence_city"] is None
        assert len(db.member.list()["items"]) == 3
        assert db.audit.verify() == {
            "ok": True, "events": 5, "first_broken": None, "reason": None, "redacted": 0,
        }
    assert sha256(path) == digest, "a read-only open changed the file"
    assert integrity(path) == "ok"
    check_consistency(path)


#: Runs as user nobody (the library loaded first, as root): argv = binding dir, db path.
AS_NOBODY = r'''
import json, os, sys
sys.path.insert(0, sys.argv[1])
import cds
cds.version()  # loads the library while its folder is still readable
try:
    os.setgroups([]); os.setgid(65534); os.setuid(65534)
except OSError as error:
    print(json.dumps({"skip": "cannot become nobody: %s" % error})); sys.exit(0)
path = sys.argv[2]
report = {"uid": os.getuid(), "writable": os.access(path, os.W_OK), "readable": os.access(path, os.R_OK)}

def attempt(read_only):
    out = {}
    try:
        db = cds.open(path, read_only=read_only, trusted=True)
    except cds.Error as error:
        return {"open": [type(error).__name__, error.code, str(error)]}
    try:
        writes = []
        for call in (lambda: db.member.create(name="Refusé", gender="m", roles=["diaspora"], residence_country="BE"),
                     lambda: db.consent.withdraw(member=db.member.list()["items"][0]["id"], purpose="processing")):
            try:
                call()
                writes.append("WRITTEN")
            except cds.Error as error:
                writes.append([type(error).__name__, error.code, str(error)])
        out["writes"] = writes
        try:
            out["members"] = len(db.member.list()["items"])
            out["audit"] = db.audit.verify()["ok"]
        except cds.Error as error:
            out["reads"] = [type(error).__name__, error.code, str(error)]
    finally:
        db.close()
    return out

report["read_write"] = attempt(False)
report["read_only"] = attempt(True)
print(json.dumps(report))
'''


def permission_case(directory_mode: int, side_files: bool) -> Dict[str, Any]:
    """A database file 0444 owned by root, in a directory of `directory_mode` owned by
    nobody (0o755) or root (0o555), opened by user nobody; returns nobody's report.

    `side_files`: whether the empty ``-wal`` and ``-shm`` files a reader leaves behind are
    there (root's, 0644), or the database file is alone (as the library leaves it).
    """
    if os.geteuid() != 0:
        pytest.skip("needs root to run a child as user nobody (and root ignores file permissions)")
    folder = Path(tempfile.mkdtemp(prefix="cds-permissions-"))  # in /tmp: nobody can reach it
    try:
        path = folder / "cds.sqlite"
        make_database(path)
        assert sorted(os.listdir(folder)) == ["cds.sqlite"]  # the library checkpoints and cleans up on close
        shutil.copy2(path, folder / "reference.sqlite")
        before_digest, before_dump = sha256(path), logical_dump(folder / "reference.sqlite")
        if side_files:
            integrity(path)  # sqlite3 read-only leaves empty -wal and -shm behind
            assert {"cds.sqlite-wal", "cds.sqlite-shm"} <= set(os.listdir(folder))
        os.chmod(path, 0o444)
        if directory_mode == 0o755:
            os.chown(folder, 65534, 65534)
        os.chmod(folder, directory_mode)
        result = run_child(AS_NOBODY, BINDING_DIR, path)
        report = last_json_line(result)
        if "skip" in report:
            pytest.skip(report["skip"])
        assert report["uid"] == 65534 and report["readable"] and not report["writable"], report
        os.chmod(folder, 0o755)
        assert sha256(path) == before_digest, f"the read-only file was changed: {report}"
        assert logical_dump(path) == before_dump
        assert integrity(path) == "ok"
        return report
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(folder, ignore_errors=True)


def assert_refused_with_storage(outcome: Any) -> None:
    assert isinstance(outcome, list) and outcome[:2] == ["StorageError", "storage"], outcome


@pytest.mark.parametrize("side_files", [False, True], ids=["alone", "with-wal-and-shm"])
def test_a_file_without_write_permission_refuses_writes_with_storage_and_reads_read_only(side_files: bool) -> None:
    report = permission_case(0o755, side_files)
    # Opened for writing: refused with storage (at open, since opening migrates), or
    # every write refused with storage.
    read_write = report["read_write"]
    if "open" in read_write:
        assert_refused_with_storage(read_write["open"])
    else:
        for outcome in read_write["writes"]:
            assert_refused_with_storage(outcome)
    # Opened read-only: every write refused with storage, reads work.
    read_only = report["read_only"]
    assert "open" not in read_only, f"a read-only open of a readable file failed: {read_only}"
    for outcome in read_only["writes"]:
        assert_refused_with_storage(outcome)
    assert read_only["members"] == 3 and read_only["audit"] is True, read_only


@pytest.mark.parametrize("side_files", [False, True], ids=["alone", "with-wal-and-shm"])
def test_a_file_in_a_read_only_directory_is_never_written_and_refusals_are_storage(side_files: bool) -> None:
    report = permission_case(0o555, side_files)
    for mode in ("read_write", "read_only"):
        outcome = report[mode]
        if "open" in outcome:
            assert_refused_with_storage(outcome["open"])
        else:
            for write in outcome["writes"]:
                assert_refused_with_storage(write)
            assert outcome.get("audit") is True, outcome
    print(f"\nread-only directory ({'with' if side_files else 'without'} -wal/-shm), as nobody: {report}")


#: Writes members until the first error: argv = binding dir, db path, RLIMIT_FSIZE (0: none).
FILL = r'''
import json, os, resource, signal, sys
sys.path.insert(0, sys.argv[1])
import cds
cds.version()
limit = int(sys.argv[3])
if limit:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes beyond the limit fail with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
db = cds.open(sys.argv[2], trusted=True)
before = len(list(db.pages("member.list", limit=1000)))
written, error = [], None
for i in range(20000):
    try:
        m = db.member.create(name="Membre %d " % i + "x" * 150, gender="f", roles=["diaspora", "local_actor"],
                             residence_country="FR", languages=["fr", "ar"], skills=["2142"],
                             consents=[{"purpose": "processing", "version": "2026-01"}])
        written.append(m["id"])
        if i % 3 == 0:
            db.consent.withdraw(member=m["id"], purpose="processing")
            written.append("withdrawn")
    except cds.Error as e:
        error = [type(e).__name__, e.code, str(e), e.details]
        break
report = {"before": before, "written": [w for w in written if w != "withdrawn"], "error": error,
          "withdrawals": written.count("withdrawn")}
# Still alive: reads work, and a second write is refused the same way.
report["members_read"] = len(list(db.pages("member.list", limit=1000)))
report["last_read"] = db.member.get(id=report["written"][-1])["id"] if report["written"] else None
report["audit"] = db.audit.verify()
# A later, smaller write may fit in what is left, or be refused the same way.
try:
    report["again"] = db.member.create(name="Encore", gender="m", roles=["diaspora"], residence_country="BE")["id"]
except cds.Error as e:
    report["again"] = [type(e).__name__, e.code, str(e)]
db.close()
print(json.dumps(report))
'''


def check_filled(report: Dict[str, Any], path: Path) -> None:
    written = report["written"]
    assert written, f"no write succeeded before the disk was full: {report}"
    assert_refused_with_storage(report["error"])
    assert report["members_read"] == report["before"] + len(written), report
    assert report["last_read"] == written[-1]
    if isinstance(report["again"], str):  # it fitted: then it is stored like the others
        written = written + [report["again"]]
    else:
        assert_refused_with_storage(report["again"])
    assert report["audit"]["ok"] is True, report["audit"]

    assert integrity(path) == "ok"
    counts = check_consistency(path)
    # Nothing of the refused write is stored, everything acknowledged is.
    assert counts["members"] == report["before"] + len(written)
    connection = ro_connect(path)
    try:
        stored = {row[0] for row in connection.execute("SELECT id FROM member")}
    finally:
        connection.close()
    assert set(written) <= stored
    with cds.open(path, trusted=True) as db:
        assert db.audit.verify()["ok"] is True
    assert_writable(path)
    assert integrity(path) == "ok"
    check_consistency(path)


def test_a_full_disk_file_size_limit_answers_storage_and_corrupts_nothing(tmp_path: Path) -> None:
    path = tmp_path / "cds.sqlite"
    make_database(path)
    limit = path.stat().st_size + 256 * 1024
    report = last_json_line(run_child(FILL, BINDING_DIR, path, limit))
    print(f"\nRLIMIT_FSIZE {limit} bytes: {len(report['written'])} members written, then {report['error'][:3]}")
    check_filled(report, path)


def test_a_full_tmpfs_answers_storage_and_corrupts_nothing(tmp_path: Path) -> None:
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    source = tmp_path / "cds.sqlite"
    make_database(source)
    size_kib = (source.stat().st_size + 512 * 1024) // 1024
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip() or mounted.returncode}")
    try:
        path = mount_point / "cds.sqlite"
        shutil.copy2(source, path)
        report = last_json_line(run_child(FILL, BINDING_DIR, path, 0))
        print(f"\ntmpfs of {size_kib} KiB: {len(report['written'])} members written, then {report['error'][:3]}")
        # On the full disk, read by SQLite alone.
        assert integrity(path) == "ok"
        check_consistency(path)
        # Then with room again.
        remount = subprocess.run(["mount", "-o", "remount,size=64m", str(mount_point)], capture_output=True, text=True)
        assert remount.returncode == 0, remount.stderr
        check_filled(report, path)
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


@pytest.mark.parametrize("content", ["random bytes", "text", "random bytes after a SQLite header"])
@pytest.mark.parametrize("read_only", [False, True])
def test_a_file_that_is_not_a_database_is_refused_with_storage_and_left_alone(
        tmp_path: Path, content: str, read_only: bool) -> None:
    path = tmp_path / "not-a-database.sqlite"
    noise = random.Random(f"{SEED}-{content}").randbytes(64 * 1024)
    data = {
        "random bytes": noise,
        "text": ("Liste des membres de la CDS, à ne pas confondre avec une base.\n" * 500).encode(),
        "random bytes after a SQLite header": b"SQLite format 3\x00" + noise[16:],
    }[content]
    path.write_bytes(data)
    with pytest.raises(cds.StorageError) as caught:
        cds.open(path, read_only=read_only, trusted=True)
    assert caught.value.code == "storage"
    assert path.read_bytes() == data, "the library wrote into a file that is not its database"
    # The process is fine and the library still works.
    with cds.open(tmp_path / "fine.sqlite", trusted=True) as db:
        assert db.audit.verify()["ok"] is True


@pytest.mark.parametrize("read_only", [False, True])
def test_a_database_from_a_newer_schema_is_refused_with_storage_and_left_unchanged(
        tmp_path: Path, read_only: bool) -> None:
    path = tmp_path / "cds.sqlite"
    make_database(path)
    connection = sqlite3.connect(path)
    connection.execute("INSERT INTO grdb_migrations(identifier) VALUES ('v99-future')")
    connection.commit()
    connection.close()
    dump, digest = logical_dump(path), sha256(path)
    migrations = [row for row in dump if "grdb_migrations" in row]

    with pytest.raises(cds.StorageError) as caught:
        cds.open(path, read_only=read_only, trusted=True)
    assert caught.value.code == "storage"
    assert "newer" in str(caught.value)

    assert logical_dump(path) == dump, "the refused database's schema or rows changed"
    assert [row for row in logical_dump(path) if "grdb_migrations" in row] == migrations
    if read_only:
        assert sha256(path) == digest, "a read-only open of a refused database changed its bytes"
    assert integrity(path) == "ok"
    # A second attempt says the same.
    with pytest.raises(cds.StorageError):
        cds.open(path, trusted=True)
