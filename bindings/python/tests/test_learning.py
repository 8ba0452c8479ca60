"""Learning spaces, events, modules and credentials through the C door.

The rules are proven by ``Tests/CDSTests/LearningTests.swift`` and ``LearningSpaceTests.swift``;
here the door: an ADC trained through a webinar and a reviewed assignment completes a module
that attests her competence, the seed indicator counts it, and the library's refusals
arrive as the binding's exceptions with nothing stored.
"""

from __future__ import annotations

import pytest

import cds

ANZI = "09.581.03.03"


def people(db: cds.Database) -> tuple[str, str]:
    """A facilitator and the ADC of Anzi, registered in January."""
    fac = db.member.create(name="Samira", gender="f", roles=["facilitator"], residence_country="MA", at="2026-01-05T09:00:00Z")["id"]
    adc = db.member.create(name="Youssef", gender="m", roles=["adc"], residence_country="MA", adc_commune=ANZI, origin=ANZI,
                           at="2026-01-20T09:00:00Z")["id"]
    return fac, adc


def test_a_webinar_and_a_reviewed_assignment_attest_the_competence(db: cds.Database) -> None:
    fac, adc = people(db)
    webinar = db.learning_event.create(kind="webinar", title="Monter un projet", actor=fac, at="2026-02-01T09:00:00Z",
                                       sessions=[{"on": "2026-02-10", "link": "https://visio.example.org/1"},
                                                 {"on": "2026-02-17", "link": "https://visio.example.org/1"}])
    sessions = [s["id"] for s in webinar["sessions"]]
    module = db.module.create(title="Ingénierie de projet", competence="project_engineering", actor=fac, at="2026-02-01T10:00:00Z",
                              criteria={"sessions": sessions, "max_missed": 1, "assignment": "La fiche d'un projet de la commune"})
    assert module["version"] == 1 and module["criteria"]["max_missed"] == 1
    db.learning_event.register(event=webinar["id"], member=adc, at="2026-02-02T09:00:00Z")
    enrollment = db.enrollment.create(module=module["id"], member=adc, at="2026-02-02T09:30:00Z")["id"]
    db.attendance.record(session=sessions[0], member=adc, status="present", actor=fac, at="2026-02-10T18:00:00Z")
    db.attendance.record(session=sessions[1], member=adc, status="excused", actor=fac, at="2026-02-17T18:00:00Z")
    db.enrollment.submit(id=enrollment, submission="https://example.org/fiche.pdf", actor=adc, at="2026-02-20T09:00:00Z")
    assert db.enrollment.get(id=enrollment)["progress"]["missing"][0]["key"] == "assignment.under_review"
    db.enrollment.review(id=enrollment, status="accepted", actor=fac, at="2026-02-24T09:00:00Z")
    done = db.enrollment.complete(id=enrollment, actor=fac, at="2026-02-25T09:00:00Z")
    assert done["enrollment"]["completed_on"] == "2026-02-24" and done["competence"]["competence"] == "project_engineering"
    badge = db.competence.credential(id=done["competence"]["id"], issuer="https://cds.example.org")
    assert badge["signed"] is False and "OpenBadgeCredential" in badge["credential"]["type"]
    trained = {i["id"]: i["value"] for i in db.learning.indicators(as_of="2026-12-31")["indicators"]}
    assert trained["adcs_trained"] == 1 and trained["learning_participants"] == 1


def test_refusals_are_exceptions_and_store_nothing(db: cds.Database) -> None:
    fac, adc = people(db)
    webinar = db.learning_event.create(kind="webinar", title="Communiquer", actor=fac, at="2026-02-01T09:00:00Z",
                                       sessions=[{"on": "2026-02-10", "link": "https://visio.example.org/2"}])
    session = webinar["sessions"][0]["id"]
    db.learning_event.register(event=webinar["id"], member=adc, at="2026-02-02T09:00:00Z")
    module = db.module.create(title="Communication", competence="communication", criteria={"sessions": [session]}, at="2026-02-01T10:00:00Z")
    enrollment = db.enrollment.create(module=module["id"], member=adc, at="2026-02-03T09:00:00Z")["id"]
    before = db.audit.verify()["events"]
    with pytest.raises(cds.InvalidParamsError) as early:
        db.attendance.record(session=session, member=adc, status="present", at="2026-02-05T09:00:00Z")   # not held yet
    assert early.value.details["field"] == "session"
    with pytest.raises(cds.TransitionNotAllowedError) as gaps:
        db.enrollment.complete(id=enrollment, at="2026-02-11T09:00:00Z")
    assert [g["key"] for g in gaps.value.details["missing"]] == ["session.not_recorded"]
    with pytest.raises(cds.InvalidParamsError) as nothing:
        db.module.create(title="Vide", competence="fundraising", criteria={})
    assert nothing.value.details["field"] == "criteria"
    space = db.space.create(kind="thematic", name="Eau", theme="water", languages=["fr"])["id"]
    with pytest.raises(cds.ForbiddenError) as outsider:
        db.thread.create(space=space, title="Bonjour", author=adc, body="Je ne suis pas membre")
    assert outsider.value.details["rule"] == "space.member"
    assert db.audit.verify()["events"] == before + 1   # only the space
