"""The portal's learning spaces: joining, discussions, and the facilitator's moderation of
held and flagged posts (Flask's test client over the real library). Each test is named after
the rule it proves."""
from __future__ import annotations

import re

import cds


def library(demo: dict):
    return cds.open(demo["db"], trusted=True)      # the tests set up and look at what was stored


def water_space(demo: dict, access: str = "open") -> str:
    with library(demo) as lib:
        s = lib.space.create(kind="thematic", name="Eau potable et irrigation", theme="water", languages=["fr", "ar"],
                             access=access, actor=demo["facilitator"])
        lib.space.add_member(space=s["id"], member=demo["facilitator"], role="facilitator", actor=demo["facilitator"])
    return s["id"]


def post_ids(html: str) -> list[tuple[str, str]]:
    return re.findall(r'id="post-([^"]+)" data-state="([a-z]+)"', html)


def test_a_new_participants_first_post_waits_for_a_facilitator_and_no_visitor_reads_it_until_she_lets_it_through(portal, make_portal, demo):
    sid = water_space(demo)
    portal.login("brahim")
    assert 'id="join"' in portal.get(f"/spaces/{sid}").get_data(as_text=True)
    assert portal.post(f"/spaces/{sid}", {"action": "join"}).status_code == 302
    r = portal.post(f"/spaces/{sid}", {"title": "Pompe solaire", "body": "Quelle pompe pour un puits de 60 m ?"})
    assert r.status_code == 302 and "held=1" in r.headers["Location"]
    thread_path = r.headers["Location"].split("localhost", 1)[-1].split("?", 1)[0]
    mine = portal.get(thread_path + "?held=1").get_data(as_text=True)
    assert 'id="held-notice"' in mine and "Quelle pompe" in mine       # she sees her own post, held
    visitor = make_portal()
    assert "Quelle pompe" not in visitor.get(thread_path).get_data(as_text=True)
    fac = make_portal()
    fac.login("facilitator")
    queue = fac.get("/facilitator/moderation").get_data(as_text=True)
    (pid,) = re.findall(r'id="queued-([^"]+)" data-state="held"', queue)
    assert fac.post(thread_path, {"action": "moderate", "post": pid, "state": "visible", "back": "moderation"},
                    form_page="/facilitator/moderation").status_code == 302
    assert 'id="queue-empty"' in fac.get("/facilitator/moderation").get_data(as_text=True)
    assert "Quelle pompe" in visitor.get(thread_path).get_data(as_text=True)
    with library(demo) as lib:
        stored = lib.thread.get(id=thread_path.rsplit("/", 1)[1])
    assert [p["state"] for p in stored["posts"]] == ["visible"] and stored["posts"][0]["moderated_by"] == demo["facilitator"]


def test_a_flagged_post_reaches_the_facilitator_who_hides_it_with_a_reason(portal, make_portal, demo):
    sid = water_space(demo)
    with library(demo) as lib:
        for who in ("brahim", "naima"):
            lib.space.join(space=sid, member=demo[who])
        th = lib.thread.create(space=sid, title="Coopératives", body="Voici mon numéro personnel…", author=demo["brahim"])
        lib.post.moderate(id=th["post"]["id"], state="visible", actor=demo["facilitator"])
    path = f"/threads/{th['id']}"
    portal.login("naima")
    assert post_ids(portal.get(path).get_data(as_text=True)) == [(th["post"]["id"], "visible")]
    assert portal.post(path, {"action": "flag", "post": th["post"]["id"], "reason": "Données personnelles"}).status_code == 302
    fac = make_portal()
    fac.login("facilitator")
    assert f'id="queued-{th["post"]["id"]}" data-state="visible"' in fac.get("/facilitator/moderation").get_data(as_text=True)
    fac.post(path, {"action": "moderate", "post": th["post"]["id"], "state": "hidden", "reason": "Numéro personnel"})
    assert "mon numéro" not in make_portal().get(path).get_data(as_text=True)
    with library(demo) as lib:
        p = lib.thread.get(id=th["id"])["posts"][0]
    assert (p["state"], p["reason"], p["flags"]) == ("hidden", "Numéro personnel", 1)


def test_a_post_in_a_space_the_member_is_not_in_is_refused_and_nothing_is_stored(portal, demo):
    sid = water_space(demo, access="invitation")
    with library(demo) as lib:
        th = lib.thread.create(space=sid, title="Animation", body="Bienvenue", author=demo["facilitator"])
    portal.login("brahim")
    page = portal.get(f"/spaces/{sid}").get_data(as_text=True)
    assert 'id="join"' not in page and 'id="new-thread"' not in page      # by invitation: no join button
    r = portal.post(f"/threads/{th['id']}", {"action": "reply", "body": "Je m'invite"}, form_page="/spaces")
    assert r.status_code == 403
    with library(demo) as lib:
        assert len(lib.thread.get(id=th["id"])["posts"]) == 1
