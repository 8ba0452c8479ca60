"""Projects and their maturation workflow, idea → capitalized.

The walk follows ``Tests/CDSTests/ProjectFixture.swift`` (same actors, same params), so
that the Swift facade, the C door and this binding prove the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import pytest

import cds

from support import count

ANZI = "09.581.03.03"

#: The main line of the workflow (Sources/CDSCore/Workflow/Stage.swift).
MAIN_LINE = [
    "idea", "identification", "formulation", "ready", "mobilization",
    "funded", "implementation", "completed", "capitalized",
]


def mad(minor: int) -> dict:
    """An amount in MAD minor units (centimes)."""
    return {"minor": minor, "currency": "MAD"}


IDENTIFICATION = {
    "communes": [ANZI],
    "sector": "EAU",
    "summary": {
        "fr": "Raccorder 60 foyers du douar Ait Ali au réseau d'eau potable",
        "ar": "ربط 60 أسرة بشبكة الماء الصالح للشرب",
    },
}
FORMULATION = {
    "identification_note": "Source captée à 2 km; la commune a inscrit l'action au PAC 2023-2028",
    "beneficiaries": {"total": 420, "women": 210, "youth": 120},
    "pac_reference": "PAC Anzi 2023-2028, axe 2, action 4",
}
BUDGET = {
    "currency": "MAD",
    "lines": [
        {"category": "works", "label": "Conduites et branchements", "amount": mad(95_000_000)},
        {"category": "studies", "label": "Étude hydraulique", "amount": mad(30_000_000)},
    ],
}
LOGFRAME = {
    "goal": "Améliorer l'accès à l'eau potable à Anzi",
    "specific_objective": "60 foyers raccordés",
    "results": [{
        "title": "Réseau posé",
        "indicators": [{"name": "Foyers raccordés", "unit": "foyers", "baseline": 0, "target": 60}],
    }],
    "activities": [{
        "title": "Pose des conduites", "start_on": "2026-09-01", "end_on": "2026-12-15",
        "responsible": "Association Ait Ali",
    }],
    "risks": ["Retard des autorisations"],
}


def funding_plan(others: str) -> list:
    """The commune's share confirmed, INDH's and the diaspora's ``others`` (1 250 000 MAD in all)."""
    return [
        {"label": "Commune d'Anzi", "amount": mad(50_000_000), "status": "confirmed"},
        {"label": "INDH", "amount": mad(43_750_000), "status": others},
        {"label": "Diaspora", "amount": mad(31_250_000), "status": others},
    ]


def missing_keys(error: cds.TransitionNotAllowedError) -> list:
    return [item["key"] for item in error.missing]


@dataclass
class Anzi:
    """A CDS with what a project needs to go all the way: an ADC of Anzi, a facilitator,
    the commune of Anzi with its representative, a lead organization, and an outsider."""

    db: cds.Database
    facilitator: str
    adc: str
    commune: str
    representative: str
    lead: str
    outsider: str

    def move(self, project: str, to: str, actor: Optional[str] = None) -> dict:
        """``project.transition``, by the ADC unless ``actor`` is given."""
        return self.db.project.transition(id=project, to=to, actor=actor or self.adc)

    def stage(self, project: str) -> str:
        return self.db.project.get(id=project)["stage"]

    def formulated(self) -> str:
        """Creates a project and brings it to ``formulation``, ready to be made precise."""
        p = self.db.project.create(
            title={"fr": "Eau potable du douar Ait Ali"}, adc=self.adc, proposer=self.commune, actor=self.adc,
        )["id"]
        self.db.project.update(id=p, **IDENTIFICATION)
        self.move(p, "identification")
        self.db.project.update(id=p, **FORMULATION)
        self.move(p, "formulation")
        assert self.stage(p) == "formulation"
        return p

    def make_precise(self, p: str) -> str:
        """Fills everything ``ready`` needs; answers the need's id."""
        self.db.project.update(
            id=p, logframe=LOGFRAME, budget=BUDGET, funding_plan=funding_plan("expected"),
            lead_organization=self.lead, start_on="2026-09-01", end_on="2027-06-30",
            partners=[
                {"organization": self.lead, "role": "implementing"},
                {"organization": self.commune, "role": "funding"},
            ],
        )
        need = self.db.need.create(
            project=p, kind="skill", description="Conception hydraulique, sur place en août",
            skills=["2142"], quantity={"unit": "person_days", "amount": 10},
            from_="2026-08-01", until="2026-08-31", mode="on_site", languages=["shi"], critical=True,
        )
        self.db.project.endorse(id=p, on="2026-05-20", reference="Délibération 12/2026", actor=self.representative)
        return need["id"]


@pytest.fixture
def anzi(db: cds.Database) -> Anzi:
    facilitator = db.member.create(name="Samira", gender="f", roles=["facilitator"], residence_country="MA")["id"]
    adc = db.member.create(name="Youssef", gender="m", roles=["adc"], residence_country="MA", adc_commune=ANZI)["id"]
    commune = db.organization.create(kind="commune", territory=ANZI)["id"]
    representative = db.member.create(
        name="Le président", gender="m", roles=["local_actor"], residence_country="MA",
        organizations=[{"organization": commune, "role": "président"}],
    )["id"]
    lead = db.organization.create(
        kind="local_association", name="Association Ait Ali pour l'eau", territory=ANZI,
    )["id"]
    outsider = db.member.create(name="Brahim", gender="m", roles=["diaspora"], residence_country="FR")["id"]
    return Anzi(db, facilitator, adc, commune, representative, lead, outsider)


def test_a_project_walks_every_stage_of_the_main_line_and_a_refusal_lists_every_missing_item(anzi: Anzi) -> None:
    db = anzi.db
    p = anzi.formulated()

    # Not precise yet: `ready` is refused with every unmet requirement at once.
    with pytest.raises(cds.TransitionNotAllowedError) as refused:
        anzi.move(p, "ready")
    assert refused.value.code == "transition_not_allowed"
    keys = missing_keys(refused.value)
    assert len(keys) >= 5, keys
    for key in ("funding_plan.covers_budget", "endorsement.recorded", "needs.itemized"):
        assert key in keys, keys
    assert all(isinstance(item.get("label"), str) and item["label"] for item in refused.value.missing)
    assert anzi.stage(p) == "formulation", "a refused transition changes nothing"

    need = anzi.make_precise(p)
    assert db.project.get(id=p)["endorsements"][0]["commune"] == ANZI
    anzi.move(p, "ready")
    anzi.move(p, "mobilization")

    # Finance only expected and the critical need open: `funded` lists exactly these two.
    with pytest.raises(cds.TransitionNotAllowedError) as not_funded:
        anzi.move(p, "funded")
    assert set(missing_keys(not_funded.value)) == {"finance.confirmed_covers_budget", "needs.critical_covered"}
    assert len(not_funded.value.missing) == 2
    assert anzi.stage(p) == "mobilization"

    db.project.update(id=p, funding_plan=funding_plan("confirmed"))
    assert [n["id"] for n in db.need.list(project=p)["items"]] == [need]
    db.need.update(id=need, status="covered")
    assert anzi.move(p, "funded")["stage"] == "funded"

    with pytest.raises(cds.TransitionNotAllowedError) as not_started:
        anzi.move(p, "implementation")
    assert missing_keys(not_started.value) == ["start.recorded"]
    db.project.update(id=p, started_on="2026-09-07")
    anzi.move(p, "implementation")
    db.project.update(
        id=p, progress_report={"on": "2026-12-20", "progress": 100, "text": "60 foyers raccordés"},
        final_report="Réseau livré et réceptionné",
    )
    anzi.move(p, "completed")
    db.project.update(id=p, lessons_learned="Associer tôt l'association d'usagers")
    anzi.move(p, "capitalized")

    got = db.project.get(id=p)
    assert got["stage"] == "capitalized"
    assert got["budget"]["lines"][0]["amount"] == mad(95_000_000)

    history = list(db.pages("project.history", id=p))
    moves = [item for item in history if item["type"] == "project.transitioned"]
    assert [(m["from"], m["to"]) for m in moves] == list(zip(MAIN_LINE, MAIN_LINE[1:]))
    assert {m["actor"] for m in moves} == {anzi.adc}
    assert [item["seq"] for item in history] == sorted(item["seq"] for item in history), "oldest first"


def test_the_checklist_answers_its_labels_in_arabic(anzi: Anzi) -> None:
    p = anzi.formulated()
    events = count(anzi.db, "event.list")

    checklist = anzi.db.project.checklist(id=p, locale="ar")

    assert checklist["target"] == "ready"
    labels = {item["key"]: item["label"] for item in checklist["missing"]}
    assert labels["funding_plan.covers_budget"] == "خطة التمويل تغطي الميزانية"
    assert labels["endorsement.recorded"] == "تم تسجيل موافقة كل جماعة معنية"
    french = {item["key"]: item["label"] for item in anzi.db.project.checklist(id=p)["missing"]}
    assert french["funding_plan.covers_budget"] == "Le plan de financement couvre le budget"
    assert count(anzi.db, "event.list") == events, "a checklist changes nothing"


def test_an_actor_without_the_role_may_not_move_a_project(anzi: Anzi) -> None:
    p = anzi.formulated()
    anzi.make_precise(p)  # every requirement of `ready` is met: only the role is missing

    with pytest.raises(cds.ForbiddenError) as forbidden:
        anzi.move(p, "ready", actor=anzi.outsider)
    assert forbidden.value.code == "forbidden"
    assert anzi.stage(p) == "formulation"

    assert anzi.move(p, "ready")["stage"] == "ready"  # the ADC may


def test_bad_input_names_the_field_and_stores_nothing(anzi: Anzi) -> None:
    db = anzi.db
    p = anzi.formulated()
    before = db.project.get(id=p)
    events = count(db, "event.list")

    with pytest.raises(cds.InvalidParamsError) as negative:
        db.project.update(id=p, budget={
            "currency": "MAD",
            "lines": [{"category": "works", "label": "Conduites", "amount": mad(-100)}],
        })
    assert negative.value.field == "budget.lines[0].amount.minor"

    with pytest.raises(cds.InvalidParamsError) as reversed_dates:
        db.project.update(id=p, start_on="2027-06-30", end_on="2026-09-01")
    assert reversed_dates.value.field == "end_on"

    with pytest.raises(cds.InvalidParamsError) as unknown_stage:
        db.project.transition(id=p, to="launched", actor=anzi.adc)
    assert unknown_stage.value.field == "to"

    assert count(db, "event.list") == events
    assert db.project.get(id=p) == before
