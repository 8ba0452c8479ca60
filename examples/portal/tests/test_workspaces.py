"""The portal's invitations, outreach, reports, skill picker and stays (Flask's test client
over the real library). Each test is named after the rule it proves."""
from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import cds

from scenario import LYON_ENGINEER, LYON_OFFER


def library(demo: dict):
    return cds.open(demo["db"], trusted=True)      # the tests look at what was stored


def test_a_member_invites_a_friend_who_joins_through_the_link_and_the_library_records_who_brought_her(portal, make_portal, demo):
    portal.login("brahim")
    r = portal.post("/invitations", {"name": "Karim Ait Ouarab", "channel": "link", "note": "Viens voir"})
    assert r.status_code == 302
    page = portal.get("/invitations").get_data(as_text=True)
    link = re.search(r'class="join-link" readonly value="([^"]+)"', page).group(1)
    path = link.split("localhost", 1)[1]
    assert path.startswith("/join/")
    friend = make_portal()
    assert 'id="invited"' in friend.get(path).get_data(as_text=True)
    joined = friend.post(path, dict(LYON_ENGINEER, name="Karim Ait Ouarab", email="karim@example.org",
                                    consent_processing="on"))
    assert joined.status_code == 302, joined.get_data(as_text=True)[:800]
    with library(demo) as lib:
        karim = next(m for m in lib.member.list(limit=1000)["items"] if m["name"] == "Karim Ait Ouarab")
        circle = lib.circle.get(member=karim["id"])
        assert lib.invitation.list(by=demo["brahim"])["items"][0]["status"] == "accepted"
    assert circle["brought_by"] == {"inviter": demo["brahim"], "kind": "member"}
    # The code is single use: the same link refuses a second person, and stores nobody.
    again = make_portal().post(path, dict(LYON_ENGINEER, name="Autre", email="autre@example.org", consent_processing="on"))
    assert again.status_code in (400, 404, 409)
    with library(demo) as lib:
        assert not [m for m in lib.member.list(limit=1000)["items"] if m["name"] == "Autre"]


def test_a_revoked_invitation_link_signs_nobody_up(portal, make_portal, demo):
    portal.login("brahim")
    portal.post("/invitations", {"name": "Lina", "channel": "link"})
    page = portal.get("/invitations").get_data(as_text=True)
    iid = re.search(r'id="inv-([^"]+)" data-status="pending"', page).group(1)
    path = re.search(r'class="join-link" readonly value="[^"]*localhost([^"]+)"', page).group(1)
    assert portal.post(f"/invitations/{iid}/revoke", {}, form_page="/invitations").status_code == 302
    assert f'id="inv-{iid}" data-status="revoked"' in portal.get("/invitations").get_data(as_text=True)
    r = make_portal().post(path, dict(LYON_ENGINEER, name="Lina", email="lina@example.org", consent_processing="on"))
    assert r.status_code >= 400
    with library(demo) as lib:
        assert not [m for m in lib.member.list(limit=1000)["items"] if m["name"] == "Lina"]


def test_the_facilitator_writes_to_a_needs_audience_through_the_librarys_outbox(portal, demo):
    portal.login("facilitator")       # the demo's open need with an audience is Hassan Amzil's, who has no account
    with library(demo) as lib:
        before = len(lib.outbox.list(limit=1000)["items"])
        def audience(n: dict) -> list:
            try:
                return lib.outreach.audience(need=n["id"])["members"]
            except cds.ConflictError:                  # fully pledged, or not published
                return []
        need = next(n for n in lib.need.list(status="open", limit=1000)["items"]
                    if audience(n))
    page = f"/adc/needs/{need['id']}"
    text = portal.get(page).get_data(as_text=True)
    assert 'id="outreach-form"' in text
    r = portal.post(f"{page}/outreach", {}, form_page=page)
    assert r.status_code == 302
    assert 'id="outreach-sent"' in portal.get(r.headers["Location"]).get_data(as_text=True)
    with library(demo) as lib:
        messages = lib.outbox.list(limit=1000)["items"]
    assert len(messages) > before
    assert any(m["params"]["link"].endswith(f"/projects/{need['project']}") for m in messages[before:])


def test_a_diaspora_member_may_not_write_to_an_audience_nor_download_reports(portal, demo):
    portal.login("brahim")
    with library(demo) as lib:
        need = lib.need.list(status="open", limit=1)["items"][0]["id"]
        before = len(lib.outbox.list(limit=1000)["items"])
    assert portal.post(f"/adc/needs/{need}/outreach", {}, form_page="/me").status_code == 403
    assert portal.get("/facilitator/reports/members.csv").status_code == 403
    assert portal.get("/facilitator/reports/iati.xml").status_code == 403
    with library(demo) as lib:
        assert len(lib.outbox.list(limit=1000)["items"]) == before


def test_the_facilitator_downloads_csv_for_excel_and_the_iati_file_of_the_projects_that_break_no_rule(portal, demo):
    portal.login("facilitator")
    page = portal.get("/facilitator/reports").get_data(as_text=True)
    assert 'id="iati-activities"' in page
    excel = portal.get("/facilitator/reports/members.csv?excel=1")
    assert excel.status_code == 200 and excel.mimetype == "text/csv"
    raw = excel.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")                 # the byte order mark Excel reads UTF-8 by
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    with library(demo) as lib:
        assert len(rows) - 1 == len(lib.member.list(limit=1000)["items"])
        checked = lib.export.iati(check=True)
    xml = portal.get("/facilitator/reports/iati.xml")
    assert xml.status_code == 200
    root = ET.fromstring(xml.get_data())
    broken = {p["project"] for p in checked["problems"]}
    assert root.tag == "iati-activities"
    assert len(root.findall("iati-activity")) == checked["activities"] - len(broken)
    shown = int(re.search(r'id="iati-activities">(\d+)<', page).group(1))
    assert shown == checked["activities"] - len(broken)
    indicators = portal.get("/facilitator/reports/indicators.csv").get_data(as_text=True)
    assert "migrants_mobilized" in indicators


def test_skills_are_picked_from_the_taxonomy_and_a_stay_added_to_an_offer_shows_on_the_profile(portal, demo):
    signup = portal.get("/signup").get_data(as_text=True)
    assert re.search(r'<select id="skills" name="skills" multiple', signup)
    assert '<option value="2142"' in signup                 # ISCO-08 2142, civil engineers, by its label
    r = portal.post("/signup", dict(LYON_ENGINEER, skills=["2142", "2143"], consent_processing="on"))
    assert r.status_code == 302
    portal.post("/me/offers", LYON_OFFER)
    with library(demo) as lib:
        me = next(m for m in lib.member.list(limit=1000)["items"] if m["name"] == LYON_ENGINEER["name"])
        assert me["skills"] == ["2142", "2143"]
        offer = lib.offer.list(member=me["id"])["items"][0]
    r = portal.post(f"/me/offers/{offer['id']}/windows", {"from": "2026-12-20", "until": "2027-01-05", "travel": "on"},
                    form_page="/me/offers")
    assert r.status_code == 302
    with library(demo) as lib:
        windows = lib.offer.get(id=offer["id"])["windows"]
    assert {"from": "2026-12-20", "until": "2027-01-05", "travel": True} in windows and len(windows) == 2
    profile = portal.get("/me").get_data(as_text=True)
    assert "2026-12-20 → 2027-01-05" in profile and "2026-08-01 → 2026-08-31" in profile
    bad = portal.post(f"/me/offers/{offer['id']}/windows", {"from": "2027-02-30", "until": "2027-03-05"}, form_page="/me/offers")
    assert bad.status_code == 400
    r = portal.post(f"/me/offers/{offer['id']}/windows", {"remove": "0"}, form_page="/me/offers")
    with library(demo) as lib:
        assert len(lib.offer.get(id=offer["id"])["windows"]) == 1
