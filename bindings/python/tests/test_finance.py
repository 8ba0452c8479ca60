"""Solidarity finance through the C door.

The rules are the Swift suite's (``CampaignTests``, ``FundingRuleTests``,
``FinanceMethodTests``); these prove the door: a campaign created and opened, a gift
collected with a pool's partial match read back as integers, a refusal raised as the
binding's exception with its code and field, and a giver who may not mark her own gift
collected through a handle that is not trusted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import cds
from support import NOW, new_member

ANZI = "09.581.03.03"


@pytest.fixture
def campaign(db: cds.Database):
    """The commune of Anzi, its ADC, a giver, a project and its open all-or-nothing campaign of 1,000.00 EUR."""
    commune = db.organization.create(kind="commune", territory=ANZI)["id"]
    adc = db.member.create(name="Youssef", gender="m", roles=["adc"], residence_country="MA", adc_commune=ANZI)["id"]
    giver = new_member(db, name="Brahim", gender="m")["id"]
    project = db.project.create(title={"fr": "Réseau d'eau potable"}, communes=[ANZI], sector="EAU", adc=adc)["id"]
    draft = db.campaign.create(project=project, title={"fr": "Le réseau d'eau"}, model="all_or_nothing",
                               goal={"minor": 100000, "currency": "EUR"}, opens_on="2026-06-01", closes_on="2026-06-30")
    assert draft["status"] == "draft"
    opened = db.campaign.open(id=draft["id"])
    assert opened["status"] == "open"
    return {"id": draft["id"], "commune": commune, "adc": adc, "giver": giver, "project": project}


def test_a_collected_gift_states_the_pools_partial_match_in_integers(db: cds.Database, campaign) -> None:
    pool = db.pool.create(organization=campaign["commune"], name="Abondement d'Anzi", amount={"minor": 3000, "currency": "EUR"},
                          campaign=campaign["id"], rate_bp=10000, opens_on="2026-06-01", closes_on="2026-06-30")["id"]
    gift = db.gift.create(campaign=campaign["id"], member=campaign["giver"], amount={"minor": 5000, "currency": "EUR"}, on="2026-06-02")
    assert gift["status"] == "pledged" and gift["matches"] == []
    collected = db.gift.move(id=gift["id"], to="collected", on="2026-06-03")
    match = collected["matches"][0]
    assert (match["pool"], match["amount"], match["wanted"], match["partial"], match["limited_by"]) == (pool, 3000, 5000, True, "pool_exhausted")
    assert type(match["amount"]) is int and type(collected["matched"]) is int
    totals = db.campaign.get(id=campaign["id"])["totals"]
    assert totals["collected"] == {"minor": 5000, "currency": "EUR"} and totals["received"]["minor"] == 8000
    assert all(type(totals[k]["minor"]) is int for k in ("received", "collected", "matched", "pledged", "refunded"))
    assert db.pool.get(id=pool)["left"] == {"minor": 0, "currency": "EUR"}


def test_a_gift_in_another_currency_without_a_rate_is_an_invalid_params_error(db: cds.Database, campaign) -> None:
    before = db.audit.verify()["events"]
    with pytest.raises(cds.InvalidParamsError) as refused:
        db.gift.create(campaign=campaign["id"], member=campaign["giver"], amount={"minor": 5000, "currency": "MAD"}, on="2026-06-02")
    assert refused.value.code == "invalid_params"
    assert refused.value.details["field"] == "amount.currency"
    assert db.audit.verify()["events"] == before
    db.rate.set(from_="MAD", to="EUR", rate="0.0925", on="2026-01-01")
    converted = db.gift.create(campaign=campaign["id"], member=campaign["giver"], amount={"minor": 5000, "currency": "MAD"}, on="2026-06-02")
    assert converted["amount"] == {"minor": 463, "currency": "EUR"} and converted["original"] == {"minor": 5000, "currency": "MAD"}


def test_a_giver_may_not_mark_her_own_gift_collected(db: cds.Database, db_path: Path, campaign) -> None:
    portal = cds.open(db_path, now=NOW, busy_timeout_ms=5000)
    try:
        giver = portal.acting_as(campaign["giver"])
        pledged = giver.gift.create(campaign=campaign["id"], member=campaign["giver"], amount={"minor": 2500, "currency": "EUR"}, on="2026-06-02")
        with pytest.raises(cds.ForbiddenError) as refused:
            giver.gift.move(id=pledged["id"], to="collected", on="2026-06-03")
        assert refused.value.code == "forbidden" and refused.value.details["rule"] == "gift.move"
        assert giver.gift.get(id=pledged["id"])["status"] == "pledged"
        done = portal.acting_as(campaign["adc"]).gift.move(id=pledged["id"], to="collected", on="2026-06-03")
        assert done["status"] == "collected" and done["collected_on"] == "2026-06-03"
    finally:
        portal.close()
