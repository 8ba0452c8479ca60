"""The portal's rules, through its forms (Flask's test client over the real library).
Each test is named after the rule it proves."""
from __future__ import annotations

import html.parser
import json
import logging
import re
import sqlite3

import cds
import pytest

from conftest import PASSWORD
from scenario import BUDGET, FUNDING, IDENTIFICATION, LOGFRAME, LYON_ENGINEER, LYON_OFFER, NEED, WATER_PROJECT


def org_id(demo: dict, name: str) -> str:
    with cds.open(demo["db"], trusted=True) as lib:
        return next(o["id"] for o in lib.organization.list(limit=1000)["items"] if o["name"] == name)


def library(demo: dict):
    return cds.open(demo["db"], trusted=True)      # the tests look at what was stored


def walk_water_project_to_ready(portal, make_portal, demo) -> str:
    """The ADC of Anzi creates the water project and completes, form by form, what its checklist lists."""
    portal.login("adc_anzi")
    pid = portal.post("/adc", WATER_PROJECT).headers["Location"].rsplit("/", 1)[1]
    page = f"/adc/projects/{pid}"
    assert portal.post(f"{page}/transition", {"to": "identification"}, form_page=page).status_code == 302
    portal.post(f"{page}/update", IDENTIFICATION, form_page=page)
    assert portal.post(f"{page}/transition", {"to": "formulation"}, form_page=page).status_code == 302
    refused = portal.post(f"{page}/transition", {"to": "ready"}, form_page=page)
    assert refused.status_code == 409
    assert 'data-key="funding_plan.covers_budget"' in refused.get_data(as_text=True)
    for form in (LOGFRAME, BUDGET, FUNDING,
                 dict(section="planning", lead_organization=org_id(demo, "Commune d'Anzi"),
                      start_on="2026-09-01", end_on="2027-06-30")):
        assert portal.post(f"{page}/update", form, form_page=page).status_code == 302
    assert portal.post(f"{page}/needs", NEED, form_page=page).status_code == 302
    missing = re.findall(r'<ul class="missing">(.*?)</ul>', portal.get(page).get_data(as_text=True), re.S)[0]
    assert re.findall(r'data-key="([^"]+)"', missing) == ["endorsement.recorded"]
    mayor = make_portal()
    mayor.login("mayor_anzi")
    assert mayor.post(f"/projects/{pid}/endorse", {"on": "2026-05-20"}).status_code == 302
    assert portal.post(f"{page}/transition", {"to": "ready"}, form_page=page).status_code == 302
    return pid


def test_the_adc_of_anzi_completes_what_the_checklist_lists_and_the_project_reaches_ready(portal, make_portal, demo):
    pid = walk_water_project_to_ready(portal, make_portal, demo)
    with library(demo) as lib:
        assert lib.project.get(id=pid)["stage"] == "ready"
    assert 'data-stage="ready"' in portal.get(f"/adc/projects/{pid}").get_data(as_text=True)


def test_a_member_who_signs_up_in_lyon_sees_the_water_need_with_its_reasons_and_accepts(portal, make_portal, demo):
    pid = walk_water_project_to_ready(portal, make_portal, demo)
    page = f"/adc/projects/{pid}"
    assert portal.post(f"{page}/transition", {"to": "mobilization"}, form_page=page).status_code == 302
    before = make_portal().get("/").get_data(as_text=True)

    member = make_portal()
    r = member.post("/signup", dict(LYON_ENGINEER, consent_processing="on", consent_contact="on",
                                    consent_publication="on"))
    assert r.status_code == 302
    assert member.post("/me/offers", LYON_OFFER).status_code == 302
    fit = member.get("/me/fit").get_data(as_text=True)
    assert "Conception hydraulique du réseau, sur place en août" in fit
    reasons = re.findall(r'data-reason="([^"]+)"', fit.split("Conception hydraulique du réseau", 1)[1].split("</div>")[0])
    assert reasons[:2] == ["same_skill", "origin_commune"]      # the skill asked for, his commune of origin

    with library(demo) as lib:
        me = next(m for m in lib.member.list(q="Hassan Ait Bihi")["items"])
        assert {c["purpose"] for c in me["consents"]} == {"processing", "contact", "publication"}
        need = next(n for n in lib.need.list(project=pid)["items"])
        offer = lib.offer.list(member=me["id"])["items"][0]
    # The ADC sees the matcher's proposals for the need and proposes the engineer.
    proposals = portal.get(f"/adc/needs/{need['id']}").get_data(as_text=True)
    assert f'data-offer="{offer["id"]}"' in proposals
    assert portal.post(f"/adc/needs/{need['id']}", {"offer": offer["id"]}).status_code == 302
    mine = member.get("/me/fit").get_data(as_text=True)
    match_id = re.search(r'/matches/(mch_[0-9a-z]+)/accept', mine).group(1)
    assert member.post(f"/matches/{match_id}/accept", {}, form_page="/me/fit").status_code == 302
    with library(demo) as lib:
        assert lib.contribution.list(member=me["id"])["items"][0]["status"] == "pledged"
    after = make_portal().get("/").get_data(as_text=True)

    def figure(page: str, ident: str) -> str:
        return re.search(rf'id="ind-{ident}">.*?<strong>([^<]+)</strong>', page, re.S).group(1)
    assert figure(before, "match_acceptance_rate") != figure(after, "match_acceptance_rate")


def test_passwords_are_argon2_hashes_in_the_portals_own_file_never_in_the_librarys(portal, demo):
    portal.post("/signup", dict(LYON_ENGINEER, consent_processing="on"))
    rows = sqlite3.connect(demo["accounts"]).execute("SELECT email, password_hash FROM account").fetchall()
    stored = dict(rows)[LYON_ENGINEER["email"]]
    assert stored.startswith("$argon2id$") and LYON_ENGINEER["password"] not in stored
    raw = open(demo["db"], "rb").read()
    assert LYON_ENGINEER["password"].encode() not in raw and b"$argon2" not in raw


def test_the_session_cookie_is_secure_httponly_and_samesite(portal):
    r = portal.login("brahim")
    cookie = next(h for h in r.headers.getlist("Set-Cookie") if h.startswith("cds_session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_form_without_its_csrf_token_is_refused_and_nothing_is_stored(portal, demo):
    portal.login("brahim")
    r = portal.post("/me/offers", LYON_OFFER, csrf=False)
    assert r.status_code == 403 and 'id="error-code">csrf' in r.get_data(as_text=True)
    forged = portal.client.post("/me/offers", data=dict(LYON_OFFER, csrf="0" * 64), base_url=portal.base)
    assert forged.status_code == 403
    with library(demo) as lib:
        assert len(lib.offer.list(member=demo["brahim"])["items"]) == 1     # the demo's one offer, no more


def test_sign_in_is_rate_limited_after_five_failures(portal):
    for _ in range(5):
        assert portal.post("/login", {"email": "brahim@test.cds", "password": "wrong"}).status_code == 401
    r = portal.post("/login", {"email": "brahim@test.cds", "password": PASSWORD})
    assert r.status_code == 429                                     # even the right password, for now


def test_a_member_cannot_open_another_members_profile_data(portal, make_portal, demo):
    with library(demo) as lib:
        salma = lib.member.create(**PUBLISHED)["id"]
    portal.login("naima")
    other = portal.get(f"/members/{salma}").get_data(as_text=True)
    assert "Salma Ait Brahim" in other                                   # her public profile
    assert 'data-field="email"' not in other and "Villeurbanne" not in other and "salma@" not in other
    unpublished = portal.get(f"/members/{demo['brahim']}")              # no consent to publication
    assert unpublished.status_code == 403 and "brahim.ouarab@" not in unpublished.get_data(as_text=True)
    r = portal.get("/me/data?download=1")
    assert json.loads(r.get_data())["member"]["id"] == demo["naima"]     # her own data, only hers
    # The export of another is refused by the library's access table, whatever the portal asks.
    with cds.open(demo["db"]) as lib:
        with pytest.raises(cds.ForbiddenError):
            lib.acting_as(demo["naima"]).member.export(id=demo["brahim"])


def test_a_visitor_sees_the_name_of_a_contributor_who_consented_to_publication_and_only_a_count_of_the_others(portal, demo):
    page = portal.get(f"/projects/{demo['projects']['P-2026-001']}")     # the water network of Ait Ali
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    contributors = html.split('id="contributors"', 1)[1].split("</section>", 1)[0]
    assert "Aicha Ouahmane" in contributors                      # she consented to publication (the demo's February)
    assert "Brahim Ait Ouarab" not in contributors and "Naima El Khattabi" not in contributors
    assert re.search(r"\+\d+ contributions non publiées", contributors)


@pytest.mark.parametrize("lang,word", [("fr", "valeur"), ("ar", "القيم"), ("en", "value")])
def test_an_impossible_date_answers_a_readable_error_in_the_pages_language_and_stores_nothing(
        portal, demo, caplog, lang, word):
    portal.login("brahim")
    portal.get(f"/?lang={lang}")
    with caplog.at_level(logging.WARNING, logger="cds.portal"):
        r = portal.post("/me/offers", dict(LYON_OFFER, **{"from": "2026-02-30"}))
    text = r.get_data(as_text=True)
    assert r.status_code == 400 and word in text and f'lang="{lang}"' in text
    assert any("library error invalid_params" in m for m in caplog.messages)
    with library(demo) as lib:
        assert len(lib.offer.list(member=demo["brahim"])["items"]) == 1


def test_a_ten_megabyte_field_is_refused_readably_and_nothing_is_stored(portal, demo, caplog):
    portal.login("brahim")
    with caplog.at_level(logging.WARNING, logger="cds.portal"):
        r = portal.post("/me/offers", dict(LYON_OFFER, description="x" * (10 * 1024 * 1024)))
    assert r.status_code == 413 and "trop long" in r.get_data(as_text=True)
    assert any("too large" in m for m in caplog.messages)
    with library(demo) as lib:
        assert len(lib.offer.list(member=demo["brahim"])["items"]) == 1


def test_a_forged_project_id_answers_a_readable_error_and_changes_nothing(portal, demo, caplog):
    portal.login("adc_anzi")
    with caplog.at_level(logging.WARNING, logger="cds.portal"):
        r = portal.post("/adc/projects/prj_forged000000000/update", IDENTIFICATION, form_page="/adc")
    # The library checks the access table first: an ADC may update only her own projects.
    assert r.status_code == 403 and "pas le droit" in r.get_data(as_text=True)
    assert any("library error forbidden" in m for m in caplog.messages)
    r = portal.get("/projects/prj_forged000000000")
    assert r.status_code == 404 and "existe pas" in r.get_data(as_text=True)
    # Another commune's project: the library refuses the ADC of Anzi.
    talmakante = demo["project_titles"]["Pompage solaire pour la petite irrigation"]
    r = portal.post(f"/adc/projects/{talmakante}/update", IDENTIFICATION, form_page="/adc")
    assert r.status_code == 403
    with library(demo) as lib:
        assert lib.project.get(id=talmakante)["identification_note"] != IDENTIFICATION["identification_note"]


def test_a_script_tag_in_a_name_is_shown_as_text_never_as_markup(portal, demo):
    r = portal.post("/signup", dict(LYON_ENGINEER, name="<script>alert(1)</script>", consent_processing="on"))
    assert r.status_code == 302
    page = portal.get("/me").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Content-Security-Policy" in portal.get("/me").headers


class _Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.html_attrs: dict = {}
        self.fields: list[str] = []
        self.labels: set[str] = set()
        self.in_label = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_attrs = a
        if tag == "label":
            self.in_label += 1
            if a.get("for"):
                self.labels.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.fields.append(a.get("id") if not self.in_label else "(wrapped)")

    def handle_endtag(self, tag):
        if tag == "label":
            self.in_label -= 1


def pages(demo: dict) -> list[str]:
    p = demo["project_titles"]
    return ["/", "/communes", "/communes/09.581.03.03", "/search", "/search?commune=09.541&skill=31",
            f"/projects/{p['Pompage solaire pour la petite irrigation']}", f"/members/{demo['brahim']}",
            "/signup", "/login", "/me", "/me/offers", "/me/fit", "/me/data", "/adc",
            f"/adc/projects/{p['Piste rurale Anzi – Tighmi']}", f"/adc/needs/{demo['needs']['Conseil en commerce en ligne, à distance']}",
            "/facilitator", "/facilitator/reports", "/invitations"]


ROLES = [None, "brahim", "naima", "adc_anzi", "mayor_anzi", "facilitator"]
PUBLISHED = dict(name="Salma Ait Brahim", gender="f", roles=["diaspora"], residence_country="FR",
                 residence_city="Villeurbanne", email="salma@example.org", phone="+33600000000",
                 origin="09.581.03.03", skills=["2142"], languages=["fr"],
                 consents=[{"purpose": p, "version": "2026-01"} for p in ("processing", "contact", "publication")])


@pytest.mark.parametrize("who", ROLES)
def test_every_page_read_as_each_role_shows_no_contact_field_the_access_table_forbids(make_portal, demo, who):
    with library(demo) as lib:
        salma = lib.member.create(**PUBLISHED)["id"]       # published, with every contact field
        people = lib.member.list(limit=1000)["items"]
    portal = make_portal()
    if who:
        portal.login(who)
    me = demo.get(who) if who else None
    staff = who == "facilitator"
    profile = portal.get(f"/members/{salma}")
    assert profile.status_code == 200 and "Salma Ait Brahim" in profile.get_data(as_text=True)
    # The page shows contact fields to whom the table allows them: the check below can fail.
    assert ('data-field="email"' in profile.get_data(as_text=True)) == staff
    for path in pages(demo) + [f"/members/{salma}"]:
        text = portal.get(path).get_data(as_text=True)
        for m in people:
            if m["id"] == me or staff:
                continue
            for value in (m.get("email"), m.get("phone"), m.get("residence_city") if m["id"] == salma else None):
                if value:
                    assert value not in text, f"{path} as {who} shows {m['name']}'s contact {value}"


@pytest.mark.parametrize("who,lang", [(None, "fr"), ("adc_anzi", "ar"), ("facilitator", "en")])
def test_every_page_has_lang_and_dir_and_every_field_its_label(make_portal, demo, who, lang):
    portal = make_portal()
    if who:
        portal.login(who)
    portal.get(f"/?lang={lang}")
    sizes = {}
    for path in pages(demo):
        r = portal.get(path)
        if r.status_code in (302, 403):
            continue
        page = _Page()
        page.feed(r.get_data(as_text=True))
        assert page.html_attrs.get("lang") == lang, path
        assert page.html_attrs.get("dir") == ("rtl" if lang == "ar" else "ltr"), path
        unlabelled = [f for f in page.fields if f != "(wrapped)" and f not in page.labels]
        assert not unlabelled, f"{path}: fields without a label {unlabelled}"
        sizes[path] = len(r.get_data())
    assert max(sizes.values()) < 120_000, sizes          # light enough for a rural connection


def test_the_language_chosen_is_remembered_for_the_member(make_portal, demo):
    first = make_portal()
    first.login("brahim")
    first.get("/?lang=ar")
    later = make_portal()                                  # another device: no language cookie
    later.login("brahim")
    assert 'lang="ar" dir="rtl"' in later.get("/me").get_data(as_text=True)


def test_erasure_removes_the_persons_data_and_the_indicators_do_not_move(portal, make_portal, demo):
    before = make_portal().get("/?as_of=2026-12-31").get_data(as_text=True)
    portal.login("brahim")
    r = portal.post("/me/data", {"confirm": "on"})
    assert r.status_code == 200
    with library(demo) as lib:
        assert lib.member.get(id=demo["brahim"])["erased_at"] is not None
    assert make_portal().get("/?as_of=2026-12-31").get_data(as_text=True) == before
    assert portal.get("/me").status_code == 302                 # the session ended with the account
