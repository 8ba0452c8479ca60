"""Indicators counted from the facts as of any date, contributions, and data protection.

The Story below is ``IndicatorTests.Story`` of ``Tests/CDSTests/IndicatorTests.swift``
rebuilt through this binding (same calls, same ``at`` values), and the values checked
are the ones counted by hand in its test ``handCounted``. The contribution and privacy
tests follow ``ContributionTests.swift`` and ``PrivacyTests.swift``, so that the Swift
facade, the C door and this binding prove the same rules.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

import cds

from support import NOW, count
from test_projects import Anzi, anzi  # noqa: F401 - anzi is the fixture of ProjectFixture.swift's actors

ANZI = "09.581.03.03"  # commune of Anzi, province of Tiznit (09.581)
TALMAKANTE = "09.541.11.33"  # commune of Talmakante, province of Taroudannt (09.541)

#: The five seed indicators, in the order indicators.definitions lists them, and their default targets.
SEED_TARGETS = {
    "migrants_mobilized": 60,
    "collectivities_engaged": 5,
    "collectivities_with_competent_adc": 5,
    "actors_linked": 40,
    "territories_connected": None,
}


# -- the Story -------------------------------------------------------------------------


def build_story(db: cds.Database) -> Dict[str, str]:
    """Builds IndicatorTests.Story step by step, with dates; answers its ids by key."""
    ids: Dict[str, str] = {}

    def make(key: str, method: str, **params: Any) -> None:
        ids[key] = db.call(method, params)["id"]

    make("fac", "member.create", name="Fac", gender="f", roles=["facilitator"], residence_country="MA",
         at="2026-01-02T08:00:00Z")
    # Communes and agreements: Anzi (Tiznit) from Jan 13, Talmakante (Taroudannt) Jan 15 – ended Jun 30.
    make("anzi", "organization.create", kind="commune", territory=ANZI, at="2026-01-05T08:00:00Z")
    make("talmakante", "organization.create", kind="commune", territory=TALMAKANTE, at="2026-01-05T08:00:00Z")
    make("agr.anzi", "agreement.sign", organization=ids["anzi"], signed_on="2026-01-13", at="2026-01-13T10:00:00Z")
    make("agr.talmakante", "agreement.sign", organization=ids["talmakante"], signed_on="2026-01-15",
         at="2026-01-15T10:00:00Z")
    db.agreement.end(id=ids["agr.talmakante"], ended_on="2026-06-30", at="2026-06-30T10:00:00Z")
    # ADCs: Anzi's becomes competent on Feb 26; Talmakante's too, then loses her commune on Sep 1.
    make("adc.anzi", "member.create", name="A", gender="m", roles=["adc"], residence_country="MA",
         adc_commune=ANZI, at="2026-01-20T08:00:00Z")
    make("adc.talm", "member.create", name="B", gender="f", roles=["adc"], residence_country="MA",
         adc_commune=TALMAKANTE, at="2026-01-20T08:00:00Z")
    for adc, competence, day in [
        ("adc.anzi", "project_engineering", "2026-02-25"), ("adc.anzi", "communication", "2026-02-26"),
        ("adc.talm", "project_engineering", "2026-02-25"), ("adc.talm", "communication", "2026-03-10"),
    ]:
        db.competence.attest(member=ids[adc], competence=competence, attested_on=day, by=ids["fac"],
                             at=f"{day}T16:00:00Z")
    db.member.update(id=ids["adc.talm"], adc_commune=None, at="2026-09-01T08:00:00Z")
    # Diaspora: an engineer from Anzi in Lyon, a heart-diaspora teacher in Barcelona, a local actor.
    make("lyon", "member.create", name="Brahim", gender="m", roles=["diaspora"], residence_country="FR",
         origin=ANZI, at="2026-02-10T08:00:00Z")
    make("bcn", "member.create", name="Montse", gender="f", roles=["diaspora"], heart_diaspora=True,
         residence_country="ES", at="2026-02-11T08:00:00Z")
    make("coop", "organization.create", kind="cooperative", name="Argan", territory="09.581.01.05",
         at="2026-02-12T08:00:00Z")
    make("lead", "organization.create", kind="local_association", name="Ait Ali", territory=ANZI,
         at="2026-02-12T08:00:00Z")
    # A project in Anzi led by the association; one in Talmakante.
    make("water", "project.create", title={"fr": "Eau"}, communes=[ANZI], lead_organization=ids["lead"],
         at="2026-03-01T08:00:00Z")
    make("solar", "project.create", title={"fr": "Solaire"}, communes=[TALMAKANTE], at="2026-03-01T08:00:00Z")
    # Lyon pledges (Jun 1), confirmed Jun 10, delivered Aug 30. Barcelona confirmed Jul 1, cancelled Oct 15.
    make("c.lyon", "contribution.create", project=ids["water"], member=ids["lyon"], kind="skill",
         quantity={"unit": "person_days", "amount": 8}, on="2026-06-01", at="2026-06-01T09:00:00Z")
    db.contribution.update(id=ids["c.lyon"], status="confirmed", on="2026-06-10", at="2026-06-10T09:00:00Z")
    db.contribution.update(id=ids["c.lyon"], status="delivered", on="2026-08-30", at="2026-08-30T09:00:00Z")
    make("c.bcn", "contribution.create", project=ids["solar"], member=ids["bcn"], kind="finance",
         quantity={"unit": "money", "amount": 500000, "currency": "EUR"}, on="2026-06-20",
         at="2026-06-20T09:00:00Z")
    db.contribution.update(id=ids["c.bcn"], status="confirmed", on="2026-07-01", at="2026-07-01T09:00:00Z")
    db.contribution.update(id=ids["c.bcn"], status="cancelled", on="2026-10-15", at="2026-10-15T09:00:00Z")
    # Barcelona meets the cooperative on May 5.
    db.interaction.create(kind="meeting", on="2026-05-05", member=ids["bcn"], organization=ids["coop"],
                          at="2026-05-05T18:00:00Z")
    return ids


@pytest.fixture
def story(db: cds.Database) -> Dict[str, str]:
    """The Story, built in the test's database; answers its ids by key."""
    return build_story(db)


def indicator(db: cds.Database, indicator_id: str, as_of: str, territory: Optional[str] = None) -> Dict[str, Any]:
    """One indicator from ``indicators.compute`` as of a date, with provenance."""
    params: Dict[str, Any] = {"as_of": as_of, "provenance": True, "indicators": [indicator_id]}
    if territory is not None:
        params["territory"] = territory
    answer = db.indicators.compute(params)
    assert answer["as_of"] == as_of
    assert answer["territory"] == territory
    [only] = answer["indicators"]
    assert only["id"] == indicator_id
    return only


def value(db: cds.Database, indicator_id: str, as_of: str, territory: Optional[str] = None) -> Any:
    return indicator(db, indicator_id, as_of, territory)["value"]


# -- hand counts -----------------------------------------------------------------------


def test_collectivities_engaged_count_agreements_in_force_and_an_ended_one_stops_on_its_end_day(
    db: cds.Database, story: Dict[str, str],
) -> None:
    assert value(db, "collectivities_engaged", "2026-01-12") == 0  # none before Jan 13
    assert value(db, "collectivities_engaged", "2026-03-31") == 2
    assert value(db, "collectivities_engaged", "2026-06-29") == 2
    assert value(db, "collectivities_engaged", "2026-06-30") == 1  # Talmakante's agreement ended that day
    # Provenance: the organizations counted.
    assert sorted(indicator(db, "collectivities_engaged", "2026-03-31")["ids"]) == sorted(
        [story["anzi"], story["talmakante"]])
    assert indicator(db, "collectivities_engaged", "2026-06-30")["ids"] == [story["anzi"]]


def test_collectivities_with_competent_adc_count_from_the_second_competence_until_the_adc_loses_her_commune(
    db: cds.Database, story: Dict[str, str],
) -> None:
    assert value(db, "collectivities_with_competent_adc", "2026-02-25") == 0  # one competence each only
    assert value(db, "collectivities_with_competent_adc", "2026-02-26") == 1  # Anzi's ADC
    assert value(db, "collectivities_with_competent_adc", "2026-03-10") == 2  # and Talmakante's
    assert value(db, "collectivities_with_competent_adc", "2026-09-01") == 1  # Talmakante's ADC lost her commune
    assert sorted(indicator(db, "collectivities_with_competent_adc", "2026-03-10")["ids"]) == [TALMAKANTE, ANZI]
    assert indicator(db, "collectivities_with_competent_adc", "2026-09-01")["ids"] == [ANZI]


def test_migrants_mobilized_count_confirmed_contributions_heart_diaspora_included_until_cancelled(
    db: cds.Database, story: Dict[str, str],
) -> None:
    assert value(db, "migrants_mobilized", "2026-06-09") == 0  # Lyon only pledged
    assert value(db, "migrants_mobilized", "2026-06-10") == 1  # Lyon confirmed
    assert value(db, "migrants_mobilized", "2026-07-01") == 2  # the heart-diaspora member counts
    assert value(db, "migrants_mobilized", "2026-10-14") == 2
    assert value(db, "migrants_mobilized", "2026-10-15") == 1  # her cancelled contribution stops counting
    # Provenance: the members counted, by id.
    counted = indicator(db, "migrants_mobilized", "2026-07-01")
    assert sorted(counted["ids"]) == sorted([story["bcn"], story["lyon"]])
    assert counted["counts"] == "members"
    assert indicator(db, "migrants_mobilized", "2026-10-15")["ids"] == [story["lyon"]]


def test_a_region_rolls_up_its_provinces_and_a_province_counts_only_its_own(
    db: cds.Database, story: Dict[str, str],
) -> None:
    assert value(db, "migrants_mobilized", "2026-07-01", "09.541") == 1  # Taroudannt: the solar project
    assert indicator(db, "migrants_mobilized", "2026-07-01", "09.541")["ids"] == [story["bcn"]]
    assert value(db, "migrants_mobilized", "2026-07-01", "09") == 2  # Souss-Massa: both provinces
    assert value(db, "collectivities_engaged", "2026-03-31", "09.581") == 1  # Tiznit: Anzi only
    assert indicator(db, "collectivities_engaged", "2026-03-31", "09.581")["ids"] == [story["anzi"]]


def test_actors_linked_and_territories_connected_follow_interactions_contributions_and_origins(
    db: cds.Database, story: Dict[str, str],
) -> None:
    # Actors linked: the cooperative (interaction, May 5), the association leading a project Lyon contributes to (Jun 10).
    assert value(db, "actors_linked", "2026-05-04") == 0
    assert value(db, "actors_linked", "2026-05-05") == 1
    assert value(db, "actors_linked", "2026-06-10") == 2
    assert sorted(indicator(db, "actors_linked", "2026-06-10")["ids"]) == sorted([story["coop"], story["lead"]])
    # Territories connected: Anzi by the engineer's origin from Feb 10; Talmakante by the contribution Jul 1 – Oct 15.
    assert value(db, "territories_connected", "2026-02-09") == 0
    assert value(db, "territories_connected", "2026-02-10") == 1
    assert value(db, "territories_connected", "2026-07-01") == 2
    assert value(db, "territories_connected", "2026-10-15") == 1


def test_a_quarterly_series_answers_one_period_per_quarter_valued_on_its_last_day(
    db: cds.Database, story: Dict[str, str],
) -> None:
    series = db.indicators.compute(
        period="quarter", from_="2026-01-01", until="2026-12-31", indicators=["migrants_mobilized"],
    )
    periods = series["series"]
    assert [p["period"] for p in periods] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert [p["as_of"] for p in periods] == ["2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"]
    assert [[i["id"] for i in p["indicators"]] for p in periods] == [["migrants_mobilized"]] * 4
    assert [p["indicators"][0]["value"] for p in periods] == [0, 1, 2, 1]


# -- definitions and targets -----------------------------------------------------------


def test_definitions_list_the_five_seed_indicators_with_their_default_targets(db: cds.Database) -> None:
    definitions = db.indicators.definitions()["indicators"]
    assert [d["id"] for d in definitions][:5] == list(SEED_TARGETS)
    by_id = {d["id"]: d for d in definitions}
    for indicator_id, target in SEED_TARGETS.items():
        assert by_id[indicator_id]["default_target"] == target, indicator_id
        assert by_id[indicator_id]["target"] == target, indicator_id
        assert by_id[indicator_id]["definition"], indicator_id  # the exact definition, in words
    assert by_id["migrants_mobilized"]["labels"]["en"] == "Migrants mobilized"
    assert db.indicators.definitions(locale="ar")["indicators"][0]["label"] == "المهاجرون المعبؤون"


def test_set_target_changes_the_target_definitions_and_compute_answer_and_keeps_the_default(
    db: cds.Database, story: Dict[str, str],
) -> None:
    assert db.indicators.set_target(id="migrants_mobilized", target=4) == {"id": "migrants_mobilized", "target": 4}
    mobilized = {d["id"]: d for d in db.indicators.definitions()["indicators"]}["migrants_mobilized"]
    assert mobilized["target"] == 4
    assert mobilized["default_target"] == 60
    computed = indicator(db, "migrants_mobilized", "2026-07-01")
    assert computed["target"] == 4
    assert computed["progress"] == 0.5  # 2 of 4

    # An indicator with no default target may be given one.
    db.indicators.set_target(id="territories_connected", target=12)
    assert indicator(db, "territories_connected", "2026-07-01")["target"] == 12


# -- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        pytest.param({"indicators": ["happiness"]}, "indicators[0]", id="unknown indicator"),
        pytest.param({"territory": "99.999"}, "territory", id="territory that does not exist"),
        pytest.param({"period": "month", "from": "2026-05-01", "until": "2026-01-01"}, "from", id="from after until"),
        pytest.param({"period": "week", "from": "2026-01-01", "until": "2026-02-01"}, "period", id="period week"),
        pytest.param({"from": "2026-01-01", "until": "2026-02-01"}, "period", id="from and until without period"),
        pytest.param({"rates": [{"from": "EUR", "rate": "ten", "on": "2026-01-01"}]}, "rates.rate", id="rate not a number"),
    ],
)
def test_bad_indicator_input_is_invalid_params_naming_the_field(
    db: cds.Database, params: Dict[str, Any], field: str,
) -> None:
    with pytest.raises(cds.InvalidParamsError) as raised:
        db.indicators.compute(params)
    assert raised.value.code == "invalid_params"
    assert raised.value.details.get("field") == field, raised.value.details


# -- contributions and interactions ----------------------------------------------------


def test_a_contribution_goes_pledged_confirmed_delivered_never_back_and_its_need_follows(anzi: Anzi) -> None:
    db = anzi.db
    p = anzi.formulated()
    need = anzi.make_precise(p)  # 10 person-days of hydraulic design
    assert db.need.get(id=need)["status"] == "open"

    c = db.contribution.create(project=p, need=need, member=anzi.outsider, kind="skill",
                               quantity={"unit": "person_days", "amount": 6}, on="2026-06-10")
    assert c["status"] == "pledged"
    assert c["pledged_on"] == "2026-06-10"
    confirmed = db.contribution.update(id=c["id"], status="confirmed", on="2026-06-20")
    assert confirmed["status"] == "confirmed"
    assert confirmed["confirmed_on"] == "2026-06-20"
    assert db.need.get(id=need)["status"] == "partly_covered"  # 6 of 10

    c2 = db.contribution.create(project=p, need=need, member=anzi.outsider, kind="skill",
                                quantity={"unit": "person_days", "amount": 4})["id"]
    db.contribution.update(id=c2, status="confirmed")
    assert db.need.get(id=need)["status"] == "covered"  # 10 of 10
    db.contribution.update(id=c2, status="cancelled")
    assert db.need.get(id=need)["status"] == "partly_covered", "a cancelled contribution stops covering"
    with pytest.raises(cds.ConflictError):
        db.contribution.update(id=c2, status="confirmed")

    with pytest.raises(cds.InvalidParamsError) as raised:
        db.contribution.update(id=c["id"], status="delivered", on="2026-06-01")  # before its confirmation
    assert raised.value.details["field"] == "on"
    delivered = db.contribution.update(id=c["id"], status="delivered", on="2026-08-30")
    assert delivered["status"] == "delivered"
    assert delivered["delivered_on"] == "2026-08-30"

    # Delivered is final: it goes back to nothing, not even cancelled.
    for status in ["pledged", "confirmed", "cancelled"]:
        with pytest.raises(cds.ConflictError) as conflict:
            db.contribution.update(id=c["id"], status=status)
        assert conflict.value.code == "conflict"
        assert conflict.value.details == {"from": "delivered", "to": status}
    assert db.contribution.get(id=c["id"])["status"] == "delivered"
    assert db.need.get(id=need)["status"] == "partly_covered"  # a delivered contribution still covers

    assert [x["id"] for x in db.pages("contribution.list", member=anzi.outsider, status="delivered")] == [c["id"]]
    assert count(db, "contribution.list", project=p) == 2


def test_an_interaction_links_a_diaspora_member_or_association_with_a_moroccan_actor_nobody_else(anzi: Anzi) -> None:
    db = anzi.db
    visit = db.interaction.create(kind="visit", on="2026-08-12", member=anzi.outsider, organization=anzi.lead,
                                  local_member=anzi.representative)
    assert visit["kind"] == "visit"
    with pytest.raises(cds.InvalidParamsError) as raised:  # an ADC is no diaspora member
        db.interaction.create(kind="call", on="2026-08-12", member=anzi.adc, organization=anzi.lead)
    assert raised.value.details["field"] == "member"
    association = db.organization.create(kind="diaspora_association", name="Tafraoutis", country="FR")["id"]
    with pytest.raises(cds.InvalidParamsError) as raised:  # a diaspora association is no Moroccan actor
        db.interaction.create(kind="call", on="2026-08-12", member=anzi.outsider, organization=association)
    assert raised.value.details["field"] == "organization"
    db.interaction.create(kind="webinar", on="2026-09-01", diaspora_organization=association,
                          organization=anzi.commune)
    assert count(db, "interaction.list", organization=anzi.commune) == 1
    assert [i["id"] for i in db.member.export(id=anzi.outsider)["interactions"]] == [visit["id"]]


# -- data protection -------------------------------------------------------------------


def test_an_export_holds_the_profile_the_projects_and_every_event_that_names_the_person(anzi: Anzi) -> None:
    db = anzi.db
    anzi.formulated()
    export = db.member.export(id=anzi.adc)
    assert export["format"] == "cds.member-export"
    assert export["version"] == 1
    assert export["member"]["id"] == anzi.adc
    assert export["member"]["name"] == "Youssef"
    assert "adc" in export["projects"][0]["roles"]
    types = {event["type"] for event in export["events"]}
    assert {"member.created", "project.created", "project.transitioned"} <= types


def test_erasing_members_keeps_every_indicator_with_its_provenance(db: cds.Database, story: Dict[str, str]) -> None:
    dates = ["2026-03-31", "2026-07-01", "2026-12-31"]

    def everything() -> List[Any]:
        return [db.indicators.compute(as_of=day, provenance=True)["indicators"] for day in dates]

    before = everything()
    for key in ["lyon", "bcn", "adc.anzi", "adc.talm"]:
        erased = db.member.erase(id=story[key])
        assert erased["name"].startswith("Membre effacé"), erased["name"]
        assert erased["email"] is None
        assert erased["erased_at"] is not None
    assert everything() == before
    assert db.member.get(id=story["bcn"])["name"].startswith("Membre effacé")
    assert db.member.get(id=story["lyon"])["origin"] == ANZI, "what indicators count stays"


def test_after_erasure_no_field_of_the_person_remains_in_the_database_file(db_path: Path) -> None:
    db = cds.open(db_path, now=NOW, busy_timeout_ms=5000, trusted=True)
    try:
        zoubida = db.member.create(
            name="Zoubida Tiguemmi", gender="f", roles=["diaspora"], residence_country="FR",
            email="zoubida.t@example.org", phone="+33 6 12 34 56 78", residence_city="Montpellier",
            origin=TALMAKANTE, consents=[{"purpose": "contact", "version": "v1"}],
        )["id"]
        db.member.update(id=zoubida, name="Zoubida Tiguemmi-Ouali", residence_city="Montpellier-Ouest")
        for n in range(50):
            db.member.create(name=f"Other {n}", gender="m", roles=["diaspora"], residence_country="FR")
        assert db.member.export(id=zoubida)["member"]["email"] == "zoubida.t@example.org"

        erased = db.member.erase(id=zoubida)
        assert erased["name"].startswith("Membre effacé")
        assert erased["email"] is None
        assert erased["phone"] is None
        assert erased["origin"] == TALMAKANTE, "what indicators count stays"
        assert all(consent["withdrawn_at"] is not None for consent in erased["consents"])
        assert db.member.get(id=zoubida)["email"] is None
        audit = db.audit.verify()
        assert audit["ok"] is True, "the chain still verifies"
        assert audit["redacted"] == 2, "her member.created and member.updated events are redacted"
        with pytest.raises(cds.ConflictError):
            db.member.update(id=zoubida, name="Back")
        assert_no_trace(db_path, "while open")
    finally:
        db.close()
    assert_no_trace(db_path, "after closing")


def assert_no_trace(db_path: Path, when: str) -> None:
    """No byte of Zoubida's name, e-mail, phone or city in the file, its WAL or its shared memory."""
    files = [Path(f"{db_path}{suffix}") for suffix in ["", "-wal", "-shm"]]
    data = b"".join(f.read_bytes() for f in files if f.exists())
    assert len(data) > 10_000, when
    for needle in ["Zoubida", "zoubida", "Tiguemmi", "tiguemmi", "zoubida.t@example.org",
                   "+33 6 12 34 56 78", "Montpellier", "montpellier"]:
        assert needle.encode("utf-8") not in data, f"{needle} is still in the file {when}"


def test_an_erased_member_exports_as_the_surrogate_and_cannot_be_erased_twice(db: cds.Database) -> None:
    hanane = db.member.create(name="Hanane", gender="f", roles=["diaspora"], residence_country="FR",
                              email="hanane@example.org")["id"]
    db.member.erase(id=hanane)
    export = db.member.export(id=hanane)
    assert export["format"] == "cds.member-export"
    assert export["member"]["name"].startswith("Membre effacé")
    assert export["member"]["email"] is None
    with pytest.raises(cds.ConflictError):
        db.member.erase(id=hanane)
