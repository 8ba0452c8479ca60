"""Members, organizations and agreements."""

from __future__ import annotations

import cds

from support import count, new_member


def test_a_member_is_created_got_updated_and_listed(db: cds.Database) -> None:
    created = db.member.create(
        name="Amina Ait Lahcen", gender="f", roles=["diaspora"],
        residence_country="FR", residence_city="Lyon", origin="09.541.11.33",
        languages=["fr", "ar"],
    )
    member_id = created["id"]
    assert isinstance(member_id, str) and member_id
    assert created["name"] == "Amina Ait Lahcen"

    got = db.member.get(id=member_id)
    assert got["id"] == member_id
    assert got["residence_country"] == "FR"
    assert got["origin"] == "09.541.11.33"

    updated = db.member.update(id=member_id, residence_city="Marseille")
    assert updated["residence_city"] == "Marseille"
    assert db.member.get(id=member_id)["residence_city"] == "Marseille"

    # Null clears an optional field.
    assert db.member.update(id=member_id, residence_city=None).get("residence_city") is None


def test_member_list_filters_by_role_country_and_origin_with_descendants(db: cds.Database) -> None:
    amina = new_member(db, name="Amina", residence_country="FR", origin="09.541.11.33")
    youssef = new_member(db, name="Youssef", gender="m", residence_country="BE", origin="09.581.03.03")
    karim = new_member(db, name="Karim", gender="m", roles=["local_actor"], residence_country="MA")

    def ids(**filters: object) -> set:
        return {item["id"] for item in db.pages("member.list", **filters)}

    assert ids() == {amina["id"], youssef["id"], karim["id"]}
    assert ids(role="diaspora") == {amina["id"], youssef["id"]}
    assert ids(role="local_actor") == {karim["id"]}
    assert ids(residence_country="BE") == {youssef["id"]}
    assert ids(origin="09.541") == {amina["id"]}  # the province includes its communes
    assert ids(origin="09.581.03.03") == {youssef["id"]}
    assert ids(q="Youss") == {youssef["id"]}


def test_a_commune_signs_an_agreement(db: cds.Database) -> None:
    commune = db.organization.create(kind="commune", name="Commune d'Anzi", territory="09.581.03.03")
    assert commune["kind"] == "commune"
    assert commune["territory"] == "09.581.03.03"
    assert db.organization.get(id=commune["id"])["id"] == commune["id"]

    agreement = db.agreement.sign({"organization": commune["id"], "signed_on": "2026-01-15"})
    assert agreement["organization"] == commune["id"]
    assert agreement["signed_on"] == "2026-01-15"
    in_force = {item["id"] for item in db.pages("agreement.list", in_force_on="2026-03-01")}
    assert agreement["id"] in in_force
    assert count(db, "agreement.list", organization=commune["id"]) == 1


def test_arabic_and_accented_text_round_trips_unescaped(db: cds.Database) -> None:
    member = new_member(db, name="عائشة Brahimi-Séverin")
    assert db.member.get(id=member["id"])["name"] == "عائشة Brahimi-Séverin"
    assert {item["id"] for item in db.pages("member.list", q="عائشة")} == {member["id"]}


def test_python_dates_are_sent_as_cds_dates(db: cds.Database) -> None:
    import datetime

    commune = db.organization.create(kind="commune", name="Commune de Talmakante", territory="09.541.11.33")
    agreement = db.agreement.sign(organization=commune["id"], signed_on=datetime.date(2026, 1, 15))
    assert agreement["signed_on"] == "2026-01-15"
