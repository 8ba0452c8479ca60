"""Offers and the matcher: which offer answers which need, and why.

The story follows ``Tests/CDSTests/MatchTests.swift`` (same people, same params), so that
the Swift facade, the C door and this binding prove the same rules: the Anzi water
project needs hydraulic design on site in August; an engineer of Lyon born in Anzi fits
best, an engineer of the same province with a related skill comes second, and a member
who never agreed to be contacted is never proposed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List

import pytest

import cds

ANZI = "09.581.03.03"
#: A commune of the same province (Tiznit) as Anzi.
TIZNIT_COMMUNE = "09.581.01.07"

#: The five scored components of a match, in the order the library answers them.
COMPONENTS = ["skills", "territory", "time", "capacity", "sector"]

#: The need of the story: hydraulic design (ISCO 2142, civil engineers), 10 days on site.
NEED = {
    "kind": "skill", "description": "Conception hydraulique, sur place en août",
    "skills": ["2142"], "quantity": {"unit": "person_days", "amount": 10},
    "from": "2026-08-03", "until": "2026-08-14", "mode": "on_site", "languages": ["shi"],
}

#: The engineer's offer: 8 days, in Morocco for August, remote or on site, interested in water.
ENGINEER_OFFER = {
    "kind": "skill", "skills": ["2142"], "capacity": {"unit": "person_days", "amount": 8},
    "windows": [{"from": "2026-08-01", "until": "2026-08-31", "travel": True}],
    "remote": True, "on_site": True, "languages": ["shi", "fr"], "sectors": ["EAU"],
    "contact_consent": True,
}

CONTACT = [{"purpose": "contact", "version": "2026-01"}]


@dataclass
class Story:
    """The project at formulation with its need, and the three members who offer."""

    db: cds.Database
    adc: str
    project: str
    need: str
    engineer: str
    engineer_offer: str
    other: str
    other_offer: str
    silent: str
    silent_offer: str

    def top(self, need: str = "", k: int = 10) -> List[dict]:
        """The matches ``match.need`` answers for the need (the story's by default)."""
        return self.db.match.need(need=need or self.need, k=k)["matches"]

    def top_offers(self, need: str = "") -> List[str]:
        return [m["offer"] for m in self.top(need)]

    def events(self) -> int:
        """How many events the log holds (``audit.verify``), to prove nothing was stored."""
        verified = self.db.audit.verify()
        assert verified["ok"] is True
        return verified["events"]


def formulated(db: cds.Database, adc: str, commune: str) -> str:
    """A project of Anzi, sector EAU, brought to ``formulation`` (as ProjectFixture.swift)."""
    p = db.project.create(title={"fr": "Eau potable du douar Ait Ali"}, adc=adc, proposer=commune, actor=adc)["id"]
    db.project.update(
        id=p, communes=[ANZI], sector="EAU",
        summary={
            "fr": "Raccorder 60 foyers du douar Ait Ali au réseau d'eau potable",
            "ar": "ربط 60 أسرة بشبكة الماء الصالح للشرب",
        },
    )
    db.project.transition(id=p, to="identification", actor=adc)
    db.project.update(
        id=p, identification_note="Source captée à 2 km; la commune a inscrit l'action au PAC 2023-2028",
        beneficiaries={"total": 420, "women": 210, "youth": 120},
        pac_reference="PAC Anzi 2023-2028, axe 2, action 4",
    )
    db.project.transition(id=p, to="formulation", actor=adc)
    assert db.project.get(id=p)["stage"] == "formulation"
    return p


def diaspora(db: cds.Database, name: str, **fields: object) -> str:
    """A diaspora member living in France (as ``diaspora`` of Support.swift)."""
    return db.member.create(name=name, gender="m", roles=["diaspora"], residence_country="FR", **fields)["id"]


@pytest.fixture
def story(db: cds.Database) -> Story:
    db.member.create(name="Samira", gender="f", roles=["facilitator"], residence_country="MA")
    adc = db.member.create(name="Youssef", gender="m", roles=["adc"], residence_country="MA", adc_commune=ANZI)["id"]
    commune = db.organization.create(kind="commune", territory=ANZI)["id"]
    project = formulated(db, adc, commune)
    need = db.need.create(dict(NEED, project=project))["id"]

    engineer = diaspora(
        db, "Brahim", residence_city="Lyon", origin=ANZI, languages=["shi", "fr"], skills=["2142"], consents=CONTACT,
    )
    engineer_offer = db.offer.create(dict(ENGINEER_OFFER, member=engineer))["id"]
    # An industrial engineer (2141, same ISCO group as 2142) of the province, on site any time.
    other = diaspora(db, "Hassan", origin=TIZNIT_COMMUNE, languages=["shi"], consents=CONTACT)
    other_offer = db.offer.create(
        member=other, kind="skill", skills=["2141"], capacity={"unit": "person_days", "amount": 20},
        remote=False, on_site=True, contact_consent=True,
    )["id"]
    # Born in Anzi, the right skill, the offer says yes, but the member never consented to contact.
    silent = diaspora(db, "Said", origin=ANZI, languages=["shi"])
    silent_offer = db.offer.create(
        member=silent, kind="skill", skills=["2142"], capacity={"unit": "person_days", "amount": 8},
        on_site=True, contact_consent=True,
    )["id"]
    return Story(db, adc, project, need, engineer, engineer_offer, other, other_offer, silent, silent_offer)


def reasons(match: dict) -> List[str]:
    return [c["reason"] for c in match["components"]]


def test_an_offer_keeps_what_it_was_given_and_is_listed_by_its_skill(story: Story) -> None:
    db = story.db
    got = db.offer.get(id=story.engineer_offer)

    assert got["id"] == story.engineer_offer
    assert got["member"] == story.engineer and got["organization"] is None
    assert got["status"] == "active", "a new offer is active"
    for field in ("kind", "skills", "windows", "remote", "on_site", "languages", "sectors", "contact_consent"):
        assert got[field] == ENGINEER_OFFER[field], field
    assert got["capacity"]["unit"] == "person_days" and got["capacity"]["amount"] == 8
    contact = [c for c in db.member.get(id=story.engineer)["consents"] if c["purpose"] == "contact"]
    assert [(c["version"], c["withdrawn_at"]) for c in contact] == [("2026-01", None)]

    # Defaults: remote true unless said otherwise; the other offers only on site.
    assert db.offer.get(id=story.other_offer)["remote"] is False
    assert db.offer.get(id=story.silent_offer)["remote"] is True

    # By skill, in creation order: the exact code only (2141 is not 2142).
    assert [o["id"] for o in db.pages("offer.list", skill="2142")] == [story.engineer_offer, story.silent_offer]
    assert [o["id"] for o in db.pages("offer.list", skill="2141")] == [story.other_offer]
    assert list(db.pages("offer.list", skill="2111")) == []
    assert [o["id"] for o in db.pages("offer.list", member=story.engineer)] == [story.engineer_offer]


def test_the_engineer_born_in_the_commune_comes_first_and_a_member_without_consent_never_appears(story: Story) -> None:
    top = story.top()

    assert [m["offer"] for m in top] == [story.engineer_offer, story.other_offer]
    assert [m["member"] for m in top] == [story.engineer, story.other]
    assert story.silent_offer not in [m["offer"] for m in top], "no consent to contact, no match"
    assert top[0]["score"] > top[1]["score"]
    assert all(m["need"] == story.need and m["project"] == story.project for m in top)

    for match in top:
        # Five components, each weighed, valued, with a reason and its labels in three languages.
        assert [c["component"] for c in match["components"]] == COMPONENTS
        for c in match["components"]:
            assert 0 <= c["weight"] <= 1 and 0 <= c["value"] <= 1, c
            assert isinstance(c["reason"], str) and c["reason"]
            assert set(c["labels"]) == {"fr", "ar", "en"}
            assert all(isinstance(text, str) and text for text in c["labels"].values()), c
        assert sum(c["weight"] for c in match["components"]) == pytest.approx(1)
        # The score is the weighted mean of the components.
        assert match["score"] == pytest.approx(sum(c["weight"] * c["value"] for c in match["components"]))
        # The hard constraints met, with their labels too.
        constraints = {c["component"]: c for c in match["constraints"]}
        assert {"kind", "languages", "mode", "consent"} <= set(constraints)
        assert constraints["consent"]["reason"] == "consent_to_contact"
        assert all(set(c["labels"]) == {"fr", "ar", "en"} for c in match["constraints"])

    engineer = top[0]
    assert reasons(engineer)[:3] == ["same_skill", "origin_commune", "available_whole_window"]
    assert reasons(engineer) == ["same_skill", "origin_commune", "available_whole_window", "capacity_part", "sector_interest"]
    assert "Anzi" in engineer["components"][1]["labels"]["fr"]
    assert "on_site_in_travel_window" in [c["reason"] for c in engineer["constraints"]]
    capacity = engineer["components"][3]
    assert capacity["value"] == pytest.approx(0.8), "8 of the 10 days asked for"
    assert 0.8 < engineer["score"] <= 1

    other = top[1]
    assert reasons(other)[:2] == ["related_skill", "origin_province"]

    # k bounds the answer, best first.
    assert [m["offer"] for m in story.top(k=1)] == [story.engineer_offer]


def test_the_need_is_found_from_the_offer_the_member_and_the_batch(story: Story) -> None:
    db = story.db

    by_offer = db.match.offer(offer=story.engineer_offer)
    assert by_offer["offer"] == story.engineer_offer
    assert [m["need"] for m in by_offer["matches"]] == [story.need]
    assert [c["component"] for c in by_offer["matches"][0]["components"]] == COMPONENTS

    by_member = db.match.member(member=story.engineer, k=3)
    assert by_member["offers"] == [story.engineer_offer]
    assert [(m["need"], m["offer"]) for m in by_member["matches"]] == [(story.need, story.engineer_offer)]
    # The same score whichever way it is asked.
    assert by_member["matches"][0]["score"] == pytest.approx(story.top()[0]["score"])

    batch = db.match.all(k=1)["needs"]
    assert [entry["need"] for entry in batch] == [story.need]
    assert [m["offer"] for m in batch[0]["matches"]] == [story.engineer_offer]
    assert [m["offer"] for m in db.match.all(project=story.project)["needs"][0]["matches"]] == [
        story.engineer_offer, story.other_offer,
    ]

    # The member without consent has no offer open to matching.
    silent = db.match.member(member=story.silent)
    assert silent["offers"] == [] and silent["matches"] == []


def test_withdrawing_consent_to_contact_stops_matching_at_once_and_giving_it_back_restores_it(story: Story) -> None:
    db = story.db

    db.consent.withdraw(member=story.engineer, purpose="contact")
    assert story.top_offers() == [story.other_offer]
    with pytest.raises(cds.ConflictError):
        db.match.propose(need=story.need, offer=story.engineer_offer)

    given = db.consent.give(member=story.engineer, purpose="contact", version="2026-02")
    assert given["purpose"] == "contact" and given["withdrawn_at"] is None
    assert story.top_offers() == [story.engineer_offer, story.other_offer]


def test_accepting_a_proposal_pledges_a_contribution_and_a_declined_pair_is_never_proposed_again(story: Story) -> None:
    db = story.db

    proposed = db.match.propose(need=story.need, offer=story.engineer_offer, actor=story.adc)
    assert proposed["status"] == "proposed"
    assert (proposed["need"], proposed["offer"], proposed["member"]) == (story.need, story.engineer_offer, story.engineer)
    assert [c["component"] for c in proposed["explanation"]["components"]] == COMPONENTS
    match = proposed["id"]

    with pytest.raises(cds.ConflictError) as again:
        db.match.propose(need=story.need, offer=story.engineer_offer)
    assert again.value.code == "conflict"

    accepted = db.match.accept(id=match, actor=story.engineer)
    assert accepted["match"]["status"] == "accepted"
    contribution = accepted["contribution"]
    assert contribution["status"] == "pledged"
    assert contribution["quantity"]["amount"] == 8 and contribution["quantity"]["unit"] == "person_days"
    assert contribution["match"] == match
    assert (contribution["need"], contribution["member"], contribution["project"]) == (
        story.need, story.engineer, story.project,
    )
    assert accepted["match"]["contribution"] == contribution["id"]
    assert db.contribution.get(id=contribution["id"])["match"] == match
    with pytest.raises(cds.ConflictError):
        db.match.accept(id=match)

    # The offer's 8 days are pledged: it is no longer a candidate for the need.
    assert story.top_offers() == [story.other_offer]

    second = db.match.propose(need=story.need, offer=story.other_offer)["id"]
    declined = db.match.decline(id=second, reason="Pas disponible")
    assert declined["status"] == "declined"
    assert story.top_offers() == [], "a declined pair is excluded"
    with pytest.raises(cds.ConflictError):
        db.match.propose(need=story.need, offer=story.other_offer)

    listed = list(db.pages("match.list", need=story.need))
    assert [(m["id"], m["status"]) for m in listed] == [(match, "accepted"), (second, "declined")]
    assert [m["id"] for m in db.pages("match.list", status="declined")] == [second]
    assert db.match.get(id=second)["status"] == "declined"


def test_the_allocation_serves_each_offer_once_and_its_total_is_the_objective(story: Story) -> None:
    db = story.db
    # A second need both engineers fit: a remote review of the file, 2 days.
    advice = db.need.create(
        project=story.project, kind="skill", description="Relecture du dossier", skills=["2142"],
        quantity={"unit": "person_days", "amount": 2}, mode="either",
    )["id"]

    def score(need: str, offer: str) -> float:
        return next(m["score"] for m in story.top(need) if m["offer"] == offer)

    # Two slots per offer, but one need per member at most.
    allocated = db.match.allocate(offer_slots=2, max_per_member=1)
    pairs = allocated["pairs"]
    assert len(pairs) == 2
    assert len({p["offer"] for p in pairs}) == 2, "no offer twice"
    assert len({p["need"] for p in pairs}) == 2
    assert len({p["member"] for p in pairs}) == 2
    assert story.silent_offer not in {p["offer"] for p in pairs}
    assert sum(p["score"] for p in pairs) == pytest.approx(allocated["objective"])
    for p in pairs:
        assert p["score"] == pytest.approx(score(p["need"], p["offer"]))

    # It is the better of the two possible assignments.
    straight = score(story.need, story.engineer_offer) + score(advice, story.other_offer)
    crossed = score(story.need, story.other_offer) + score(advice, story.engineer_offer)
    assert allocated["objective"] == pytest.approx(max(straight, crossed))

    # Without the cap, the engineer's offer, best for both, takes both: the cap is what held.
    uncapped = db.match.allocate(offer_slots=2)["pairs"]
    assert {p["offer"] for p in uncapped} == {story.engineer_offer}


def test_weights_are_set_per_database_change_the_scores_and_may_not_all_be_zero(story: Story) -> None:
    db = story.db
    assert db.match.weights() == {"skills": 40, "territory": 25, "time": 15, "capacity": 10, "sector": 10}
    before = story.top()[0]

    assert db.match.set_weights(territory=0, sector=0) == {
        "skills": 40, "territory": 0, "time": 15, "capacity": 10, "sector": 0,
    }
    assert db.match.weights()["territory"] == 0
    after = story.top()[0]
    assert after["offer"] == before["offer"]
    assert after["score"] != pytest.approx(before["score"])
    weights = {c["component"]: c["weight"] for c in after["components"]}
    assert weights["territory"] == 0 and weights["sector"] == 0
    assert weights["skills"] == pytest.approx(40 / 65)
    assert after["score"] == pytest.approx(sum(c["weight"] * c["value"] for c in after["components"]))

    events = story.events()
    with pytest.raises(cds.InvalidParamsError) as zero:
        db.match.set_weights(skills=0, territory=0, time=0, capacity=0, sector=0)
    assert zero.value.code == "invalid_params"
    assert db.match.weights()["skills"] == 40, "a refused change changes nothing"
    assert story.events() == events


def test_bad_input_is_refused_with_a_clear_error_and_stores_nothing(story: Story) -> None:
    db = story.db
    events = story.events()
    needs = [n["id"] for n in db.pages("need.list", project=story.project)]
    offers = [o["id"] for o in db.pages("offer.list")]

    for k in (0, 1_000_000_000):
        with pytest.raises(cds.InvalidParamsError) as bad_k:
            db.match.need(need=story.need, k=k)
        assert bad_k.value.field == "k", k
    with pytest.raises(cds.NotFoundError) as unknown:
        db.match.need(need="ned_nope")
    assert unknown.value.code == "not_found"
    assert unknown.value.details.get("id") == "ned_nope"

    one_day = {"unit": "person_days", "amount": 1}
    bad_needs = {
        # An unknown project is a bad `project` parameter (not a missing need).
        "project": {"project": "prj_nope", "kind": "skill", "description": "x", "quantity": one_day},
        "skills": {"project": story.project, "kind": "skill", "description": "x", "skills": ["9999"], "quantity": one_day},
        "until": {
            "project": story.project, "kind": "skill", "description": "x",
            "from": "2026-08-10", "until": "2026-08-01", "quantity": one_day,
        },
    }
    for field, params in bad_needs.items():
        with pytest.raises(cds.InvalidParamsError) as refused:
            db.need.create(params)
        assert refused.value.field == field, refused.value.details

    with pytest.raises(cds.InvalidParamsError) as empty:
        db.offer.create(member=story.engineer, kind="skill", capacity={"unit": "person_days", "amount": 0})
    assert empty.value.field == "capacity.amount"

    assert story.events() == events
    assert [n["id"] for n in db.pages("need.list", project=story.project)] == needs
    assert [o["id"] for o in db.pages("offer.list")] == offers
