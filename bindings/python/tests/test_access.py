"""The access control through the Python door: a handle not opened ``trusted`` acts as each
call's actor; ``acting_as`` carries her on every call; a refusal is a ForbiddenError with
the rule's key. (Which method each role may call is the Swift suite's access matrix.)"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import cds
from support import NOW, new_member


@pytest.fixture
def world(db: cds.Database, db_path: Path):
    """A trusted handle's members, and a portal's handle (not trusted) on the same file."""
    amina = new_member(db, email="amina@example.org", phone="+33 6 00 00 00 01", residence_city="Lyon",
                       consents=[{"purpose": "processing", "version": "1"}])
    naima = new_member(db, name="Naima", consents=[{"purpose": "publication", "version": "1"}])
    facilitator = new_member(db, name="Samira", roles=["facilitator"], residence_country="MA")
    portal = cds.open(db_path, now=NOW, busy_timeout_ms=5000)
    try:
        yield portal, amina["id"], naima["id"], facilitator["id"]
    finally:
        portal.close()


def test_a_refusal_is_a_forbidden_error_with_the_rule_key(world) -> None:
    portal, amina, _, _ = world
    with pytest.raises(cds.ForbiddenError) as refused:
        portal.member.export(id=amina)
    assert refused.value.code == "forbidden"
    assert refused.value.details["rule"] == "member.export"
    assert refused.value.details["as"] == "anonymous"
    assert "amina@example.org" not in str(refused.value)


def test_acting_as_carries_the_actor_on_every_call(world) -> None:
    portal, amina, naima, facilitator = world
    me = portal.acting_as(amina)
    assert me.actor == amina
    assert me.member.get(id=amina)["email"] == "amina@example.org"
    assert me.call("member.export", {"id": amina})["member"]["id"] == amina
    other = portal.acting_as(naima).member.get(id=naima)
    assert other["id"] == naima
    with pytest.raises(cds.ForbiddenError):
        portal.acting_as(naima).member.export(id=amina)
    assert portal.acting_as(facilitator).member.get(id=amina)["phone"] == "+33 6 00 00 00 01"


def test_a_view_refuses_an_actor_given_to_one_of_its_calls(world) -> None:
    portal, amina, naima, _ = world
    with pytest.raises(ValueError):
        portal.acting_as(naima).member.export(id=amina, actor=amina)
    with pytest.raises(TypeError):
        portal.acting_as(42)  # type: ignore[arg-type]


def test_pages_as_an_anonymous_visitor_leave_out_and_redact(world) -> None:
    portal, amina, naima, _ = world
    seen = list(portal.acting_as(None).pages("member.list", limit=1))
    assert [m["id"] for m in seen] == [naima]   # the only one consenting to publication
    assert all("email" not in m for m in seen)
    page = portal.member.list(limit=100)
    assert page["withheld"] == 2


def test_an_unknown_or_erased_actor_is_refused(world, db: cds.Database) -> None:
    portal, amina, _, _ = world
    with pytest.raises(cds.ForbiddenError) as unknown:
        portal.acting_as("mbr_nobody").meta.version()
    assert unknown.value.details["rule"] == "actor.unknown"
    db.member.erase(id=amina)
    with pytest.raises(cds.ForbiddenError) as erased:
        portal.acting_as(amina).member.get(id=amina)
    assert erased.value.details["rule"] == "actor.erased"


def test_views_of_several_members_share_one_handle_across_threads(world) -> None:
    portal, amina, naima, _ = world
    errors: list[BaseException] = []

    def read(actor: str, n: int) -> None:
        me = portal.acting_as(actor)
        try:
            for _ in range(n):
                assert me.member.get(id=actor)["id"] == actor
                with pytest.raises(cds.ForbiddenError):
                    me.member.export(id=naima if actor == amina else amina)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=read, args=(a, 50)) for a in (amina, naima) * 4]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
