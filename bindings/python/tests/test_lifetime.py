"""Opening, closing, reopening, and calls from several threads."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import cds

from support import NOW, count, new_member


def test_a_reopened_file_finds_the_member_and_its_events(db_path: Path) -> None:
    with cds.open(db_path, now=NOW, trusted=True) as db:
        member = new_member(db, origin="09.541.11.33")
        db.member.update(id=member["id"], residence_city="Lyon")

    with cds.open(db_path, now=NOW, trusted=True) as db:
        again = db.member.get(id=member["id"])
        assert again["name"] == member["name"]
        assert again["residence_city"] == "Lyon"
        events = db.event.list(subject=member["id"])["items"]
        assert len(events) >= 2
        assert all(event["subject"] == member["id"] for event in events)
        assert events[0]["occurred_at"].startswith("2026-03-01T09:00:00")  # the fixed clock
        assert db.event.list()["items"]
        assert db.audit.verify()["ok"] is True


def test_snapshot_after_events_reaches_the_store_and_the_next_open_reads_the_snapshots(db_path: Path) -> None:
    import sqlite3

    with cds.open(db_path, now=NOW, trusted=True, snapshot_after_events=1) as db:
        new_member(db, origin="09.541.11.33")
        figures = db.indicators.compute(territory="09.541.11.33", as_of="2026-03-01")
        db.match.member(member=db.member.list()["items"][0]["id"], k=3)
    with sqlite3.connect(db_path) as raw:
        engines = {row[0] for row in raw.execute("SELECT engine FROM engine_snapshot")}
    assert engines == {"indicators", "matcher"}
    with cds.open(db_path, now=NOW, trusted=True) as db:
        assert db.indicators.compute(territory="09.541.11.33", as_of="2026-03-01") == figures
    with pytest.raises(cds.InvalidParamsError):
        cds.open(db_path, snapshot_after_events=-1)


def test_a_store_opened_without_the_option_writes_no_snapshot_for_a_few_events(db_path: Path) -> None:
    import sqlite3

    with cds.open(db_path, now=NOW, trusted=True) as db:
        new_member(db)
        db.indicators.compute(territory="09.541.11.33", as_of="2026-03-01")
    with sqlite3.connect(db_path) as raw:
        assert raw.execute("SELECT count(*) FROM engine_snapshot").fetchone() == (0,)


def test_a_read_only_database_reads_but_refuses_writes(db_path: Path) -> None:
    with cds.open(db_path, now=NOW, trusted=True) as db:
        member = new_member(db)
    with cds.open(db_path, read_only=True, trusted=True) as db:
        assert db.member.get(id=member["id"])["id"] == member["id"]
        with pytest.raises(cds.StorageError):
            new_member(db, name="Youssef")
    with cds.open(db_path, trusted=True) as db:
        assert count(db, "member.list") == 1


def test_the_context_manager_closes_the_database(db_path: Path) -> None:
    with cds.open(db_path, trusted=True) as db:
        assert not db.closed
        db.meta.version()
    assert db.closed
    with pytest.raises(cds.ClosedError):
        db.meta.version()


def test_a_call_after_close_raises_closed_error(db_path: Path) -> None:
    db = cds.open(db_path, trusted=True)
    db.close()
    with pytest.raises(cds.ClosedError) as caught:
        db.call("territory.get", code="09.541.11.33")
    assert caught.value.code == "closed"
    assert isinstance(caught.value, cds.Error)
    with pytest.raises(cds.ClosedError):
        db.member.list()


def test_close_is_idempotent(db_path: Path) -> None:
    db = cds.open(db_path, trusted=True)
    db.close()
    db.close()
    assert db.closed


def test_a_forgotten_database_is_closed_by_the_garbage_collector(db_path: Path) -> None:
    import gc
    import weakref

    db = cds.open(db_path, trusted=True)
    new_member(db)
    ref = weakref.ref(db)
    del db
    gc.collect()
    assert ref() is None
    with cds.open(db_path, trusted=True) as db:
        assert count(db, "member.list") == 1


def test_eight_threads_reading_and_writing_one_database_all_succeed(db: cds.Database) -> None:
    threads_count, rounds = 8, 12
    errors: list = []
    created: list = []
    lock = threading.Lock()
    start = threading.Barrier(threads_count)

    def work(index: int) -> None:
        try:
            start.wait()
            for round_ in range(rounds):
                member = new_member(db, name=f"Membre {index}-{round_}", origin="09.541.11.33")
                with lock:
                    created.append(member["id"])
                assert db.member.get(id=member["id"])["name"] == f"Membre {index}-{round_}"
                assert db.territory.get(code="09.541.11.33")["name"]["fr"] == "Talmakante"
                db.member.list(origin="09.541", limit=50)
                if round_ % 3 == 0:
                    db.member.update(id=member["id"], residence_city=f"Ville {index}")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert len(created) == len(set(created)) == threads_count * rounds
    assert count(db, "member.list") == threads_count * rounds
    assert {item["id"] for item in db.pages("member.list", origin="09.541")} == set(created)
    assert db.audit.verify()["ok"] is True


def test_closing_while_other_threads_call_never_crashes(db_path: Path) -> None:
    db = cds.open(db_path, busy_timeout_ms=5000, trusted=True)
    outcomes: list = []
    lock = threading.Lock()
    started = threading.Barrier(5)

    def call_until_closed() -> None:
        started.wait()
        for _ in range(200):
            try:
                db.territory.get(code="09.541.11.33")
                result = "ok"
            except cds.ClosedError:
                result = "closed"
            except BaseException as error:  # noqa: BLE001 - reported below
                result = repr(error)
            with lock:
                outcomes.append(result)
            if result == "closed":
                return

    threads = [threading.Thread(target=call_until_closed) for _ in range(4)]
    for thread in threads:
        thread.start()
    started.wait()
    db.close()
    for thread in threads:
        thread.join(timeout=120)
    assert set(outcomes) <= {"ok", "closed"}, set(outcomes)
    assert db.closed


def _matching_world(db: cds.Database) -> None:
    """Enough offers and needs that match.all does real work."""
    project = db.project.create(title={"fr": "Eau"}, communes=["09.581.03.03"], sector="EAU")["id"]
    skills = ["2142", "2411", "3112", "3113", "7411", "2341"]
    for n in range(100):
        db.need.create(project=project, kind="skill", description=f"Besoin {n}", skills=[skills[n % 6]],
                       quantity={"unit": "person_days", "amount": 5})
    for n in range(120):
        member = new_member(db, name=f"Membre {n}", origin="09.581.03.03",
                            consents=[{"purpose": "processing", "version": "1"}, {"purpose": "contact", "version": "1"}])
        db.offer.create(member=member["id"], kind="skill", description=f"Offre {n}", skills=[skills[n % 6]],
                        capacity={"unit": "person_days", "amount": 10}, remote=True, contact_consent=True)


def test_interrupt_from_another_thread_stops_a_long_match_all(db: cds.Database) -> None:
    _matching_world(db)
    events = db.audit.verify()["events"]
    stop = threading.Event()

    def interrupter() -> None:
        while not stop.is_set():
            db.interrupt()

    thread = threading.Thread(target=interrupter)
    thread.start()
    outcomes: dict = {}
    try:
        for _ in range(300):
            try:
                db.match.all(k=10)
                outcomes["ok"] = outcomes.get("ok", 0) + 1
            except cds.InterruptedCallError as error:
                assert error.code == "interrupted"
                outcomes["interrupted"] = outcomes.get("interrupted", 0) + 1
                if outcomes["interrupted"] >= 3:
                    break
    finally:
        stop.set()
        thread.join(timeout=60)
    assert outcomes.get("interrupted", 0) >= 1, outcomes
    assert len(db.match.all(k=10)["needs"]) == 100, "a call made after the interrupts runs as usual"
    audit = db.audit.verify()
    assert audit["ok"] is True and audit["events"] == events, "the interrupted reads wrote nothing"


def test_interrupt_on_an_idle_or_closed_database_does_nothing(db_path: Path) -> None:
    database = cds.open(db_path, trusted=True)
    database.interrupt()
    assert database.meta.version()["abi"] == 1
    database.close()
    database.interrupt()
