"""Invitations, circles and the outbox through the C door.

The story follows ``Tests/CDSTests/MobilizationTests.swift`` and ``OutreachTests.swift``: the
ADC of Anzi invites a member, who brings another; an outreach for the water project's
engineering need reaches the engineer of Lyon in French; the host takes the message and
acknowledges it, and the rules refuse what they must with nothing stored.
"""

from __future__ import annotations

import pytest

import cds

ANZI = "09.581.03.03"
CONTACT = [{"purpose": "contact", "version": "2026-01"}]


def profile(name: str, **fields: object) -> dict:
    """A new diaspora member's profile, as invitation.accept takes it."""
    p: dict = {"name": name, "gender": "f", "roles": ["diaspora"], "residence_country": "FR", "origin": ANZI, "consents": CONTACT}
    p.update(fields)
    return p


def test_the_adc_first_circle_and_the_second(db: cds.Database) -> None:
    adc = db.member.create(name="Youssef", gender="m", roles=["adc"], residence_country="MA", adc_commune=ANZI)["id"]
    first = db.invitation.create(by=adc, channel="email", email="aicha@example.org")
    assert first["status"] == "pending" and len(first["code"]) == 14
    aicha = db.invitation.accept(code=first["code"], profile=profile("Aicha"))["member"]
    assert aicha["email"] == "aicha@example.org" and aicha["invited_by"] == adc
    second = db.invitation.create(by=aicha["id"], channel="messaging")
    hanane = db.invitation.accept(code=second["code"], profile=profile("Hanane"))["member"]["id"]
    report = db.circle.indicators(provenance=True)
    assert [(c["circle"], c["member_ids"]) for c in report["circles"]] == [(1, [aicha["id"]]), (2, [hanane])]
    assert db.circle.get(member=hanane)["circle"] == 2


def test_a_used_code_and_a_cycle_are_refused(db: cds.Database) -> None:
    root = db.member.create(name="Brahim", gender="m", roles=["diaspora"], residence_country="FR")["id"]
    code = db.invitation.create(by=root, channel="sms")["code"]
    child = db.invitation.accept(code=code, profile=profile("Itto"))["member"]["id"]
    before = db.audit.verify()["events"]
    with pytest.raises(cds.ConflictError) as used:
        db.invitation.accept(code=code, profile=profile("Autre"))
    assert used.value.details["reason"] == "used"
    back = db.invitation.create(by=child, channel="sms")["code"]
    with pytest.raises(cds.ConflictError) as cycle:
        db.invitation.accept(code=back, member=root)
    assert cycle.value.details["reason"] == "cycle"
    with pytest.raises(cds.NotFoundError):
        db.invitation.accept(code="NOPE-NOPE-NOPE", member=root)
    assert db.audit.verify()["events"] == before + 1   # only the second invitation


def test_an_invitation_to_a_member_who_exists_is_refused(db: cds.Database) -> None:
    adc = db.member.create(name="Y", gender="m", roles=["adc"], residence_country="MA", email="y@example.org")["id"]
    with pytest.raises(cds.ConflictError) as e:
        db.invitation.create(by=adc, channel="email", email="y@example.org")
    assert e.value.details["field"] == "email"
    with pytest.raises(cds.InvalidParamsError) as bad:
        db.invitation.create(by=adc, channel="carrier_pigeon")
    assert bad.value.details["field"] == "channel"


def test_outreach_reaches_the_engineer_in_french_and_the_host_acknowledges(db: cds.Database) -> None:
    project = db.project.create(title={"fr": "Eau potable du douar Ait Ali"}, communes=[ANZI], sector="EAU")["id"]
    need = db.need.create(project=project, kind="skill", description="Conception hydraulique", skills=["2142"],
                          quantity={"unit": "person_days", "amount": 10})["id"]
    engineer = db.member.create(name="Brahim Ait Ouarab", gender="m", roles=["diaspora"], residence_country="FR", residence_city="Lyon",
                                origin=ANZI, languages=["shi", "ar", "fr"], email="brahim@example.org", consents=CONTACT)["id"]
    db.offer.create(member=engineer, kind="skill", skills=["2142"], capacity={"unit": "person_days", "amount": 10}, contact_consent=True)
    audience = db.outreach.audience(need=need)["members"]
    assert [a["member"] for a in audience] == [engineer] and audience[0]["language"] == "fr"
    with pytest.raises(cds.InvalidParamsError) as missing:
        db.outreach.send(need=need)
    assert missing.value.details["field"] == "params.link"
    sent = db.outreach.send(need=need, params={"link": "https://cds.example.org/n/1"})
    message = sent["queued"][0]["id"]
    with pytest.raises(cds.ConflictError):
        db.outbox.ack(id=message, status="delivered")   # never taken
    taken = db.outbox.next(limit=10)["messages"]
    assert [m["id"] for m in taken] == [message]
    assert taken[0]["address"] == "brahim@example.org" and taken[0]["text"].startswith("Bonjour Brahim Ait Ouarab")
    done = db.outbox.ack(id=message, status="delivered")
    assert db.outbox.ack(id=message, status="delivered") == done   # a retry answers the same
    assert db.outreach.indicators(provenance=True)["reached_ids"] == [engineer]


def test_a_withdrawn_consent_cancels_the_pending_messages(db: cds.Database) -> None:
    project = db.project.create(title={"fr": "Eau"}, communes=[ANZI])["id"]
    need = db.need.create(project=project, kind="skill", description="Étude", skills=["2142"], quantity={"unit": "person_days", "amount": 3})["id"]
    m = db.member.create(name="N", gender="f", roles=["diaspora"], residence_country="BE", phone="+32 470 00 00 00", languages=["ar", "fr"], consents=CONTACT)["id"]
    db.offer.create(member=m, kind="skill", skills=["2142"], capacity={"unit": "person_days", "amount": 3}, contact_consent=True)
    queued = db.outreach.send(need=need, channel="sms", params={"link": "x"})["queued"]
    assert queued[0]["channel"] == "sms" and queued[0]["language"] == "fr"
    db.consent.withdraw(member=m, purpose="contact")
    assert [x["status"] for x in db.outbox.list(member=m)["items"]] == ["cancelled"]
    assert db.outbox.next()["messages"] == []
