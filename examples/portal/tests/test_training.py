"""The portal's training pages: a member registers for a webinar and takes its module, the
facilitator records attendance, reviews the assignment and completes the module, which
attests the competence (Flask's test client over the real library). Each test is named
after the rule it proves."""
from __future__ import annotations

import cds


def library(demo: dict):
    return cds.open(demo["db"], trusted=True)


def webinar(demo: dict) -> dict:
    """Two past webinar sessions and a module on them: one may be missed, an assignment is reviewed."""
    with library(demo) as lib:
        ev = lib.learning_event.create(kind="webinar", title="Monter un dossier de financement",
                                       sessions=[{"on": "2026-03-05", "link": "https://visio.example.org/1"},
                                                 {"on": "2026-03-12", "link": "https://visio.example.org/2"}],
                                       actor=demo["facilitator"], at="2026-02-20T09:00:00Z")
        mod = lib.module.create(title="Mobilisation de fonds", competence="fundraising",
                                criteria={"sessions": [s["id"] for s in ev["sessions"]], "max_missed": 1,
                                          "assignment": "Un plan de financement pour un projet de votre commune"},
                                actor=demo["facilitator"], at="2026-02-20T10:00:00Z")
    return {"event": ev["id"], "sessions": [s["id"] for s in ev["sessions"]], "module": mod["id"]}


def enrolled(portal, demo: dict, w: dict) -> str:
    portal.login("naima")
    assert portal.post(f"/learning/events/{w['event']}/register", {}, form_page="/learning").status_code == 302
    again = portal.post(f"/learning/events/{w['event']}/register", {}, form_page="/learning")
    assert "notice=already" in again.headers["Location"]
    assert portal.post(f"/learning/modules/{w['module']}/enroll", {}, form_page="/learning").status_code == 302
    with library(demo) as lib:
        (e,) = lib.enrollment.list(member=demo["naima"])["items"]
    return e["id"]


def test_a_member_trains_and_the_facilitators_completion_attests_her_competence(portal, make_portal, demo):
    w = webinar(demo)
    enid = enrolled(portal, demo, w)
    page = portal.get("/learning").get_data(as_text=True)
    assert f'id="enrollment-{enid}" data-complete="no"' in page
    assert page.count('data-key="session.not_recorded"') == 2 and 'data-key="assignment.not_submitted"' in page
    assert portal.post(f"/learning/enrollments/{enid}/submit", {"submission": "Plan : commune 40 %, INDH 35 %, diaspora 25 %"},
                       form_page="/learning").status_code == 302
    fac = make_portal()
    fac.login("facilitator")
    work = fac.get("/facilitator/learning").get_data(as_text=True)
    assert f'id="session-{w["sessions"][0]}"' in work and "Naima El Khattabi" in work
    for sid, status in zip(w["sessions"], ("present", "absent")):
        assert fac.post(f"/facilitator/learning/sessions/{sid}", {"member": demo["naima"], "status": status},
                        form_page="/facilitator/learning").status_code == 302
    assert fac.post(f"/facilitator/learning/enrollments/{enid}/review", {"status": "accepted", "note": "Clair et chiffré"},
                    form_page="/facilitator/learning").status_code == 302
    assert fac.post(f"/facilitator/learning/enrollments/{enid}/complete", {}, form_page="/facilitator/learning").status_code == 302
    with library(demo) as lib:
        e = lib.enrollment.get(id=enid)
        held = [c["competence"] for c in lib.member.get(id=demo["naima"])["competences"]]
    assert e["completed"] and e["criteria_version"] == 1 and "fundraising" in held
    assert f'id="enrollment-{enid}" data-complete="yes"' in portal.get("/learning").get_data(as_text=True)


def test_completing_with_a_session_not_recorded_answers_the_gap_in_the_pages_language_and_completes_nothing(portal, make_portal, demo):
    w = webinar(demo)
    enid = enrolled(portal, demo, w)
    fac = make_portal()
    fac.login("facilitator")
    r = fac.post(f"/facilitator/learning/enrollments/{enid}/complete", {}, form_page="/facilitator/learning")
    assert r.status_code == 409
    body = r.get_data(as_text=True)
    assert "séance" in body, body[:2000]
    with library(demo) as lib:
        assert lib.enrollment.get(id=enid)["completed"] is False


def test_a_learner_may_not_record_her_own_attendance_nor_complete_her_own_module(portal, demo):
    w = webinar(demo)
    enid = enrolled(portal, demo, w)
    assert portal.post(f"/facilitator/learning/sessions/{w['sessions'][0]}", {"member": demo["naima"], "status": "present"},
                       form_page="/learning").status_code == 403
    assert portal.post(f"/facilitator/learning/enrollments/{enid}/complete", {}, form_page="/learning").status_code == 403
    with library(demo) as lib:
        assert lib.enrollment.get(id=enid)["completed"] is False
